import { BatchGetCommand, PutCommand, QueryCommand, TransactWriteCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoMemoryStore, MemoryWriteConflictError } from '../../../../lambdas/adapters/dynamodb/memory-store';
import type { MemoryPolicy } from '../../../../lambdas/domain/memory/types';
import { conditionalCheckFailed, documentClient, transactionCanceled } from '../../../support/dynamodb';
import { remembered } from '../../../support/memory';

const client = documentClient();
const ddb = mockClient(client);
afterEach(() => ddb.reset());

const policy: MemoryPolicy = { windowSize: 3, windowMaxChars: 10_000, summaryEvery: 20 };
const store = () => new DynamoMemoryStore(client, 'memory', { now: () => Date.UTC(2026, 10, 21) });
const message = remembered(7, 'The staging database moved to port 6543.');

const givenItems = (items: { marker?: Record<string, unknown>; cursor?: Record<string, unknown> }) => {
  const stored = [
    ...(items.marker ? [{ roomId: 'r1', sk: 'MSG#m007', ...items.marker }] : []),
    ...(items.cursor ? [{ roomId: 'r1', sk: 'CURSOR', ...items.cursor }] : []),
  ];
  // One consistent BatchGetItem reads both; it answers the items that exist of those asked for.
  ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<{ roomId: string; sk: string }> }> }) => ({
    Responses: {
      memory: stored.filter((item) => input.RequestItems['memory']?.Keys.some((k) => k.roomId === item.roomId && k.sk === item.sk)),
    },
  }));
};

describe('DynamoMemoryStore.remember', () => {
  it('opens the first window: marker, window and cursor in one conditional transaction', async () => {
    givenItems({});
    ddb.on(TransactWriteCommand).resolves({});

    const outcome = await store().remember(message, '100', policy);

    expect(outcome).toEqual({ status: 'remembered', seq: 1, roomSeq: 1 });
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        memory: {
          Keys: [
            { roomId: 'r1', sk: 'MSG#m007' },
            { roomId: 'r1', sk: 'CURSOR' },
          ],
          ConsistentRead: true,
        },
      },
    });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(3);
    expect(items[0]?.Put).toMatchObject({
      Item: { roomId: 'r1', sk: 'MSG#m007', state: 'remembered', sequence: '100', seq: 1, windowStart: 1 },
      ConditionExpression: 'attribute_not_exists(sk)',
    });
    expect(items[1]?.Put).toMatchObject({
      Item: {
        roomId: 'r1',
        sk: 'CHUNK#000000000001',
        windowStart: 1,
        messages: { m007: { seq: 1, senderName: 'Alice', text: 'The staging database moved to port 6543.' } },
      },
      ConditionExpression: 'attribute_not_exists(sk)',
    });
    expect(items[2]?.Put).toMatchObject({
      Item: { roomId: 'r1', sk: 'CURSOR', seq: 1, windowStart: 1, windowCount: 1 },
      ConditionExpression: 'attribute_not_exists(sk)',
    });
  });

  it('keeps who sent a message, so an agent can leave its own replies out of recall', async () => {
    givenItems({});
    ddb.on(TransactWriteCommand).resolves({});

    await store().remember({ ...message, senderId: 'agent:helper' }, '100', policy);

    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[1]?.Put?.Item?.['messages']).toMatchObject({ m007: { senderId: 'agent:helper' } });
  });

  it('keeps the embedding of a message that has one', async () => {
    givenItems({});
    ddb.on(TransactWriteCommand).resolves({});

    await store().remember({ ...message, vector: 'AQI=' }, '100', policy);

    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[1]?.Put?.Item?.['messages']).toMatchObject({ m007: { vector: 'AQI=' } });
  });

  it('adds a message to the open window, locking the cursor on the sequence it read', async () => {
    givenItems({ cursor: { seq: 4, windowStart: 4, windowCount: 1, windowChars: 20 } });
    ddb.on(TransactWriteCommand).resolves({});

    const outcome = await store().remember(message, '100', policy);

    expect(outcome).toEqual({ status: 'remembered', seq: 5, roomSeq: 5 });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[1]?.Update).toMatchObject({
      Key: { roomId: 'r1', sk: 'CHUNK#000000000004' },
      UpdateExpression: 'SET messages.#id = :entry',
      ExpressionAttributeNames: { '#id': 'm007' },
      ConditionExpression: 'attribute_exists(sk)',
    });
    expect(items[2]?.Put).toMatchObject({
      Item: { seq: 5, windowStart: 4, windowCount: 2 },
      ConditionExpression: 'seq = :seq',
      ExpressionAttributeValues: { ':seq': 4 },
    });
  });

  it('writes nothing for a record it has applied before', async () => {
    givenItems({
      marker: { state: 'remembered', sequence: '100', seq: 5, windowStart: 4, textHash: 'x' },
      cursor: { seq: 9, windowStart: 7, windowCount: 3, windowChars: 60 },
    });

    const outcome = await store().remember(message, '100', policy);

    expect(outcome).toEqual({ status: 'unchanged', seq: 5, roomSeq: 9 });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('replaces the text of a remembered message in its own window when a later change redacts it', async () => {
    givenItems({
      marker: { state: 'remembered', sequence: '100', seq: 5, windowStart: 4, textHash: 'old' },
      cursor: { seq: 9, windowStart: 7, windowCount: 3, windowChars: 60 },
    });
    ddb.on(TransactWriteCommand).resolves({});

    const outcome = await store().remember({ ...message, text: 'The staging database moved to [redacted].' }, '200', policy);

    expect(outcome).toEqual({ status: 'revised', seq: 5, roomSeq: 9 });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put).toMatchObject({
      Item: { sk: 'MSG#m007', sequence: '200', seq: 5, windowStart: 4 },
      ConditionExpression: '#sequence = :previous',
      ExpressionAttributeValues: { ':previous': '100' },
    });
    expect(items[1]?.Update).toMatchObject({
      Key: { sk: 'CHUNK#000000000004' },
      ExpressionAttributeValues: { ':entry': { seq: 5, text: 'The staging database moved to [redacted].' } },
    });
  });

  it('retries on a concurrent writer, then gives up with a conflict error', async () => {
    givenItems({});
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('None', 'None', 'ConditionalCheckFailed'));

    await expect(store().remember(message, '100', policy)).rejects.toBeInstanceOf(MemoryWriteConflictError);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 3);
  });
});

