import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoMessageRepository } from '../../../../lambdas/adapters/dynamodb/message-repository';
import { ConflictError } from '../../../../lambdas/domain/errors';
import type { ModeratedMessage } from '../../../../lambdas/domain/message';
import { documentClient, transactionCanceled } from '../../../support/dynamodb';

const TABLE = 'messages';
const NOW = Date.parse('2026-11-02T10:00:00.000Z');
const NOW_SECONDS = NOW / 1000;
const ddb = mockClient(DynamoDBDocumentClient);

const message = (messageId: string, clientMessageId = `c-${messageId}`): ModeratedMessage & { clientMessageId: string } => ({
  roomId: 'r1',
  messageId,
  senderId: 'alice',
  senderName: 'Alice',
  senderType: 'human',
  text: `text of ${messageId}`,
  clientMessageId,
  createdAt: '2026-11-02T10:00:00.000Z',
  moderation: 'pending',
});
const item = (m: ModeratedMessage) => ({ sk: `MSG#${m.messageId}`, entity: 'message', ...m });

const M1 = '01KA0000000000000000000001';
const M2 = '01KA0000000000000000000002';
const M3 = '01KA0000000000000000000003';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
  expect(ddb).not.toHaveReceivedCommand(ScanCommand);
  ddb.reset();
});

describe('DynamoMessageRepository.saveMessage', () => {
  it('writes a message moderated before storing with the attributes a moderation decision writes', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const sent = {
      ...message(M1, 'client-1'),
      text: 'mail me at [email]',
      moderation: 'redacted' as const,
      decision: 'redacted' as const,
      redacted: true,
      reasons: ['pii.email'],
      moderatedAt: '2026-11-21T12:00:00.000Z',
    };

    await new DynamoMessageRepository(documentClient(), TABLE).saveMessage(sent);

    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put?.Item;
    expect(put).toMatchObject({
      text: 'mail me at [email]',
      moderation: 'redacted',
      decision: 'redacted',
      redacted: true,
      moderationReasons: ['pii.email'],
      moderatedAt: '2026-11-21T12:00:00.000Z',
    });
    expect(put).not.toHaveProperty('reasons');
  });

  it('writes the message and its dedupe marker in one conditional transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const sent = message(M1, 'client-1');

    const result = await new DynamoMessageRepository(documentClient(), TABLE).saveMessage(sent);

    expect(result).toEqual({ stored: true });
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: {
            TableName: TABLE,
            Item: item(sent),
            ConditionExpression: 'attribute_not_exists(sk)',
          },
        },
        {
          Put: {
            TableName: TABLE,
            Item: {
              roomId: 'r1',
              sk: 'DEDUP#alice#client-1',
              entity: 'dedupe',
              messageId: M1,
              expiresAt: NOW_SECONDS + 86_400,
            },
            ConditionExpression: 'attribute_not_exists(sk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': NOW_SECONDS },
          },
        },
      ],
    });
  });

  it('honours the dedupe window and sets the message TTL it is given', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const repository = new DynamoMessageRepository(documentClient(), TABLE, { dedupeTtlSeconds: 600 });

    await repository.saveMessage(message(M1), NOW_SECONDS + 3600);

    const [messagePut, markerPut] = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(messagePut?.Put?.Item?.expiresAt).toBe(NOW_SECONDS + 3600);
    expect(markerPut?.Put?.Item?.expiresAt).toBe(NOW_SECONDS + 600);
  });

  it('leaves the message without TTL when it is kept', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await new DynamoMessageRepository(documentClient(), TABLE).saveMessage(message(M1));

    const messagePut = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0];
    expect(messagePut?.Put?.Item).not.toHaveProperty('expiresAt');
  });

  it('returns the message stored first when the dedupe marker exists', async () => {
    const first = message(M1, 'client-1');
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('None', 'ConditionalCheckFailed'));
    ddb
      .on(GetCommand, { Key: { roomId: 'r1', sk: 'DEDUP#alice#client-1' } })
      .resolves({ Item: { roomId: 'r1', sk: 'DEDUP#alice#client-1', entity: 'dedupe', messageId: M1 } });
    ddb.on(GetCommand, { Key: { roomId: 'r1', sk: `MSG#${M1}` } }).resolves({ Item: item(first) });

    const result = await new DynamoMessageRepository(documentClient(), TABLE).saveMessage(message(M2, 'client-1'));

    expect(result).toEqual({ stored: false, existing: first });
    expect(ddb).toHaveReceivedNthCommandWith(GetCommand, 1, {
      TableName: TABLE,
      Key: { roomId: 'r1', sk: 'DEDUP#alice#client-1' },
      ConsistentRead: true,
    });
    expect(ddb).toHaveReceivedNthCommandWith(GetCommand, 2, {
      TableName: TABLE,
      Key: { roomId: 'r1', sk: `MSG#${M1}` },
      ConsistentRead: true,
    });
  });

  it('reports a spent clientMessageId whose first message has expired as a conflict', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('None', 'ConditionalCheckFailed'));
    ddb.on(GetCommand, { Key: { roomId: 'r1', sk: 'DEDUP#alice#client-1' } }).resolves({ Item: { messageId: M1 } });
    ddb.on(GetCommand, { Key: { roomId: 'r1', sk: `MSG#${M1}` } }).resolves({});

    const saving = new DynamoMessageRepository(documentClient(), TABLE).saveMessage(message(M2, 'client-1'));

    await expect(saving).rejects.toBeInstanceOf(ConflictError);
  });

  it('rethrows when the message condition, not the marker, failed', async () => {
    const collision = transactionCanceled('ConditionalCheckFailed', 'None');
    ddb.on(TransactWriteCommand).rejects(collision);

    const saving = new DynamoMessageRepository(documentClient(), TABLE).saveMessage(message(M1));

    await expect(saving).rejects.toBe(collision);
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });

  it('rethrows any other failure', async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    ddb.on(TransactWriteCommand).rejects(throttled);

    const saving = new DynamoMessageRepository(documentClient(), TABLE).saveMessage(message(M1));

    await expect(saving).rejects.toBe(throttled);
  });
});

