import { BatchWriteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoChunkStore, chunkFromItem, chunkItem } from '../../../../lambdas/adapters/dynamodb/knowledge-chunks';
import { termStats } from '../../../../lambdas/domain/knowledge/lexical';
import type { StoredChunk } from '../../../../lambdas/domain/knowledge/ports';
import { documentClient } from '../../../support/dynamodb';

const client = documentClient();
const ddb = mockClient(client);
afterEach(() => ddb.reset());

const store = () => new DynamoChunkStore(client, 'knowledge', { baseDelayMs: 0 });

const chunk = (n: number, overrides: Partial<StoredChunk> = {}): StoredChunk => ({
  documentId: 'd1',
  version: 3,
  chunk: n,
  name: 'Handbook',
  section: 'Warranty › Returns',
  text: `Returns are free within 30 days (${n}).`,
  terms: termStats(`Warranty › Returns Returns are free within 30 days (${n}).`),
  vector: 'AQID',
  embeddedBy: 'lexical-hash-512',
  ...overrides,
});

describe('chunk items', () => {
  it('round-trip every field, with the key the schema gives', () => {
    const original = chunk(7, { agentId: 'a1', page: 12 });
    const item = chunkItem('r1', original);

    expect(item).toMatchObject({ roomId: 'r1', sk: 'CHUNK#d1#000003#000007', entity: 'knowledgeChunk', terms: expect.stringContaining('return:2') });
    expect(chunkFromItem(item)).toEqual(original);
  });

  it('stay far under DynamoDB’s 400 KB for a full chunk', () => {
    const text = 'word '.repeat(300);
    const item = chunkItem('r1', chunk(0, { text, terms: termStats(text), vector: 'A'.repeat(684) }));

    expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(8_000);
  });
});

describe('DynamoChunkStore.writeVersion', () => {
  it('puts every chunk in batches of 25, then deletes the version’s chunks past the new last one', async () => {
    ddb.on(BatchWriteCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CHUNK#d1#000003#000030' }, { sk: 'CHUNK#d1#000003#000031' }] });

    const result = await store().writeVersion('r1', 'd1', 3, Array.from({ length: 30 }, (_, i) => chunk(i)));

    expect(result).toEqual({ written: 30, deleted: 2 });
    const writes = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.['knowledge'] ?? []);
    expect(writes.map((w) => w.length)).toEqual([25, 5, 2]);
    expect(writes[0]?.[0]?.PutRequest?.Item).toMatchObject({ roomId: 'r1', sk: 'CHUNK#d1#000003#000000' });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: '#pk = :roomId AND #sk BETWEEN :from AND :to',
      ProjectionExpression: '#sk',
      ExpressionAttributeValues: { ':roomId': 'r1', ':from': 'CHUNK#d1#000003#000030', ':to': 'CHUNK#d1#000003#~' },
    });
    expect(writes[2]).toEqual([
      { DeleteRequest: { Key: { roomId: 'r1', sk: 'CHUNK#d1#000003#000030' } } },
      { DeleteRequest: { Key: { roomId: 'r1', sk: 'CHUNK#d1#000003#000031' } } },
    ]);
  });

  it('retries the items DynamoDB leaves unprocessed', async () => {
    const first = chunkItem('r1', chunk(0));
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { knowledge: [{ PutRequest: { Item: first } }] } })
      .resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });

    await store().writeVersion('r1', 'd1', 3, [chunk(0), chunk(1)]);

    const calls = ddb.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.RequestItems?.['knowledge']).toEqual([{ PutRequest: { Item: first } }]);
  });
});