describe('DynamoMemoryStore.forget', () => {
  it('removes the message from its window and leaves an expiring tombstone', async () => {
    givenItems({
      marker: { state: 'remembered', sequence: '100', seq: 5, windowStart: 4, textHash: 'x' },
      cursor: { seq: 9, windowStart: 7, windowCount: 3, windowChars: 60 },
    });
    ddb.on(TransactWriteCommand).resolves({});

    const outcome = await store().forget('r1', 'm007', '300');

    expect(outcome).toEqual({ status: 'forgotten', seq: 5, roomSeq: 9 });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put?.Item).toEqual({
      roomId: 'r1',
      sk: 'MSG#m007',
      entity: 'memoryMarker',
      state: 'forgotten',
      sequence: '300',
      expiresAt: Date.UTC(2026, 10, 21) / 1000 + 2 * 86_400,
    });
    expect(items[1]?.Update).toMatchObject({
      Key: { roomId: 'r1', sk: 'CHUNK#000000000004' },
      UpdateExpression: 'REMOVE messages.#id',
      ConditionExpression: 'attribute_exists(sk)',
    });
  });

  it('keeps only a tombstone for a message it never remembered', async () => {
    givenItems({});
    ddb.on(PutCommand).resolves({});

    const outcome = await store().forget('r1', 'm007', '300');

    expect(outcome).toEqual({ status: 'unchanged', roomSeq: 0 });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ sk: 'MSG#m007', state: 'forgotten' }),
      ConditionExpression: 'attribute_not_exists(sk)',
    });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});

describe('DynamoMemoryStore summaries', () => {
  const summary = {
    roomId: 'r1',
    text: 'Alice: staging moved.',
    fromMessageId: 'm001',
    toMessageId: 'm020',
    fromSeq: 1,
    throughSeq: 20,
    producedBy: 'extractive',
    createdAt: '2026-11-21T12:00:00.000Z',
  };

  it('stores a summary once per window', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejects(conditionalCheckFailed());

    const first = await store().saveSummary(summary);
    const second = await store().saveSummary(summary);

    expect([first, second]).toEqual([true, false]);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ sk: 'SUMMARY#000000000020', throughSeq: 20 }),
      ConditionExpression: 'attribute_not_exists(sk)',
    });
  });

  it('reads the latest summary through a given message with one keyed query', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ ...summary, sk: 'SUMMARY#000000000020' }] });

    const latest = await store().latestSummary('r1', 39);

    expect(latest).toEqual(summary);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'roomId = :roomId AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':roomId': 'r1', ':from': 'SUMMARY#000000000000', ':to': 'SUMMARY#000000000039' },
      ScanIndexForward: false,
      Limit: 1,
    });
  });

  it('discards the summaries from a message on', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ roomId: 'r1', sk: 'SUMMARY#000000000020' }, { roomId: 'r1', sk: 'SUMMARY#000000000040' }] });
    ddb.on(BatchWriteCommand).resolves({});

    const discarded = await store().discardSummariesFrom('r1', 5);

    expect(discarded).toBe(2);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':roomId': 'r1', ':from': 'SUMMARY#000000000005', ':to': 'SUMMARY#~' },
    });
    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: {
        memory: [
          { DeleteRequest: { Key: { roomId: 'r1', sk: 'SUMMARY#000000000020' } } },
          { DeleteRequest: { Key: { roomId: 'r1', sk: 'SUMMARY#000000000040' } } },
        ],
      },
    });
  });
});

describe('DynamoMemoryStore windows', () => {
  it('reads the most recent windows newest first, messages in order', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        {
          roomId: 'r1',
          sk: 'CHUNK#000000000004',
          windowStart: 4,
          messages: {
            m005: {
              seq: 5,
              senderName: 'Sam',
              senderType: 'human',
              senderId: 'u-sam',
              text: 'second',
              createdAt: '2026-11-21T12:00:05.000Z',
              vector: 'AQI=',
            },
            m004: { seq: 4, senderName: 'Lee', senderType: 'agent', text: 'first', createdAt: '2026-11-21T12:00:04.000Z' },
          },
        },
      ],
    });

    const chunks = await store().recentChunks('r1', 50);

    expect(chunks).toEqual([
      {
        roomId: 'r1',
        windowStart: 4,
        messages: [
          { roomId: 'r1', messageId: 'm004', seq: 4, senderName: 'Lee', senderType: 'agent', text: 'first', createdAt: '2026-11-21T12:00:04.000Z' },
          {
            roomId: 'r1',
            messageId: 'm005',
            seq: 5,
            senderName: 'Sam',
            senderType: 'human',
            senderId: 'u-sam',
            text: 'second',
            createdAt: '2026-11-21T12:00:05.000Z',
            vector: 'AQI=',
          },
        ],
      },
    ]);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ScanIndexForward: false, Limit: 50 });
  });

  it('reads the windows that may hold a range of messages', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    await store().messagesBetween('r1', 21, 40, policy);

    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':roomId': 'r1', ':from': 'CHUNK#000000000019', ':to': 'CHUNK#000000000040' },
    });
  });
});
