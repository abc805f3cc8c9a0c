import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const management = mockClient(ApiGatewayManagementApiClient);

type Handler = (typeof import('../../../lambdas/handlers/moderation'))['handler'];
let handler: Handler;

beforeAll(async () => {
  stubHandlerEnv({ AUDIT_TABLE: 'audit', MODERATION_TABLE: 'moderation' });
  ({ handler } = await import('../../../lambdas/handlers/moderation'));
});

const MSG = '01KA0000000000000000000001';
const membership = (userId: string, role: string) => ({
  pk: 'ROOM#r1',
  sk: `MEMBER#${userId}`,
  roomId: 'r1',
  userId,
  displayName: userId,
  role,
  joinedAt: '2026-11-21T09:00:00.000Z',
});
const heldItem = {
  roomId: 'r1',
  sk: `MSG#${MSG}`,
  entity: 'message',
  messageId: MSG,
  senderId: 'u-sam',
  senderName: 'Sam',
  senderType: 'human',
  text: 'held',
  createdAt: '2026-11-21T12:00:00.000Z',
  moderation: 'quarantined',
  decision: 'quarantined',
};

beforeEach(() => {
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'MEMBER#u-alice' } }).resolves({ Item: membership('u-alice', 'moderator') });
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'MEMBER#u-mia' } }).resolves({ Item: membership('u-mia', 'member') });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(QueryCommand, { TableName: 'moderation' }).resolves({ Items: [{ pk: 'ROOM#r1', sk: `HELD#${MSG}`, roomId: 'r1', messageId: MSG }] });
  ddb.on(BatchGetCommand).resolves({ Responses: { messages: [heldItem] } });
  ddb.on(QueryCommand, { TableName: 'audit' }).resolves({ Items: [] });
});

afterEach(() => {
  ddb.reset();
  management.reset();
});

const invoke = async (body: Record<string, unknown>, user?: { userId: string; displayName: string }) => {
  const event = wsEvent({ body, routeKey: String(body['action']), ...(user ? { user } : {}) });
  const result = (await handler(event, lambdaContext)) as { body: string };
  return JSON.parse(result.body) as Record<string, unknown>;
};

describe('moderation handler', () => {
  it('acks listHeldMessages with the held messages its queue names', async () => {
    const frame = await invoke({ action: 'listHeldMessages', roomId: 'r1', requestId: 'q1' });

    expect(frame).toMatchObject({
      type: 'ack',
      action: 'listHeldMessages',
      requestId: 'q1',
      data: { roomId: 'r1', items: [expect.objectContaining({ messageId: MSG, moderation: 'quarantined' })] },
    });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { TableName: 'moderation', Limit: 50 });
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, { RequestItems: { messages: { Keys: [{ roomId: 'r1', sk: `MSG#${MSG}` }] } } });
  });

  it('refuses a plain member and a forged cursor without reading the queue', async () => {
    const member = await invoke({ action: 'listHeldMessages', roomId: 'r1', requestId: 'q2' }, { userId: 'u-mia', displayName: 'Mia' });
    const forged = await invoke({ action: 'listHeldMessages', roomId: 'r1', cursor: 'MSG#x', requestId: 'q3' });

    expect(member).toMatchObject({ type: 'error', code: 'FORBIDDEN', requestId: 'q2' });
    expect(forged).toMatchObject({ type: 'error', code: 'BAD_REQUEST', requestId: 'q3' });
    expect(ddb).not.toHaveReceivedCommandWith(QueryCommand, { TableName: 'moderation' });
  });

  it('passes getAuditLog filters to the query and refuses an unknown kind', async () => {
    const filtered = await invoke({ action: 'getAuditLog', roomId: 'r1', kinds: ['member'], actorId: 'u-bob', requestId: 'a1' });
    const unknown = await invoke({ action: 'getAuditLog', roomId: 'r1', kinds: ['everything'], requestId: 'a2' });

    expect(filtered).toMatchObject({ type: 'ack', data: { roomId: 'r1', items: [] } });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'audit',
      FilterExpression: 'begins_with(#action, :kind0) AND #actorId = :actorId',
    });
    expect(unknown).toMatchObject({ type: 'error', code: 'BAD_REQUEST', requestId: 'a2' });
  });
});
