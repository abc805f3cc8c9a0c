import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEntryId, DynamoAuditLog } from '../../../../lambdas/adapters/dynamodb/audit-log';
import { DynamoModeratedMessageStore } from '../../../../lambdas/adapters/dynamodb/moderation-message-store';
import { DynamoOriginalTextStore } from '../../../../lambdas/adapters/dynamodb/moderation-originals';
import { DynamoModerationSettingsRepository } from '../../../../lambdas/adapters/dynamodb/moderation-settings-repository';
import type { AuditEntry } from '../../../../lambdas/domain/audit';
import { auditCursor } from '../../../../lambdas/domain/cursors';
import { ValidationError } from '../../../../lambdas/domain/errors';
import { DEFAULT_MODERATION_SETTINGS } from '../../../../lambdas/domain/moderation/settings';
import { documentClient } from '../../../support/dynamodb';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => {
  ddb.reset();
});

const MSG = '01KA0000000000000000000001';
const messageItem = (patch: Record<string, unknown> = {}) => ({
  roomId: 'r1',
  sk: `MSG#${MSG}`,
  entity: 'message',
  messageId: MSG,
  senderId: 'sam',
  senderName: 'Sam',
  senderType: 'human',
  text: 'hi',
  createdAt: '2026-11-21T12:00:00.000Z',
  ...patch,
});
const conditionFailed = (item?: Record<string, unknown>) =>
  Object.assign(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }), item ? { Item: marshall(item) } : {});

describe('DynamoAuditLog', () => {
  const entry: AuditEntry = {
    roomId: 'r1',
    idempotencyKey: `moderation:${MSG}:redacted`,
    occurredAt: '2026-11-21T12:00:00.000Z',
    actor: { type: 'system', id: 'moderation' },
    action: 'moderation.redacted',
    target: { type: 'message', id: MSG },
    details: { reasons: ['pii.email'] },
  };

  it('puts a new item keyed by a hash of the idempotency key, only if absent', async () => {
    ddb.on(PutCommand).resolves({});
    const id = auditEntryId('r1', entry.idempotencyKey);

    await new DynamoAuditLog(documentClient(), 'audit').record(entry);

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'audit',
      Item: expect.objectContaining({
        pk: 'ROOM#r1',
        sk: `ENTRY#${id}`,
        at: `2026-11-21T12:00:00.000Z#${id}`,
        action: 'moderation.redacted',
        details: { reasons: ['pii.email'] },
      }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('treats an entry recorded before as recorded', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());

    await expect(new DynamoAuditLog(documentClient(), 'audit').record(entry)).resolves.toBeUndefined();
  });

  it('refuses free text in details before writing anything', async () => {
    const log = new DynamoAuditLog(documentClient(), 'audit');

    await expect(log.record({ ...entry, details: { text: 'x'.repeat(300) } })).rejects.toThrow(/free text/);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('pages newest first through the byTime index with an opaque cursor', async () => {
    const id = auditEntryId('r1', entry.idempotencyKey);
    const stored = { pk: 'ROOM#r1', sk: `ENTRY#${id}`, at: `2026-11-21T12:00:00.000Z#${id}`, entryId: id, roomId: 'r1',
      idempotencyKey: entry.idempotencyKey, occurredAt: entry.occurredAt, actorType: 'system', actorId: 'moderation',
      action: 'moderation.redacted', targetType: 'message', targetId: MSG, details: { reasons: ['pii.email'] } };
    ddb.on(QueryCommand).resolves({ Items: [stored], LastEvaluatedKey: { pk: stored.pk, sk: stored.sk, at: stored.at } });
    const log = new DynamoAuditLog(documentClient(), 'audit');

    const first = await log.page('r1', { limit: 1 });
    await log.page('r1', { limit: 1, cursor: first.nextCursor! });

    expect(first.items).toEqual([{ ...entry, entryId: id }]);
    expect(first.nextCursor).toBe(auditCursor(first.items[0]!));
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, {
      IndexName: 'byTime',
      ScanIndexForward: false,
      ExclusiveStartKey: { pk: 'ROOM#r1', sk: `ENTRY#${id}`, at: stored.at },
    });
    await expect(log.page('r1', { limit: 1, cursor: 'bm90LWEta2V5' })).rejects.toThrow(ValidationError);
    await expect(log.page('r1', { limit: 1, cursor: `2026-11-21T12:00:00.000Z#not-an-entry` })).rejects.toThrow(ValidationError);
  });
});

describe('DynamoModeratedMessageStore', () => {
  const decision = { state: 'redacted' as const, text: '[email]', redacted: true, reasons: ['pii.email'], decidedAt: '2026-11-21T12:00:01.000Z' };

  it('applies a decision only to a pending message', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: messageItem({ moderation: 'redacted', decision: 'redacted', text: '[email]', redacted: true }) });

    const result = await new DynamoModeratedMessageStore(documentClient(), 'messages').applyDecision('r1', MSG, decision);

    expect(result).toMatchObject({ applied: true, message: { moderation: 'redacted', decision: 'redacted', redacted: true } });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { roomId: 'r1', sk: `MSG#${MSG}` },
      ConditionExpression: '#moderation = :pending',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('returns the stored message when it was decided before, and nothing when it is gone', async () => {
    const store = new DynamoModeratedMessageStore(documentClient(), 'messages');
    ddb.on(UpdateCommand).rejectsOnce(conditionFailed(messageItem({ moderation: 'allowed', decision: 'allowed' }))).rejectsOnce(conditionFailed());

    const decided = await store.applyDecision('r1', MSG, decision);
    const gone = await store.applyDecision('r1', MSG, decision);

    expect(decided).toMatchObject({ applied: false, current: { moderation: 'allowed', decision: 'allowed' } });
    expect(gone).toEqual({ applied: false });
  });

  it('hides a message that is not hidden yet and reads back who hid it', async () => {
    ddb.on(UpdateCommand).resolves({
      Attributes: messageItem({ moderation: 'allowed', hiddenBy: 'mo', hiddenAt: '2026-11-21T12:00:02.000Z' }),
    });

    const hidden = await new DynamoModeratedMessageStore(documentClient(), 'messages').setHidden('r1', MSG, {
      by: 'mo',
      at: '2026-11-21T12:00:02.000Z',
    });

    expect(hidden).toMatchObject({ moderation: 'allowed', hidden: { by: 'mo', at: '2026-11-21T12:00:02.000Z' } });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: 'attribute_exists(sk) AND attribute_not_exists(hiddenBy)',
    });
  });

  it('reports no change when a hide, release or delete finds nothing to do', async () => {
    const store = new DynamoModeratedMessageStore(documentClient(), 'messages');
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(DeleteCommand).resolves({});

    expect(await store.setHidden('r1', MSG, undefined)).toBeUndefined();
    expect(await store.release('r1', MSG, 'allowed', 'mo')).toBeUndefined();
    expect(await store.delete('r1', MSG)).toBeUndefined();
  });
});

