import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DocumentPassage, DocumentPassages } from '../../domain/knowledge/indexing';
import type { TermStats } from '../../domain/knowledge/lexical';
import type { ChunkStore, DocumentRecordView, StoredChunk } from '../../domain/knowledge/ports';
import { batchWriteAll, type BatchRetryOptions, type WriteRequest } from './batch-write';
import { optionalStringAttr, stringAttr, type Item } from './items';
import { KNOWLEDGE_ENTITY, KNOWLEDGE_TABLE, knowledgeKeys } from './knowledge-schema';
import { queryAll } from './query-all';

/**
 * The index's CHUNK# items of the knowledge table (knowledge-schema.ts):
 *
 *   roomId, sk = CHUNK#<documentId>#<version:6>#<chunk:6>, entity,
 *   documentId, version, chunk, name, agentId?, section, page?, text,
 *   terms ("term:count term:count…", the index terms of section and text),
 *   termCount, vector? (base64 int8, see `quantize`), embeddedBy?
 *
 * An item holds one chunk of about 1,000 characters: about 2.5 KB with
 * its terms and a 512-dimension vector, far under DynamoDB's 400 KB. The
 * DOC# records are the documents feature's; this adapter only reads them.
 */

/** The attributes a search reads of a chunk (a projection trims what crosses the network, not the read units). */
const CHUNK_PROJECTION = '#documentId, #version, #chunk, #name, agentId, #section, #page, #text, terms, termCount, vector, embeddedBy';
const CHUNK_NAMES = {
  '#documentId': 'documentId',
  '#version': 'version',
  '#chunk': 'chunk',
  '#name': 'name',
  '#section': 'section',
  '#page': 'page',
  '#text': 'text',
};

/** Index terms as one compact string: terms are letters and digits only, so spaces and colons cannot occur in them. */
export const encodeTerms = (stats: TermStats): string => [...stats.counts].map(([term, n]) => `${term}:${n}`).join(' ');

export function decodeTerms(encoded: string, length: number): TermStats {
  const counts = new Map<string, number>();
  for (const pair of encoded.split(' ')) {
    const at = pair.lastIndexOf(':');
    if (at > 0) counts.set(pair.slice(0, at), Number(pair.slice(at + 1)));
  }
  return { length, counts };
}

const numberAttr = (item: Item, name: string): number | undefined => {
  const value = item[name];
  return typeof value === 'number' ? value : undefined;
};

export function chunkItem(roomId: string, chunk: StoredChunk): Item {
  return {
    [KNOWLEDGE_TABLE.partitionKey]: roomId,
    [KNOWLEDGE_TABLE.sortKey]: knowledgeKeys.chunk(chunk.documentId, chunk.version, chunk.chunk),
    entity: KNOWLEDGE_ENTITY.chunk,
    documentId: chunk.documentId,
    version: chunk.version,
    chunk: chunk.chunk,
    name: chunk.name,
    agentId: chunk.agentId,
    section: chunk.section,
    page: chunk.page,
    text: chunk.text,
    terms: encodeTerms(chunk.terms),
    termCount: chunk.terms.length,
    vector: chunk.vector,
    embeddedBy: chunk.embeddedBy,
  };
}

export function chunkFromItem(item: Item): StoredChunk {
  const agentId = optionalStringAttr(item, 'agentId');
  const page = numberAttr(item, 'page');
  const vector = optionalStringAttr(item, 'vector');
  const embeddedBy = optionalStringAttr(item, 'embeddedBy');
  return {
    documentId: stringAttr(item, 'documentId'),
    version: numberAttr(item, 'version') ?? 0,
    chunk: numberAttr(item, 'chunk') ?? 0,
    name: stringAttr(item, 'name'),
    ...(agentId !== undefined ? { agentId } : {}),
    section: optionalStringAttr(item, 'section') ?? '',
    ...(page !== undefined ? { page } : {}),
    text: stringAttr(item, 'text'),
    terms: decodeTerms(optionalStringAttr(item, 'terms') ?? '', numberAttr(item, 'termCount') ?? 0),
    ...(vector !== undefined ? { vector } : {}),
    ...(embeddedBy !== undefined ? { embeddedBy } : {}),
  };
}

/** The sort keys past every chunk number of a prefix ("~" sorts after the digits). */
const END = '~';

