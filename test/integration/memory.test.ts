import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMemoryStore } from '../../lambdas/adapters/dynamodb/memory-store';
import { DEFAULT_MEMORY_POLICY } from '../../lambdas/domain/memory/types';
import { type LocalParleyProcess, startLocalParley } from '../support/local-parley';
import { until } from '../support/wait';

interface Summary {
  text: string;
  fromMessageId: string;
  toMessageId: string;
}

/**
 * Room memory through the local runtime: messages sent over the socket flow
 * through the messages table's stream (filters, batches, retries, failure
 * destination) into the memory consumer, and members read the summary back.
 */
describe('room memory on the local runtime', () => {
  let parley: LocalParleyProcess;
  let documents: DynamoDBDocumentClient;
  let memory: DynamoMemoryStore;
  let messagesTable: string;
  const connect = (name: string) => parley.connect(name);
  const tableNamed = (pattern: RegExp) => {
    const name = Object.entries(parley.tables).find(([key]) => pattern.test(key))?.[1];
    if (name === undefined) throw new Error(`No table matching ${pattern} in ${Object.keys(parley.tables).join(', ')}`);
    return name;
  };

  beforeAll(async () => {
    parley = await startLocalParley();
    documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: parley.dynamoDbEndpoint,
        region: parley.region,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    messagesTable = tableNamed(/\/TablesMessages/);
    memory = new DynamoMemoryStore(documents, tableNamed(/\/MemoryTable/));
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('has a summary of the room once 20 messages are sent, which members can ask for', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const carol = await connect('carol');
    const { room } = await alice.ok<{ room: { roomId: string } }>('createRoom', { name: 'offsite planning' });
    await bob.ok('joinRoom', { roomId: room.roomId });
    const texts = [
      'The offsite moves to the Lisbon office on 14 May.',
      'Budget for the Lisbon offsite is capped at 12k, hotel included.',
      ...Array.from({ length: 18 }, (_, i) => `Agenda item ${i + 1} for the Lisbon offsite is confirmed.`),
    ];
    const sent: string[] = [];
    for (const [i, text] of texts.entries()) {
      const sender = i % 2 === 0 ? alice : bob;
      const ack = await sender.ok<{ messageId: string }>('sendMessage', { roomId: room.roomId, text, clientMessageId: `m${i}` });
      sent.push(ack.messageId);
      if (i === 18) {
        const early = await alice.ok<{ summary: Summary | null }>('getSummary', { roomId: room.roomId });
        expect(early.summary).toBeNull();
      }
    }

    const { summary } = await until(
      () => bob.ok<{ summary: Summary | null }>('getSummary', { roomId: room.roomId }),
      (r) => r.summary !== null,
    );
    const outsider = await carol.request('getSummary', { roomId: room.roomId });

    expect(summary).toMatchObject({ fromMessageId: sent[0], toMessageId: sent[19] });
    expect(summary?.text).toContain('Lisbon');
    expect(outsider).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
  }, 90_000);

  it('sends a poison change to the failure queue without holding back the room, and forgets deleted messages', async () => {
    const roomId = 'memory-direct';
    const put = (n: number, item: Record<string, unknown> = {}) =>
      documents.send(
        new PutCommand({
          TableName: messagesTable,
          Item: {
            roomId,
            sk: `MSG#M${String(n).padStart(25, '0')}`,
            entity: 'message',
            messageId: `M${String(n).padStart(25, '0')}`,
            senderId: 'u-dana',
            senderName: 'Dana',
            senderType: 'human',
            text: `Direct message ${n} about the deploy freeze.`,
            createdAt: new Date(Date.UTC(2026, 10, 21, 12, 0, n)).toISOString(),
            moderation: 'allowed',
            ...item,
          },
        }),
      );
    for (let n = 1; n <= 3; n += 1) await put(n);
    await put(4, { text: undefined }); // visible, but with no text: can never be remembered
    await put(5, { moderation: 'quarantined' }); // held by moderation: never remembered
    for (let n = 6; n <= 7; n += 1) await put(n);
    // A person's redacted message arrives as an INSERT already redacted: remembered with that text only.
    await put(8, { moderation: 'redacted', decision: 'redacted', redacted: true, text: 'Direct message 8: write to [email].' });

    const remembered = await until(
      async () => (await memory.messagesBetween(roomId, 1, 100, DEFAULT_MEMORY_POLICY)).map((m) => m.messageId),
      (ids) => ids.length >= 6,
    );
    const queueUrl = Object.entries(parley.queues).find(([key]) => /MemoryStreamFailures/.test(key))?.[1];
    const sqs = new SQSClient({
      endpoint: parley.sqsEndpoint,
      region: parley.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const failure = await until(
      async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }))).Messages ?? [],
      (messages) => messages.length > 0,
    );

    expect(remembered).toEqual([1, 2, 3, 6, 7, 8].map((n) => `M${String(n).padStart(25, '0')}`));
    const eighth = (await memory.messagesBetween(roomId, 1, 100, DEFAULT_MEMORY_POLICY)).at(-1);
    expect(eighth?.text).toBe('Direct message 8: write to [email].');
    expect(JSON.parse(failure[0]?.Body ?? '{}')).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted' },
      DDBStreamBatchInfo: { batchSize: expect.any(Number) },
    });

    await documents.send(new DeleteCommand({ TableName: messagesTable, Key: { roomId, sk: `MSG#M${'2'.padStart(25, '0')}` } }));
    const afterDelete = await until(
      async () => (await memory.messagesBetween(roomId, 1, 100, DEFAULT_MEMORY_POLICY)).map((m) => m.messageId),
      (ids) => ids.length === 5,
    );

    expect(afterDelete).not.toContain(`M${'2'.padStart(25, '0')}`);
  }, 90_000);
});
