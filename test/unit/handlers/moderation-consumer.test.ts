import { ApiGatewayManagementApiClient, ForbiddenException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext, stubHandlerEnv } from '../../support/events';
import { recordSingleMetrics } from '../../support/metrics';

const ddb = mockClient(DynamoDBDocumentClient);
const management = mockClient(ApiGatewayManagementApiClient);

type Handler = (typeof import('../../../lambdas/handlers/moderation-consumer'))['handler'];
let handler: Handler;
let observability: typeof import('../../../lambdas/shared/observability');

beforeAll(async () => {
  stubHandlerEnv({ MODERATION_TABLE: 'moderation', AUDIT_TABLE: 'audit' });
  ({ handler } = await import('../../../lambdas/handlers/moderation-consumer'));
  observability = await import('../../../lambdas/shared/observability');
});

const messageItem = (patch: Record<string, unknown>) => ({
  roomId: 'r1',
  sk: 'MSG#M1',
  entity: 'message',
  messageId: 'M1',
  senderId: 'u-alice',
  senderName: 'Alice',
  senderType: 'human',
  text: 'mail me at [email]',
  createdAt: '2026-11-21T12:00:00.000Z',
  ...patch,
});

const insert = (item: Record<string, unknown>): DynamoDBStreamEvent => ({
  Records: [
    {
      eventID: '1',
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: { SequenceNumber: '1', Keys: marshall({ roomId: item['roomId'], sk: item['sk'] }) as never, NewImage: marshall(item) as never },
    },
  ],
});

const change = (
  eventName: 'MODIFY' | 'REMOVE',
  before: Record<string, unknown>,
  after?: Record<string, unknown>,
): DynamoDBStreamEvent => ({
  Records: [
    {
      eventID: '2',
      eventName,
      eventSource: 'aws:dynamodb',
      dynamodb: {
        SequenceNumber: '2',
        Keys: marshall({ roomId: before['roomId'], sk: before['sk'] }) as never,
        OldImage: marshall(before) as never,
        ...(after ? { NewImage: marshall(after) as never } : {}),
      },
    },
  ],
});

const quarantined = { moderation: 'quarantined', decision: 'quarantined', moderationReasons: ['injection'], expiresAt: 1_900_000_000 };

beforeEach(() => {
  ddb.on(DeleteCommand).resolves({});
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  management.on(PostToConnectionCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  management.reset();
});

describe('moderation consumer handler', () => {
  it('puts a person’s message quarantined at send in the review queue, with its expiry, and audits it', async () => {
    const result = await handler(insert(messageItem(quarantined)), lambdaContext);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'moderation',
      Item: { pk: 'ROOM#r1', sk: 'HELD#M1', entity: 'moderationHeld', roomId: 'r1', messageId: 'M1', expiresAt: 1_900_000_000, version: expect.any(String) },
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'audit', Item: expect.objectContaining({ action: 'moderation.quarantined' }) });
  });

  it('takes a released message out of the review queue, and does nothing else', async () => {
    const held = messageItem(quarantined);

    const result = await handler(change('MODIFY', held, { ...held, moderation: 'allowed', releasedBy: 'u-mo' }), lambdaContext);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'moderation', Key: { pk: 'ROOM#r1', sk: 'HELD#M1' } });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(management).not.toHaveReceivedCommand(PostToConnectionCommand);
  });

  it('takes a held message that expired or was deleted out of the review queue', async () => {
    const result = await handler(change('REMOVE', messageItem(quarantined)), lambdaContext);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'moderation', Key: { pk: 'ROOM#r1', sk: 'HELD#M1' } });
  });

  it('holds an agent’s reply once its own decision quarantines it, without deciding it again', async () => {
    const pending = messageItem({ senderType: 'agent', moderation: 'pending' });

    await handler(change('MODIFY', pending, { ...pending, ...quarantined }), lambdaContext);

    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'moderation', Item: expect.objectContaining({ sk: 'HELD#M1' }) });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('records only the audit entry of a person’s message moderated at send: no update, no delivery', async () => {
    const moderated = messageItem({
      moderation: 'redacted',
      decision: 'redacted',
      redacted: true,
      moderationReasons: ['pii.email'],
      moderatedAt: '2026-11-21T12:00:00.000Z',
    });

    const result = await handler(insert(moderated), lambdaContext);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'audit',
      Item: expect.objectContaining({ action: 'moderation.redacted', idempotencyKey: 'moderation:M1:redacted' }),
    });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(management).not.toHaveReceivedCommand(PostToConnectionCommand);
  });

  it('decides a pending agent reply with a conditional update', async () => {
    const reply = messageItem({ senderType: 'agent', senderId: 'agent:helper', text: 'see you at noon', moderation: 'pending' });
    ddb.on(UpdateCommand, { TableName: 'messages' }).resolves({
      Attributes: { ...reply, moderation: 'allowed', decision: 'allowed', moderationReasons: [], moderatedAt: '2026-11-21T12:00:01.000Z' },
    });

    const result = await handler(insert(reply), lambdaContext);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { TableName: 'messages', ConditionExpression: '#moderation = :pending' });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'audit',
      Item: expect.objectContaining({ action: 'moderation.allowed' }),
    });
  });

  it('logs the refused posts of a decided reply at WARN and counts them, and the record still succeeds', async () => {
    const reply = messageItem({ senderType: 'agent', senderId: 'agent:helper', text: 'see you at noon', moderation: 'pending' });
    ddb.on(UpdateCommand, { TableName: 'messages' }).resolves({
      Attributes: { ...reply, moderation: 'allowed', decision: 'allowed', moderationReasons: [], moderatedAt: '2026-11-21T12:00:01.000Z' },
    });
    ddb.on(QueryCommand, { TableName: 'connections' }).resolves({ Items: [{ connectionId: 'c-bob', userId: 'u-bob' }] });
    management.on(PostToConnectionCommand).rejects(new ForbiddenException({ message: 'Forbidden', $metadata: { httpStatusCode: 403 } }));
    const warn = vi.spyOn(observability.logger, 'warn');
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    const result = await handler(insert(reply), lambdaContext);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(warn).toHaveBeenCalledWith(
      'posts failed',
      expect.objectContaining({
        roomId: 'r1',
        messageId: 'M1',
        failed: 1,
        failures: [{ connectionId: 'c-bob', status: 403, error: 'ForbiddenException' }],
      }),
    );
    expect(JSON.stringify(warn.mock.calls)).not.toContain('see you at noon');
    expect(addMetric).toHaveBeenCalledWith('PostsFailed', 'Count', 1);
  });

  it('counts the decision on an agent’s reply by sender and decision only', async () => {
    const reply = messageItem({ senderType: 'agent', senderId: 'agent:helper', text: 'see you at noon', moderation: 'pending' });
    ddb.on(UpdateCommand, { TableName: 'messages' }).resolves({
      Attributes: { ...reply, moderation: 'allowed', decision: 'allowed', moderationReasons: [], moderatedAt: '2026-11-21T12:00:01.000Z' },
    });
    ddb.on(QueryCommand, { TableName: 'connections' }).resolves({ Items: [] });
    const single = recordSingleMetrics(observability.metrics);

    await handler(insert(reply), lambdaContext);

    expect(single).toEqual([{ name: 'MessagesModerated', value: 1, dimensions: { sender: 'agent', decision: 'allowed' } }]);
  });
});
