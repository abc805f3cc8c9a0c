import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const management = mockClient(ApiGatewayManagementApiClient);

type Handler = (event: ReturnType<typeof wsEvent>, context: typeof lambdaContext) => Promise<unknown>;
let connect: Handler;
let disconnect: Handler;

beforeAll(async () => {
  stubHandlerEnv();
  connect = (await import('../../../lambdas/handlers/connect')).handler as unknown as Handler;
  disconnect = (await import('../../../lambdas/handlers/disconnect')).handler as unknown as Handler;
});

const bobsRoom = {
  roomId: 'r1',
  userId: 'u-alice',
  displayName: 'Alice',
  role: 'member',
  joinedAt: '2026-11-21T10:00:00.000Z',
  roomName: 'Lobby',
  roomVisibility: 'public',
  roomOwnerId: 'u-bob',
  roomCreatedAt: '2026-11-21T09:00:00.000Z',
};
const FAR = Math.floor(Date.now() / 1000) + 3600;

beforeEach(() => {
  // Alice has connected before: her profile exists.
  ddb.on(GetCommand, { TableName: 'rooms' }).resolves({
    Item: { pk: 'USER#u-alice', sk: 'PROFILE', entity: 'profile', userId: 'u-alice', displayName: 'Alice', createdAt: '2026-11-01T00:00:00.000Z' },
  });
  ddb.on(QueryCommand, { TableName: 'rooms' }).resolves({ Items: [bobsRoom] });
  ddb.on(QueryCommand, { TableName: 'connections' }).resolves({
    Items: [
      { connectionId: 'conn-1', userId: 'u-alice' },
      { connectionId: 'c-bob', userId: 'u-bob' },
    ],
  });
  ddb.on(BatchWriteCommand).resolves({});
  ddb.on(DeleteCommand).resolves({ Attributes: { userId: 'u-alice', rooms: new Set(['r1']) } });
  management.on(PostToConnectionCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  management.reset();
});

const presencePosts = () =>
  management.commandCalls(PostToConnectionCommand).map((c) => ({
    connectionId: c.args[0].input.ConnectionId,
    frame: JSON.parse(String(c.args[0].input.Data)),
  }));

describe('$connect handler', () => {
  it("registers the connection, counts it and tells the user's rooms on their first connection", async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { userId: 'u-alice', connections: 1, version: 1, expiresAt: FAR } });

    const result = await connect(wsEvent({ routeKey: '$connect', eventType: 'CONNECT' }), lambdaContext);

    expect(result).toEqual({ statusCode: 200 });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { Key: { pk: 'PRESENCE#u-alice', sk: 'PRESENCE' } });
    expect(presencePosts()).toEqual([
      { connectionId: 'c-bob', frame: { type: 'presence', roomId: 'r1', userId: 'u-alice', online: true } },
    ]);
  });

  it('keeps the connection when presence fails', async () => {
    ddb.on(UpdateCommand).rejects(new Error('throttled'));

    const result = await connect(wsEvent({ routeKey: '$connect', eventType: 'CONNECT' }), lambdaContext);

    expect(result).toEqual({ statusCode: 200 });
    expect(ddb).toHaveReceivedCommand(BatchWriteCommand);
  });
});

describe('$disconnect handler', () => {
  it('removes the connection, uncounts it and tells the rooms when it was the last', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { userId: 'u-alice', connections: 0, version: 2, announced: true, expiresAt: FAR } });

    const result = await disconnect(wsEvent({ routeKey: '$disconnect', eventType: 'DISCONNECT' }), lambdaContext);

    expect(result).toEqual({ statusCode: 200 });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: 'CONN#conn-1', sk: 'META' } });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'PRESENCE#u-alice', sk: 'PRESENCE' },
      UpdateExpression: 'ADD connections :minusOne, version :one',
    });
    expect(presencePosts()).toEqual([
      { connectionId: 'c-bob', frame: { type: 'presence', roomId: 'r1', userId: 'u-alice', online: false } },
    ]);
  });
});
