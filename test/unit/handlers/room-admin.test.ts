import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const management = mockClient(ApiGatewayManagementApiClient);
const sqs = mockClient(SQSClient);

type Handler = (typeof import('../../../lambdas/handlers/room-admin'))['handler'];
let handler: Handler;

beforeAll(async () => {
  stubHandlerEnv({ AUDIT_TABLE: 'audit', ROOM_PURGE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/purge' });
  ({ handler } = await import('../../../lambdas/handlers/room-admin'));
});

const roomItem = { pk: 'ROOM#r1', sk: 'META', roomId: 'r1', name: 'Lobby', visibility: 'public', ownerId: 'u-alice', createdAt: '2026-11-21T09:00:00.000Z' };
const aliceItem = {
  pk: 'ROOM#r1',
  sk: 'MEMBER#u-alice',
  roomId: 'r1',
  userId: 'u-alice',
  displayName: 'Alice',
  role: 'owner',
  joinedAt: '2026-11-21T09:00:00.000Z',
};

beforeEach(() => {
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'META' } }).resolves({ Item: roomItem });
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'MEMBER#u-alice' } }).resolves({ Item: aliceItem });
  ddb.on(QueryCommand, { TableName: 'rooms' }).resolves({ Items: [{ pk: 'ROOM#r1', sk: 'MEMBER#u-alice' }] });
  ddb.on(QueryCommand, { TableName: 'connections' }).resolves({ Items: [{ connectionId: 'c-bob', userId: 'u-bob' }] });
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  management.on(PostToConnectionCommand).resolves({});
  ddb.on(BatchWriteCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  management.reset();
  sqs.reset();
});

const invoke = async (body: Record<string, unknown>, user?: { userId: string; displayName: string }) => {
  const event = wsEvent({ body, routeKey: String(body['action']), ...(user ? { user } : {}) });
  const result = (await handler(event, lambdaContext)) as { body: string };
  return JSON.parse(result.body) as Record<string, unknown>;
};

describe('room administration handler', () => {
  it('renames a room, tells the room and acks with the room, without the delivery report', async () => {
    const frame = await invoke({ action: 'updateRoom', roomId: 'r1', name: ' Hall ', requestId: 'q1' });

    expect(frame).toEqual({
      type: 'ack',
      action: 'updateRoom',
      requestId: 'q1',
      data: { room: { roomId: 'r1', name: 'Hall', visibility: 'public', ownerId: 'u-alice', createdAt: '2026-11-21T09:00:00.000Z' }, changed: ['name'] },
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'rooms', Item: expect.objectContaining({ name: 'Hall', gsi3sk: 'hall#r1' }) });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'audit', Item: expect.objectContaining({ action: 'room.updated' }) });
    const posted = management.commandCalls(PostToConnectionCommand).map((c) => JSON.parse(String(c.args[0].input.Data)));
    expect(posted).toEqual([expect.objectContaining({ type: 'roomUpdated', room: expect.objectContaining({ name: 'Hall' }) })]);
  });

  it('deletes a room and queues the purge of its messages and memory before removing the memberships', async () => {
    const frame = await invoke({ action: 'deleteRoom', roomId: 'r1', confirm: 'Lobby', requestId: 'q3' });

    expect(frame).toMatchObject({ type: 'ack', action: 'deleteRoom', requestId: 'q3', data: { roomId: 'r1' } });
    const deletedAt = (frame['data'] as { deletedAt: string }).deletedAt;
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/purge',
      MessageBody: JSON.stringify({ roomId: 'r1', deletedAt, phase: 'messages', sequence: 0 }),
      DelaySeconds: 30,
    });
    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, { RequestItems: { rooms: expect.anything() } });
  });

  it('answers an error and keeps the memberships when the purge cannot be queued, so the owner can retry', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('throttled'));

    const frame = await invoke({ action: 'deleteRoom', roomId: 'r1', confirm: 'Lobby', requestId: 'q4' });

    expect(frame).toMatchObject({ type: 'error', requestId: 'q4', action: 'deleteRoom' });
    expect(ddb).not.toHaveReceivedCommandWith(BatchWriteCommand, { RequestItems: { rooms: expect.anything() } });
    expect(management).not.toHaveReceivedCommand(PostToConnectionCommand);
  });

  it('refuses a deletion without the exact name, writing nothing', async () => {
    const frame = await invoke({ action: 'deleteRoom', roomId: 'r1', confirm: 'lobby', requestId: 'q2' });

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST', requestId: 'q2', action: 'deleteRoom' });
    // Only the action budget (connections table) was spent: the room was not touched.
    expect(ddb).not.toHaveReceivedCommandWith(UpdateCommand, { TableName: 'rooms' });
    expect(management).not.toHaveReceivedCommand(PostToConnectionCommand);
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
  });

  it('answers NOT_FOUND for a private room the caller is not in', async () => {
    ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'META' } }).resolves({ Item: { ...roomItem, visibility: 'private' } });

    const frame = await invoke({ action: 'getRoom', roomId: 'r1' }, { userId: 'u-eve', displayName: 'Eve' });

    expect(frame).toMatchObject({ type: 'error', code: 'NOT_FOUND', message: 'Room "r1" not found.' });
  });

  it('refuses a search for nothing visible', async () => {
    const frame = await invoke({ action: 'searchRooms', query: '   ' });

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST', action: 'searchRooms' });
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });
});

describe('room administration handler and room modes', () => {
  it('refuses an updateRoom that only tries to change the mode: a mode is fixed at creation', async () => {
    const frame = await invoke({ action: 'updateRoom', roomId: 'r1', mode: 'imposter', requestId: 'q1' });

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST', requestId: 'q1', message: expect.stringContaining('Nothing to change') });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('ignores mode beside other changes, as every unknown field, and keeps the room’s mode', async () => {
    ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'META' } }).resolves({ Item: { ...roomItem, mode: 'dialogue' } });

    const frame = await invoke({ action: 'updateRoom', roomId: 'r1', name: 'Hall', mode: 'imposter', requestId: 'q2' });

    expect(frame).toMatchObject({ type: 'ack', data: { room: { name: 'Hall', mode: 'dialogue' }, changed: ['name'] } });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'rooms', Item: expect.objectContaining({ name: 'Hall', mode: 'dialogue' }) });
  });

  it('answers getRoom for a game room with its mode and notice', async () => {
    ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'META' } }).resolves({ Item: { ...roomItem, mode: 'imposter' } });

    const frame = await invoke({ action: 'getRoom', roomId: 'r1', requestId: 'q3' });

    expect(frame).toMatchObject({ type: 'ack', data: { status: 'member', room: { mode: 'imposter' }, modeNotice: expect.stringContaining('hidden AI') } });
  });
});
