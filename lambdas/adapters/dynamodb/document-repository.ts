import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors';
import type { DocumentRepository, DocumentStatusChange } from '../../domain/knowledge/document-ports';
import { DOCUMENT_STATUSES, type RoomDocument } from '../../domain/knowledge/documents';
import { KNOWLEDGE_CONTENT_TYPES } from '../../domain/knowledge/indexing';
import { isConditionalCheckFailed } from './errors';
import { oneOfAttr, optionalStringAttr, stringAttr, type Item } from './items';
import { KNOWLEDGE_ENTITY, KNOWLEDGE_TABLE, knowledgeKeys } from './knowledge-schema';
import { queryAll } from './query-all';

const { partitionKey: PK, sortKey: SK } = KNOWLEDGE_TABLE;

const numberAttr = (item: Item, name: string): number | undefined =>
  typeof item[name] === 'number' ? (item[name] as number) : undefined;

/** The document record a `DOC#` item holds (the only mapping of it). */
export function documentOf(item: Item): RoomDocument {
  const agentId = optionalStringAttr(item, 'agentId');
  const reason = optionalStringAttr(item, 'reason');
  const indexedVersion = numberAttr(item, 'indexedVersion');
  const chunks = numberAttr(item, 'chunks');
  const pages = numberAttr(item, 'pages');
  return {
    roomId: stringAttr(item, PK),
    documentId: stringAttr(item, 'documentId'),
    name: stringAttr(item, 'name'),
    contentType: oneOfAttr(item, 'contentType', KNOWLEDGE_CONTENT_TYPES),
    size: numberAttr(item, 'size') ?? 0,
    ...(agentId !== undefined ? { agentId } : {}),
    version: numberAttr(item, 'version') ?? 1,
    status: oneOfAttr(item, 'status', DOCUMENT_STATUSES),
    ...(reason !== undefined ? { reason } : {}),
    ...(indexedVersion !== undefined ? { indexedVersion } : {}),
    ...(chunks !== undefined ? { chunks } : {}),
    ...(pages !== undefined ? { pages } : {}),
    uploadedBy: stringAttr(item, 'uploadedBy'),
    uploadedAt: stringAttr(item, 'uploadedAt'),
    updatedAt: stringAttr(item, 'updatedAt'),
  };
}

const itemOf = (document: RoomDocument): Item => {
  const { roomId, ...rest } = document;
  return { [PK]: roomId, [SK]: knowledgeKeys.document(document.documentId), entity: KNOWLEDGE_ENTITY.document, ...rest };
};

/**
 * Documents' records in the knowledge table: one `DOC#<documentId>` item per
 * document in its room's partition (knowledge-schema.ts). The `CHUNK#` items
 * beside them are the index's; a listing reads the `DOC#` range only.
 */
export class DynamoDocumentRepository implements DocumentRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getDocument(roomId: string, documentId: string): Promise<RoomDocument | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { [PK]: roomId, [SK]: knowledgeKeys.document(documentId) }, ConsistentRead: true }),
    );
    return Item ? documentOf(Item) : undefined;
  }

  async listDocuments(roomId: string): Promise<RoomDocument[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :room AND begins_with(#sk, :doc)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':room': roomId, ':doc': knowledgeKeys.documentPrefix },
    });
    return items.map(documentOf);
  }

  async putPending(document: RoomDocument, previousVersion?: number): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: itemOf(document),
          ...(previousVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(#sk)', ExpressionAttributeNames: { '#sk': SK } }
            : {
                ConditionExpression: '#version = :previous',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':previous': previousVersion },
              }),
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      throw new ConflictError(
        previousVersion === undefined
          ? 'A document with this id exists already.'
          : 'The document was replaced or deleted meanwhile; list the documents and try again.',
        { cause: error },
      );
    }
  }

  async setStatus(
    roomId: string,
    documentId: string,
    version: number,
    change: DocumentStatusChange,
  ): Promise<RoomDocument | undefined> {
    const names: Record<string, string> = { '#version': 'version', '#status': 'status', '#updatedAt': 'updatedAt', '#reason': 'reason' };
    const values: Record<string, unknown> = { ':version': version, ':status': change.status, ':updatedAt': change.updatedAt };
    const sets = ['#status = :status', '#updatedAt = :updatedAt'];
    const removes: string[] = [];
    if (change.reason !== undefined) {
      sets.push('#reason = :reason');
      values[':reason'] = change.reason;
    } else {
      removes.push('#reason');
    }
    if (change.size !== undefined) {
      sets.push('#size = :size');
      names['#size'] = 'size';
      values[':size'] = change.size;
    }
    if (change.indexed !== undefined) {
      sets.push('#indexedVersion = :version', '#chunks = :chunks');
      names['#indexedVersion'] = 'indexedVersion';
      names['#chunks'] = 'chunks';
      names['#pages'] = 'pages';
      values[':chunks'] = change.indexed.chunks;
      if (change.indexed.pages !== undefined) {
        sets.push('#pages = :pages');
        values[':pages'] = change.indexed.pages;
      } else {
        removes.push('#pages');
      }
    }
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [PK]: roomId, [SK]: knowledgeKeys.document(documentId) },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? documentOf(Attributes) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async deleteDocument(roomId: string, documentId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { [PK]: roomId, [SK]: knowledgeKeys.document(documentId) } }),
    );
  }
}