export class DynamoChunkStore implements ChunkStore, DocumentPassages {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retry: BatchRetryOptions = {},
  ) {}

  async writeVersion(
    roomId: string,
    documentId: string,
    version: number,
    chunks: readonly StoredChunk[],
  ): Promise<{ written: number; deleted: number }> {
    await batchWriteAll(
      this.client,
      this.tableName,
      chunks.map((chunk) => ({ PutRequest: { Item: chunkItem(roomId, chunk) } })),
      this.retry,
    );
    // Only the keys past the new last chunk are read: a first indexing reads nothing.
    const extra = await this.keysBetween(
      roomId,
      knowledgeKeys.chunk(documentId, version, chunks.length),
      `${knowledgeKeys.chunksOfVersion(documentId, version)}${END}`,
    );
    await this.deleteKeys(roomId, extra);
    return { written: chunks.length, deleted: extra.length };
  }

  async removeChunks(roomId: string, documentId: string, keepVersion?: number): Promise<number> {
    const all = knowledgeKeys.chunksOf(documentId);
    const keys =
      keepVersion === undefined
        ? await this.keysBetween(roomId, all, `${all}${END}`)
        : [
            // The kept version's range is never read: the versions before it, then those after.
            ...(await this.keysBetween(roomId, all, knowledgeKeys.chunksOfVersion(documentId, keepVersion))),
            ...(await this.keysBetween(roomId, knowledgeKeys.chunksOfVersion(documentId, keepVersion + 1), `${all}${END}`)),
          ];
    await this.deleteKeys(roomId, keys);
    return keys.length;
  }

  async documentsOf(roomId: string): Promise<DocumentRecordView[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :roomId AND begins_with(#sk, :prefix)',
      ProjectionExpression: '#sk, #name, agentId, #status, indexedVersion',
      ExpressionAttributeNames: { '#pk': KNOWLEDGE_TABLE.partitionKey, '#sk': KNOWLEDGE_TABLE.sortKey, '#name': 'name', '#status': 'status' },
      ExpressionAttributeValues: { ':roomId': roomId, ':prefix': knowledgeKeys.documentPrefix },
    });
    return items.map((item) => {
      const agentId = optionalStringAttr(item, 'agentId');
      const indexedVersion = numberAttr(item, 'indexedVersion');
      return {
        documentId: stringAttr(item, KNOWLEDGE_TABLE.sortKey).slice(knowledgeKeys.documentPrefix.length),
        name: optionalStringAttr(item, 'name') ?? '',
        ...(agentId !== undefined ? { agentId } : {}),
        status: optionalStringAttr(item, 'status') ?? '',
        ...(indexedVersion !== undefined ? { indexedVersion } : {}),
      };
    });
  }

  async chunksOf(roomId: string, documentId: string, version: number): Promise<StoredChunk[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :roomId AND begins_with(#sk, :prefix)',
      ProjectionExpression: CHUNK_PROJECTION,
      ExpressionAttributeNames: { '#pk': KNOWLEDGE_TABLE.partitionKey, '#sk': KNOWLEDGE_TABLE.sortKey, ...CHUNK_NAMES },
      ExpressionAttributeValues: { ':roomId': roomId, ':prefix': knowledgeKeys.chunksOfVersion(documentId, version) },
    });
    return items.map(chunkFromItem);
  }

  /** One chunk by its key (GetItem, without its terms and vector): what a citation opens. */
  async passage(roomId: string, documentId: string, version: number, chunk: number): Promise<DocumentPassage | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [KNOWLEDGE_TABLE.partitionKey]: roomId, [KNOWLEDGE_TABLE.sortKey]: knowledgeKeys.chunk(documentId, version, chunk) },
        ProjectionExpression: '#documentId, #version, #chunk, #section, #page, #text',
        ExpressionAttributeNames: {
          '#documentId': 'documentId',
          '#version': 'version',
          '#chunk': 'chunk',
          '#section': 'section',
          '#page': 'page',
          '#text': 'text',
        },
      }),
    );
    if (!item) return undefined;
    const page = numberAttr(item, 'page');
    return {
      documentId: stringAttr(item, 'documentId'),
      version: numberAttr(item, 'version') ?? version,
      chunk: numberAttr(item, 'chunk') ?? chunk,
      section: optionalStringAttr(item, 'section') ?? '',
      ...(page !== undefined ? { page } : {}),
      text: stringAttr(item, 'text'),
    };
  }

  /** Sort keys in [from, to], read with a keys-only projection. */
  private async keysBetween(roomId: string, from: string, to: string): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :roomId AND #sk BETWEEN :from AND :to',
      ProjectionExpression: '#sk',
      ExpressionAttributeNames: { '#pk': KNOWLEDGE_TABLE.partitionKey, '#sk': KNOWLEDGE_TABLE.sortKey },
      ExpressionAttributeValues: { ':roomId': roomId, ':from': from, ':to': to },
    });
    return items.map((item) => stringAttr(item, KNOWLEDGE_TABLE.sortKey));
  }

  private async deleteKeys(roomId: string, keys: readonly string[]): Promise<void> {
    const requests: WriteRequest[] = keys.map((sk) => ({
      DeleteRequest: { Key: { [KNOWLEDGE_TABLE.partitionKey]: roomId, [KNOWLEDGE_TABLE.sortKey]: sk } },
    }));
    await batchWriteAll(this.client, this.tableName, requests, this.retry);
  }
}