describe('DynamoOriginalTextStore', () => {
  it('stores an original with an expiry after the retention period', async () => {
    ddb.on(PutCommand).resolves({});

    await new DynamoOriginalTextStore(documentClient(), 'moderation', 30).put({
      roomId: 'r1',
      messageId: MSG,
      senderId: 'sam',
      text: 'mail me at sam@example.com',
      reasons: ['pii.email'],
      keptAt: '2026-11-21T12:00:00.000Z',
    });

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'moderation',
      Item: expect.objectContaining({
        pk: 'ROOM#r1',
        sk: `ORIGINAL#${MSG}`,
        expiresAt: Date.parse('2026-11-21T12:00:00.000Z') / 1000 + 30 * 86_400,
      }),
    });
  });
});

describe('DynamoModerationSettingsRepository', () => {
  it('stores settings beside the room with an update that leaves the room’s agent count alone', async () => {
    ddb.on(UpdateCommand).resolves({});
    const repository = new DynamoModerationSettingsRepository(documentClient(), 'rooms');

    await repository.put('r1', DEFAULT_MODERATION_SETTINGS, { updatedBy: 'olga', updatedAt: '2026-11-21T12:00:00.000Z' });

    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'ROOM#r1', sk: 'MODERATION' },
      ExpressionAttributeValues: expect.objectContaining({ ':settings': DEFAULT_MODERATION_SETTINGS }),
    });
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.UpdateExpression).not.toContain('agentCount');
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('reads the settings and whether the room has agents with one consistent GetItem', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: { pk: 'ROOM#r1', sk: 'MODERATION', settings: DEFAULT_MODERATION_SETTINGS, agentCount: 2 } })
      .resolvesOnce({ Item: { pk: 'ROOM#r2', sk: 'MODERATION', agentCount: 1 } })
      .resolvesOnce({ Item: { pk: 'ROOM#r3', sk: 'MODERATION', settings: DEFAULT_MODERATION_SETTINGS, agentCount: 0 } })
      .resolvesOnce({});
    const repository = new DynamoModerationSettingsRepository(documentClient(), 'rooms');

    expect(await repository.getForCheck('r1')).toEqual({ settings: DEFAULT_MODERATION_SETTINGS, hasAgents: true });
    // Counted agents without saved settings: the room uses the defaults.
    expect(await repository.getForCheck('r2')).toEqual({ hasAgents: true });
    expect(await repository.getForCheck('r3')).toEqual({ settings: DEFAULT_MODERATION_SETTINGS, hasAgents: false });
    expect(await repository.getForCheck('r4')).toEqual({ hasAgents: false });
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 4);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: { pk: 'ROOM#r1', sk: 'MODERATION' }, ConsistentRead: true });
  });
});
