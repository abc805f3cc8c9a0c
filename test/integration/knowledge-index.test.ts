import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoChunkStore } from '../../lambdas/adapters/dynamodb/knowledge-chunks';
import { KNOWLEDGE_TABLE, knowledgeKeys } from '../../lambdas/adapters/dynamodb/knowledge-schema';
import { LexicalEmbedder } from '../../lambdas/adapters/knowledge/lexical-embedder';
import { FormatParser } from '../../lambdas/adapters/knowledge/parse-document';
import { DocumentUnreadableError, type DocumentSource } from '../../lambdas/domain/knowledge/indexing';
import { ChunkIndexer } from '../../lambdas/use-cases/knowledge/index-document';
import { ChunkSearch } from '../../lambdas/use-cases/knowledge/search-documents';
import { table } from '../../scripts/bench/dynamodb-requests';
import { LOCAL_CREDENTIALS } from '../../scripts/local/engines/credentials';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../../scripts/local/engines/dynamodb';

/**
 * The documents index against DynamoDB Local: the chunk store's key ranges,
 * batch writes and projections on a real engine, through the indexer and
 * search the ingestion function and agents use.
 */
const REGION = 'eu-west-1';
const TABLE = 'knowledge';
let engine: DynamoDbLocal;
let client: DynamoDBDocumentClient;
let store: DynamoChunkStore;
let indexer: ChunkIndexer;
let search: ChunkSearch;

beforeAll(async () => {
  engine = await startDynamoDbLocal({ port: 0, region: REGION });
  await ensureTable(engine.client, table(TABLE, KNOWLEDGE_TABLE.partitionKey, KNOWLEDGE_TABLE.sortKey));
  client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: engine.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  store = new DynamoChunkStore(client, TABLE);
  const embedder = new LexicalEmbedder();
  const embedding = { model: embedder.model, embedder };
  indexer = new ChunkIndexer({ parser: new FormatParser(), store, embedding });
  search = new ChunkSearch({ store, embedding });
});

afterAll(async () => {
  client?.destroy();
  await engine?.stop();
});

const utf8 = (text: string) => new TextEncoder().encode(text);

const handbook = (extra: string) =>
  [
    '# Warranty',
    'The warranty covers parts and labour for two years from the date of purchase.',
    '## Returns',
    'Unused items may be returned within thirty days for a full refund.',
    '# Shipping',
    ...Array.from({ length: 30 }, (_, i) => `Zone ${i} parcels travel by road and arrive within ${i + 2} working days of dispatch. ${extra}`),
  ].join('\n\n');

const source = (documentId: string, version: number, markdown: string, agentId?: string): DocumentSource => ({
  roomId: 'room-1',
  documentId,
  version,
  name: 'Handbook',
  ...(agentId !== undefined ? { agentId } : {}),
  contentType: 'text/markdown',
  bytes: utf8(markdown),
});

/** The DOC# record the documents feature keeps; written here as it would. */
const record = (documentId: string, indexedVersion: number, agentId?: string) =>
  client.send(
    new PutCommand({
      TableName: TABLE,
      Item: { roomId: 'room-1', sk: knowledgeKeys.document(documentId), name: 'Handbook', status: 'ready', version: indexedVersion, indexedVersion, agentId },
    }),
  );

describe('the documents index on DynamoDB Local', () => {
  it('indexes a version, finds its passages with their section, and re-indexes it to the same chunks', async () => {
    const first = await indexer.index(source('d1', 1, handbook('Long version with more words to make more chunks.')));
    await record('d1', 1);

    const hits = await search.search({ roomId: 'room-1', text: 'How long is the guarantee on parts?', k: 2 });
    expect(hits[0]).toMatchObject({ documentId: 'd1', version: 1, name: 'Handbook', section: 'Warranty', chunk: 0 });

    const again = await indexer.index(source('d1', 1, handbook('Long version with more words to make more chunks.')));
    expect(again.chunks).toBe(first.chunks);
    expect((await store.chunksOf('room-1', 'd1', 1)).length).toBe(first.chunks);
  });

  it('drops the chunks a shorter re-indexing of the same version no longer makes', async () => {
    const long = await indexer.index(source('d2', 1, handbook('Extra words here to lengthen every paragraph of the section.')));
    const short = await indexer.index(source('d2', 1, '# Only\n\nOne short paragraph.'));

    expect(short.chunks).toBeLessThan(long.chunks);
    expect((await store.chunksOf('room-1', 'd2', 1)).map((c) => c.text)).toEqual(['One short paragraph.']);
  });

  it('serves only the indexed version, then removes the others, then everything', async () => {
    await indexer.index(source('d3', 1, '# Old\n\nThe old ferry timetable.'));
    await indexer.index(source('d3', 2, '# New\n\nThe new ferry timetable.'));
    await indexer.index(source('d3', 3, '# Next\n\nThe next ferry timetable, still indexing.'));
    await indexer.index(source('d30', 1, '# Other\n\nA document whose id starts like d3.'));
    await record('d3', 2);

    const hits = await search.search({ roomId: 'room-1', text: 'ferry timetable', k: 5 });
    expect(hits.filter((h) => h.documentId === 'd3').map((h) => h.version)).toEqual([2]);

    await indexer.remove('room-1', 'd3', 2);
    expect(await store.chunksOf('room-1', 'd3', 1)).toEqual([]);
    expect(await store.chunksOf('room-1', 'd3', 3)).toEqual([]);
    expect((await store.chunksOf('room-1', 'd3', 2)).length).toBe(1);

    await indexer.remove('room-1', 'd3');
    expect(await store.chunksOf('room-1', 'd3', 2)).toEqual([]);
    // Another document whose id starts the same is untouched.
    expect((await store.chunksOf('room-1', 'd30', 1)).length).toBe(1);
  });

  it('keeps an agent’s own document from other agents', async () => {
    await indexer.index(source('d4', 1, '# Private\n\nThe vault code is nine nine four.', 'agent-a'));
    await record('d4', 1, 'agent-a');

    const asA = await search.search({ roomId: 'room-1', agentId: 'agent-a', text: 'vault code', k: 3 });
    const asB = await search.search({ roomId: 'room-1', agentId: 'agent-b', text: 'vault code', k: 3 });

    expect(asA[0]?.documentId).toBe('d4');
    expect(asB.map((h) => h.documentId)).not.toContain('d4');
  });

  it('indexes a PDF by page and refuses one that is damaged', async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    pdf.addPage().drawText('Chapter one: the boiler is serviced each October.', { x: 40, y: 700, font, size: 11 });
    pdf.addPage().drawText('Chapter two: the roof is inspected each spring.', { x: 40, y: 700, font, size: 11 });
    const bytes = await pdf.save();

    const report = await indexer.index({ ...source('d5', 1, ''), contentType: 'application/pdf', bytes });
    await record('d5', 1);
    expect(report).toMatchObject({ pages: 2, chunks: 2 });
    const hits = await search.search({ roomId: 'room-1', text: 'When is the roof inspected?', k: 1 });
    expect(hits[0]).toMatchObject({ documentId: 'd5', section: 'page 2', page: 2 });

    await expect(indexer.index({ ...source('d6', 1, ''), contentType: 'application/pdf', bytes: bytes.subarray(0, 60) })).rejects.toThrow(
      DocumentUnreadableError,
    );
  });
});
