import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../../lambdas/domain/ids';
import { conditionalCheckFailed } from '../../support/dynamodb';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const management = mockClient(ApiGatewayManagementApiClient);

type Handler = (typeof import('../../../lambdas/handlers/presence'))['handler'];
let handler: Handler;

beforeAll(async () => {
  stubHandlerEnv();
  ({ handler } = await import('../../../lambdas/handlers/presence'));
});

const membership = {
  pk: 'ROOM#r1',
  sk: 'MEMBER#u-alice',
  roomId: 'r1',
  userId: 'u-alice',
  displayName: 'Alice',
  role: 'member',
  joinedAt: '2026-11-21T10:00:00.000Z',
};

beforeEach(() => {
  ddb.on(GetCommand, { TableName: 'rooms' }).resolves({ Item: membership });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(QueryCommand, { TableName: 'connections' }).resolves({
    Items: [
      { connectionId: 'conn-1', userId: 'u-alice' },
      { connectionId: 'conn-2', userId: 'u-alice' },
      { connectionId: 'c-bob', userId: 'u-bob' },
    ],
  });
  management.on(PostToConnectionCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  management.reset();
});

const invoke = async (body: unknown, routeKey: string) => {
  const result = (await handler(wsEvent({ body: body as object, routeKey }), lambdaContext)) as { body: string };
  return JSON.parse(result.body) as Record<string, unknown>;
};
const posted = () =>
  management.commandCalls(PostToConnectionCommand).map((c) => ({
    connectionId: c.args[0].input.ConnectionId,
    frame: JSON.parse(String(c.args[0].input.Data)),
  }));

describe('presence handler: typing', () => {
  it("acks, takes from the typing limit and posts to the room's other members", async () => {
    const frame = await invoke({ action: 'typing', roomId: 'r1', requestId: 't1' }, 'typing');

    expect(frame).toEqual({ type: 'ack', action: 'typing', requestId: 't1', data: { expiresInMs: 6000 } });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { TableName: 'connections', Key: { pk: 'RATE#TYPING#r1#u-alice', sk: 'RATE' } });
    expect(posted()).toEqual([
      { connectionId: 'c-bob', frame: { type: 'typing', roomId: 'r1', userId: 'u-alice', displayName: 'Alice', expiresInMs: 6000 } },
    ]);
  });

  it('answers RATE_LIMITED when the limit is spent, and posts nothing', async () => {
    ddb.on(UpdateCommand, { TableName: 'connections' }).rejects(conditionalCheckFailed());

    const frame = await invoke({ action: 'typing', roomId: 'r1' }, 'typing');

    expect(frame).toMatchObject({ type: 'error', code: 'RATE_LIMITED', action: 'typing' });
    expect(posted()).toEqual([]);
  });
});

describe('presence handler: markRead and getReadState', () => {
  const messageId = createIdGenerator()(Date.now() - 1000);

  it("acks the mark and tells the caller's other connections", async () => {
    ddb
      .on(QueryCommand, { TableName: 'connections', ExpressionAttributeValues: { ':pk': 'USER#u-alice' } })
      .resolves({ Items: [{ connectionId: 'conn-1' }, { connectionId: 'conn-2' }] });

    const frame = await invoke({ action: 'markRead', roomId: 'r1', messageId, requestId: 'm1' }, 'markRead');

    expect(frame).toMatchObject({ type: 'ack', action: 'markRead', data: { moved: true, readState: { roomId: 'r1', messageId } } });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'READ#u-alice' } });
    expect(posted()).toEqual([{ connectionId: 'conn-2', frame: expect.objectContaining({ type: 'readState', roomId: 'r1', messageId }) }]);
  });

  it('refuses a malformed message id with BAD_REQUEST and writes nothing', async () => {
    const frame = await invoke({ action: 'markRead', roomId: 'r1', messageId: 'not-an-id' }, 'markRead');

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(String(frame['message'])).toContain('messageId');
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('returns the read marks of the rooms asked', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { rooms: [{ roomId: 'r1', messageId, readAt: '2026-12-06T12:00:00.000Z' }] } });

    const frame = await invoke({ action: 'getReadState', roomIds: ['r1', 'r2'] }, 'getReadState');

    expect(frame).toMatchObject({ type: 'ack', data: { readStates: [{ roomId: 'r1', messageId }] } });
  });

  it('refuses more than 100 rooms at once', async () => {
    const roomIds = Array.from({ length: 101 }, (_, i) => `r${i}`);

    const frame = await invoke({ action: 'getReadState', roomIds }, 'getReadState');

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(ddb).not.toHaveReceivedCommand(BatchGetCommand);
  });
});