describe('DynamoMessageRepository.getHistory', () => {
  const repository = () => new DynamoMessageRepository(documentClient(), TABLE);

  it('reads backward from the newest and returns the page in chronological order', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [item(message(M3)), item(message(M2))],
      LastEvaluatedKey: { roomId: 'r1', sk: `MSG#${M2}` },
    });

    const page = await repository().getHistory('r1', { limit: 2, direction: 'backward' });

    expect(page.items.map((m) => m.messageId)).toEqual([M2, M3]);
    expect(page.nextCursor).toBe(M2);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      KeyConditionExpression: 'roomId = :roomId AND begins_with(sk, :msg)',
      ExpressionAttributeValues: { ':roomId': 'r1', ':msg': 'MSG#', ':now': expect.any(Number) },
      ScanIndexForward: false,
      Limit: 2,
    });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).not.toHaveProperty('ExclusiveStartKey');
  });

  it('leaves out messages past their expiry that TTL has not deleted yet', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const before = Math.floor(Date.now() / 1000);

    await repository().getHistory('r1', { limit: 50, direction: 'backward' });

    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input.FilterExpression).toBe('attribute_not_exists(expiresAt) OR expiresAt > :now');
    expect(input.ExpressionAttributeValues?.[':now']).toBeGreaterThanOrEqual(before);
  });

  it('continues backward from the cursor to older messages', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item(message(M1))] });

    const page = await repository().getHistory('r1', { limit: 2, direction: 'backward', cursor: M2 });

    expect(page).toEqual({ items: [message(M1)] });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ScanIndexForward: false,
      ExclusiveStartKey: { roomId: 'r1', sk: `MSG#${M2}` },
    });
  });

  it('reads forward after the cursor and keeps the order', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [item(message(M2)), item(message(M3))],
      LastEvaluatedKey: { roomId: 'r1', sk: `MSG#${M3}` },
    });

    const page = await repository().getHistory('r1', { limit: 2, direction: 'forward', cursor: M1 });

    expect(page.items.map((m) => m.messageId)).toEqual([M2, M3]);
    expect(page.nextCursor).toBe(M3);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ScanIndexForward: true,
      Limit: 2,
      ExclusiveStartKey: { roomId: 'r1', sk: `MSG#${M1}` },
    });
  });

  it('omits the cursor on the last page', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item(message(M3))] });

    const page = await repository().getHistory('r1', { limit: 50, direction: 'forward', cursor: M2 });

    expect(page).not.toHaveProperty('nextCursor');
  });

  it('maps items to messages without keys, entity or TTL', async () => {
    const stored = message(M1);
    ddb.on(QueryCommand).resolves({ Items: [{ ...item(stored), expiresAt: 1_900_000_000 }] });

    const page = await repository().getHistory('r1', { limit: 1, direction: 'backward' });

    expect(page.items).toStrictEqual([stored]);
  });
});
