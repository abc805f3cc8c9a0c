import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoSendContextReader } from '../../../../lambdas/adapters/dynamodb/send-context-reader';
import { applySettingsPatch, DEFAULT_MODERATION_SETTINGS } from '../../../../lambdas/domain/moderation/settings';
import { documentClient } from '../../../support/dynamodb';

const TABLE = 'rooms';
const ddb = mockClient(DynamoDBDocumentClient);
const reader = () => new DynamoSendContextReader(documentClient(), TABLE);

const memberItem = {
  pk: 'ROOM#r1',
  sk: 'MEMBER#u-bob',
  entity: 'membership',
  roomId: 'r1',
  userId: 'u-bob',
  displayName: 'Bob',
  role: 'member',
  joinedAt: '2026-12-01T00:00:00.000Z',
};
const strict = applySettingsPatch(DEFAULT_MODERATION_SETTINGS, { profanity: { action: 'block' } });
const moderationItem = { pk: 'ROOM#r1', sk: 'MODERATION', settings: strict, agentCount: 1 };

describe('DynamoSendContextReader', () => {
  afterEach(() => ddb.reset());

  it('reads the membership and the moderation item in one consistent BatchGetItem', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [moderationItem, memberItem] } });

    const context = await reader().read('r1', 'u-bob');

    expect(ddb.calls()).toHaveLength(1);
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        [TABLE]: {
          Keys: [
            { pk: 'ROOM#r1', sk: 'MEMBER#u-bob' },
            { pk: 'ROOM#r1', sk: 'MODERATION' },
          ],
          ConsistentRead: true,
        },
      },
    });
    expect(context).toEqual({
      membership: { roomId: 'r1', userId: 'u-bob', displayName: 'Bob', role: 'member', joinedAt: '2026-12-01T00:00:00.000Z' },
      moderation: { settings: strict, hasAgents: true },
    });
    expect(context.retention).toBeUndefined();
  });

  it('adds the room’s retention policy item to the same request when asked', async () => {
    const policyItem = {
      pk: 'ROOM#r1',
      sk: 'RETENTION',
      entity: 'retentionPolicy',
      roomId: 'r1',
      days: 30,
      archiveDeletions: true,
      updatedAt: '2026-12-01T00:00:00.000Z',
      updatedBy: 'u-owner',
    };
    ddb.on(BatchGetCommand).resolvesOnce({ Responses: { [TABLE]: [memberItem, policyItem] } }).resolvesOnce({ Responses: { [TABLE]: [] } });

    const withPolicy = await reader().read('r1', 'u-bob', { withRetention: true });
    const withoutPolicy = await reader().read('r2', 'u-bob', { withRetention: true });

    expect(ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems?.[TABLE]?.Keys).toEqual([
      { pk: 'ROOM#r1', sk: 'MEMBER#u-bob' },
      { pk: 'ROOM#r1', sk: 'MODERATION' },
      { pk: 'ROOM#r1', sk: 'RETENTION' },
    ]);
    expect(withPolicy.retention).toEqual({
      policy: { roomId: 'r1', days: 30, archiveDeletions: true, updatedAt: '2026-12-01T00:00:00.000Z', updatedBy: 'u-owner' },
    });
    expect(withPolicy.moderation).toEqual({ hasAgents: false });
    expect(withoutPolicy.retention).toEqual({});
  });

  it('answers no membership and the default settings when neither item exists', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });

    expect(await reader().read('r1', 'u-carol')).toEqual({ moderation: { hasAgents: false } });
  });

  it('asks again for the keys DynamoDB left unprocessed', async () => {
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [memberItem] },
        UnprocessedKeys: { [TABLE]: { Keys: [{ pk: 'ROOM#r1', sk: 'MODERATION' }], ConsistentRead: true } },
      })
      .resolvesOnce({ Responses: { [TABLE]: [moderationItem] } });

    const context = await reader().read('r1', 'u-bob');

    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(2);
    expect(ddb.commandCalls(BatchGetCommand)[1]!.args[0].input.RequestItems?.[TABLE]?.Keys).toEqual([
      { pk: 'ROOM#r1', sk: 'MODERATION' },
    ]);
    expect(context.membership?.userId).toBe('u-bob');
    expect(context.moderation).toEqual({ settings: strict, hasAgents: true });
  });

  it('fails rather than answer without an item DynamoDB keeps leaving unprocessed', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: { [TABLE]: [] },
      UnprocessedKeys: { [TABLE]: { Keys: [{ pk: 'ROOM#r1', sk: 'MEMBER#u-bob' }] } },
    });

    await expect(reader().read('r1', 'u-bob')).rejects.toThrow(/unprocessed/);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(4);
  });
});