describe('DynamoChunkStore.removeChunks', () => {
  it('deletes every chunk of a document, read by prefix with keys only', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'CHUNK#d1#000001#000000' }, { sk: 'CHUNK#d1#000002#000000' }] });
    ddb.on(BatchWriteCommand).resolves({});

    expect(await store().removeChunks('r1', 'd1')).toBe(2);

    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ProjectionExpression: '#sk',
      ExpressionAttributeValues: { ':roomId': 'r1', ':from': 'CHUNK#d1#', ':to': 'CHUNK#d1#~' },
    });
    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: {
        knowledge: [
          { DeleteRequest: { Key: { roomId: 'r1', sk: 'CHUNK#d1#000001#000000' } } },
          { DeleteRequest: { Key: { roomId: 'r1', sk: 'CHUNK#d1#000002#000000' } } },
        ],
      },
    });
  });

  it('keeps one version by reading only the ranges before and after it', async () => {
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':roomId': 'r1', ':from': 'CHUNK#d1#', ':to': 'CHUNK#d1#000003#' } }).resolves({
      Items: [{ sk: 'CHUNK#d1#000002#000000' }],
    });
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':roomId': 'r1', ':from': 'CHUNK#d1#000004#', ':to': 'CHUNK#d1#~' } }).resolves({
      Items: [],
    });
    ddb.on(BatchWriteCommand).resolves({});

    expect(await store().removeChunks('r1', 'd1', 3)).toBe(1);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
  });

  it('writes nothing when there is nothing to delete', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    expect(await store().removeChunks('r1', 'd1')).toBe(0);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });
});

describe('DynamoChunkStore reads for search', () => {
  it('reads the room’s document records with a projection', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        { sk: 'DOC#d1', name: 'Handbook', status: 'ready', indexedVersion: 3 },
        { sk: 'DOC#d2', name: 'Notes', agentId: 'a1', status: 'indexing' },
      ],
    });

    const records = await store().documentsOf('r1');

    expect(records).toEqual([
      { documentId: 'd1', name: 'Handbook', status: 'ready', indexedVersion: 3 },
      { documentId: 'd2', name: 'Notes', agentId: 'a1', status: 'indexing' },
    ]);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: '#pk = :roomId AND begins_with(#sk, :prefix)',
      ProjectionExpression: '#sk, #name, agentId, #status, indexedVersion',
      ExpressionAttributeValues: { ':roomId': 'r1', ':prefix': 'DOC#' },
    });
  });

  it('reads one version’s chunks by its prefix, following pages', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [chunkItem('r1', chunk(0))], LastEvaluatedKey: { roomId: 'r1', sk: 'CHUNK#d1#000003#000000' } })
      .resolves({ Items: [chunkItem('r1', chunk(1))] });

    const chunks = await store().chunksOf('r1', 'd1', 3);

    expect(chunks.map((c) => c.chunk)).toEqual([0, 1]);
    expect(chunks[0]?.terms.counts.get('return')).toBe(2);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':roomId': 'r1', ':prefix': 'CHUNK#d1#000003#' },
      ProjectionExpression: expect.stringContaining('vector'),
    });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExclusiveStartKey: { roomId: 'r1', sk: 'CHUNK#d1#000003#000000' } });
  });
});

describe('DynamoChunkStore.passage', () => {
  it('reads one chunk by its key, without its terms or vector', async () => {
    ddb.on(GetCommand).resolves({ Item: { documentId: 'd1', version: 3, chunk: 7, section: 'Warranty › Returns', page: 12, text: 'Returns are free.' } });

    const passage = await store().passage('r1', 'd1', 3, 7);

    expect(passage).toEqual({ documentId: 'd1', version: 3, chunk: 7, section: 'Warranty › Returns', page: 12, text: 'Returns are free.' });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'knowledge', Key: { roomId: 'r1', sk: 'CHUNK#d1#000003#000007' } });
    const projection = ddb.commandCalls(GetCommand)[0]?.args[0].input.ProjectionExpression ?? '';
    expect(projection).not.toMatch(/terms|vector/);
  });

  it('resolves undefined for a chunk the index does not hold', async () => {
    ddb.on(GetCommand).resolves({});

    expect(await store().passage('r1', 'd1', 3, 99)).toBeUndefined();
  });
});
