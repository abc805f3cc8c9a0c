import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const management = mockClient(ApiGatewayManagementApiClient);

type Handler = (typeof import('../../../lambdas/handlers/people'))['handler'];
let handler: Handler;

beforeAll(async () => {
  stubHandlerEnv({ AUDIT_TABLE: 'audit', PEOPLE_SEARCH: 'everyone', INVITATION_DAYS: '7' });
  ({ handler } = await import('../../../lambdas/handlers/people'));
});

afterEach(() => {
  ddb.reset();
  management.reset();
});

const invoke = async (body: Record<string, unknown>) => {
  const result = (await handler(wsEvent({ body, routeKey: String(body['action']) }), lambdaContext)) as { body: string };
  return JSON.parse(result.body) as Record<string, unknown>;
};

const invitationItem = {
  pk: 'ROOM#r1',
  sk: 'INVITE#u-alice',
  entity: 'invitation',
  roomId: 'r1',
  userId: 'u-alice',
  role: 'member',
  invitedBy: 'u-bob',
  invitedByName: 'Bob',
  invitedAt: '2026-11-21T12:00:00.000Z',
  roomName: 'Lobby',
  expiresAtIso: '2999-01-01T00:00:00.000Z',
  expiresAt: 32_472_144_000,
};

describe('people handler', () => {
  it('answers whoami with the caller’s profile', async () => {
    ddb.on(GetCommand).resolves({
      Item: { pk: 'USER#u-alice', sk: 'PROFILE', userId: 'u-alice', displayName: 'Alice', createdAt: '2026-11-21T12:00:00.000Z' },
    });

    const frame = await invoke({ action: 'whoami', requestId: 'w1' });

    expect(frame).toEqual({
      type: 'ack',
      action: 'whoami',
      requestId: 'w1',
      data: { profile: { userId: 'u-alice', displayName: 'Alice', createdAt: '2026-11-21T12:00:00.000Z' } },
    });
  });

  it('finds people by name from the byName index, ids and names only', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [{ userId: 'u-bob', displayName: 'Bob', createdAt: '2026-11-21T12:00:00.000Z', gsi3sk: 'bob#u-bob', email: 'bob@example.com' }],
    });

    const frame = await invoke({ action: 'findUsers', query: 'Bo' });

    expect(frame).toMatchObject({ type: 'ack', data: { users: [{ userId: 'u-bob', displayName: 'Bob' }] } });
    expect(JSON.stringify(frame)).not.toContain('example.com');
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { IndexName: 'byName', ExpressionAttributeValues: { ':partition': 'PERSON#b', ':prefix': 'bo' } });
  });

  it.each([
    [{ action: 'findUsers', query: '' }, 'query'],
    [{ action: 'findUsers', query: 'x'.repeat(65) }, 'query'],
    [{ action: 'findUsers', query: 'bob@example.com' }, 'email addresses are not searchable'],
    [{ action: 'findUsers', query: '\ud800' }, 'well-formed Unicode'],
    [{ action: 'acceptInvitation' }, 'roomId'],
    [{ action: 'revokeInvitation', roomId: 'r1' }, 'userId'],
  ])('refuses %j with BAD_REQUEST and reads nothing', async (body, says) => {
    const frame = await invoke(body);

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(String(frame['message'])).toContain(says);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('lists the caller’s invitations with names, from one Query', async () => {
    ddb.on(QueryCommand).resolves({ Items: [invitationItem] });

    const frame = await invoke({ action: 'listInvitations' });

    expect(frame).toMatchObject({
      type: 'ack',
      data: { invitations: [{ roomId: 'r1', roomName: 'Lobby', invitedByName: 'Bob', role: 'member' }] },
    });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });

  it('declines an invitation and tells the caller’s other connections', async () => {
    ddb.on(GetCommand).resolves({ Item: invitationItem });
    ddb.on(DeleteCommand).resolves({ Attributes: invitationItem });
    ddb.on(PutCommand).resolves({});
    ddb.on(QueryCommand, { TableName: 'connections' }).resolves({ Items: [{ connectionId: 'c-other', userId: 'u-alice' }] });
    management.on(PostToConnectionCommand).resolves({});

    const frame = await invoke({ action: 'declineInvitation', roomId: 'r1', requestId: 'd1' });

    expect(frame).toEqual({ type: 'ack', action: 'declineInvitation', requestId: 'd1', data: { roomId: 'r1' } });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'INVITE#u-alice' } });
    expect(management).toHaveReceivedCommandWith(PostToConnectionCommand, { ConnectionId: 'c-other' });
  });

  it('answers NOT_FOUND to accepting an invitation that does not exist, and writes nothing', async () => {
    ddb.on(GetCommand).resolves({});

    const frame = await invoke({ action: 'acceptInvitation', roomId: 'r1' });

    expect(frame).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });
});
