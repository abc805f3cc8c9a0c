import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);

type Handler = (typeof import('../../../lambdas/handlers/connect'))['handler'];
let handler: Handler;

beforeAll(async () => {
  stubHandlerEnv({ AUDIT_TABLE: 'audit' });
  ({ handler } = await import('../../../lambdas/handlers/connect'));
});

const room = (guestAccess: string) => ({
  Item: { roomId: 'r1', name: 'Lobby', visibility: 'public', ownerId: 'u-alice', createdAt: '2026-11-21T12:00:00.000Z', guestAccess },
});

beforeEach(() => {
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'MEMBER#guest-abc' } }).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(BatchWriteCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
});

afterEach(() => ddb.reset());

/** $connect on a guest connection admitted to r1 until `exp`. */
const connectGuest = async () => {
  const event = wsEvent({ routeKey: '$connect', eventType: 'CONNECT', connectionId: 'c-guest', user: { userId: 'guest-abc', displayName: 'Ada (guest)' } });
  Object.assign((event.requestContext as unknown as { authorizer: Record<string, unknown> }).authorizer, { guestRoomId: 'r1', expiresAt: 1_800_000_000 });
  return (await handler(event, lambdaContext)) as { statusCode: number };
};

describe('connect handler: guests', () => {
  it('makes the guest a member of its room until the token lapses, subscribed to that room only, with no profile', async () => {
    ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'META' } }).resolves(room('post'));

    expect(await connectGuest()).toEqual({ statusCode: 200 });

    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put?.Item;
    expect(put).toMatchObject({ userId: 'guest-abc', role: 'guest', displayName: 'Ada (guest)', expiresAt: 1_800_000_000 });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'audit', Item: expect.objectContaining({ action: 'member.joined' }) });
    expect(ddb).not.toHaveReceivedCommandWith(PutCommand, { TableName: 'rooms' });
    expect(ddb).not.toHaveReceivedCommandWith(QueryCommand, { TableName: 'rooms' });
  });

  it('refuses the connection with 403 once the room lets no guests in, and writes nothing', async () => {
    ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'META' } }).resolves(room('off'));

    expect(await connectGuest()).toEqual({ statusCode: 403 });

    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(ddb).not.toHaveReceivedCommandWith(PutCommand, { TableName: 'connections' });
  });
});
