import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAuditLog, filterExpression } from '../../../../lambdas/adapters/dynamodb/audit-log';
import { DynamoHeldQueue } from '../../../../lambdas/adapters/dynamodb/held-queue';
import { toItem } from '../../../../lambdas/adapters/dynamodb/message-items';
import { DynamoModeratedMessageStore } from '../../../../lambdas/adapters/dynamodb/moderation-message-store';
import { documentClient } from '../../../support/dynamodb';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => {
  ddb.reset();
});

const MSG = '01KA0000000000000000000001';
const NEXT = '01KA0000000000000000000002';
const NOW_MS = 1_800_000_000_000;
const queue = () => new DynamoHeldQueue(documentClient(), 'moderation', () => NOW_MS, () => 'v-2');
const marker = (messageId: string, expiresAt?: number) => ({
  pk: 'ROOM#r1',
  sk: `HELD#${messageId}`,
  entity: 'moderationHeld',
  roomId: 'r1',
  messageId,
  ...(expiresAt !== undefined ? { expiresAt } : {}),
});

describe('DynamoHeldQueue', () => {
  it('holds a message with one PutItem in its room\'s partition, with the message\'s expiry', async () => {
    ddb.on(PutCommand).resolves({});

    await queue().hold({ roomId: 'r1', messageId: MSG, expiresAt: 1_900_000_000 });

    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'moderation', Item: { ...marker(MSG, 1_900_000_000), version: 'v-2' } });
  });

  it('removes a stale marker only if it is still the write that was read', async () => {
    ddb.on(DeleteCommand).resolves({});

    const dropped = await queue().dropIfUnchanged({ roomId: 'r1', messageId: MSG, version: 'v-1' });

    expect(dropped).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: 'moderation',
      Key: { pk: 'ROOM#r1', sk: `HELD#${MSG}` },
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':version': 'v-1' },
    });
  });

  it('keeps a marker written again since it was read, and says so', async () => {
    ddb.on(DeleteCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    expect(await queue().dropIfUnchanged({ roomId: 'r1', messageId: MSG, version: 'v-1' })).toBe(false);
  });

  it('removes a marker from before versions only while it still has none', async () => {
    ddb.on(DeleteCommand).resolves({});

    await queue().dropIfUnchanged({ roomId: 'r1', messageId: MSG });

    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, {
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#version)',
      ExpressionAttributeNames: { '#version': 'version' },
    });
  });

  it('passes on a failure other than the condition', async () => {
    ddb.on(DeleteCommand).rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }));

    await expect(queue().dropIfUnchanged({ roomId: 'r1', messageId: MSG, version: 'v-1' })).rejects.toThrow('slow down');
  });

  it('reads each marker with the version it was written with', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ ...marker(MSG), version: 'v-7' }, marker(NEXT)] });

    const page = await queue().page('r1', { limit: 10 });

    expect(page.items).toEqual([
      { roomId: 'r1', messageId: MSG, version: 'v-7' },
      { roomId: 'r1', messageId: NEXT },
    ]);
  });

  it('drops a marker with one DeleteItem', async () => {
    ddb.on(DeleteCommand).resolves({});

    await queue().drop('r1', MSG);

    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'moderation', Key: { pk: 'ROOM#r1', sk: `HELD#${MSG}` } });
  });

  it('reads a page with one Query of the room\'s markers, oldest first, and issues the last key as a message id', async () => {
    ddb.on(QueryCommand).resolves({ Items: [marker(MSG)], LastEvaluatedKey: { pk: 'ROOM#r1', sk: `HELD#${MSG}` } });

    const page = await queue().page('r1', { limit: 1 });

    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'moderation',
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :held)',
      ExpressionAttributeValues: { ':pk': 'ROOM#r1', ':held': 'HELD#' },
      ScanIndexForward: true,
      Limit: 1,
    });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.IndexName).toBeUndefined();
    expect(page).toEqual({ items: [{ roomId: 'r1', messageId: MSG }], nextCursor: MSG });
  });

  it('starts after the cursor and leaves out markers past their expiry', async () => {
    ddb.on(QueryCommand).resolves({ Items: [marker(MSG, NOW_MS / 1000 - 1), marker(NEXT, NOW_MS / 1000 + 60)] });

    const page = await queue().page('r1', { limit: 5, cursor: MSG });

    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExclusiveStartKey: { pk: 'ROOM#r1', sk: `HELD#${MSG}` } });
    expect(page).toEqual({ items: [{ roomId: 'r1', messageId: NEXT, expiresAt: NOW_MS / 1000 + 60 }] });
  });
});

describe('DynamoModeratedMessageStore.getMany', () => {
  it('reads the named messages of the room with one BatchGetItem', async () => {
    const item = toItem({
      roomId: 'r1',
      messageId: MSG,
      senderId: 'sam',
      senderName: 'Sam',
      senderType: 'human',
      text: 'hi',
      clientMessageId: 'c1',
      createdAt: '2026-11-21T12:00:00.000Z',
      moderation: 'quarantined',
      decision: 'quarantined',
    });
    ddb.on(BatchGetCommand).resolves({ Responses: { messages: [item] } });

    const messages = await new DynamoModeratedMessageStore(documentClient(), 'messages').getMany('r1', [MSG, NEXT]);

    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: { messages: { Keys: [{ roomId: 'r1', sk: `MSG#${MSG}` }, { roomId: 'r1', sk: `MSG#${NEXT}` }] } },
    });
    expect(messages.map((m) => [m.messageId, m.moderation])).toEqual([[MSG, 'quarantined']]);
  });
});

describe('DynamoAuditLog filters', () => {
  it('reads a page through a FilterExpression of the kinds and the actor', async () => {
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: { at: '2026-11-21T12:00:00.000Z#abc' } });

    const page = await new DynamoAuditLog(documentClient(), 'audit').page('r1', {
      limit: 20,
      filter: { kinds: ['member', 'message.hidden'], actorId: 'olga' },
    });

    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byTime',
      Limit: 20,
      FilterExpression: '(begins_with(#action, :kind0) OR #action = :kind1) AND #actorId = :actorId',
      ExpressionAttributeNames: { '#action': 'action', '#actorId': 'actorId' },
      ExpressionAttributeValues: { ':pk': 'ROOM#r1', ':kind0': 'member.', ':kind1': 'message.hidden', ':actorId': 'olga' },
    });
    // An empty filtered page still leads on.
    expect(page).toEqual({ items: [], nextCursor: '2026-11-21T12:00:00.000Z#abc' });
  });

  it('sends no filter when none is asked', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    await new DynamoAuditLog(documentClient(), 'audit').page('r1', { limit: 20 });

    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input.FilterExpression).toBeUndefined();
    expect(input.ExpressionAttributeNames).toBeUndefined();
    expect(filterExpression({})).toBeUndefined();
    expect(filterExpression({ kinds: ['room'] })?.expression).toBe('begins_with(#action, :kind0)');
  });
});
