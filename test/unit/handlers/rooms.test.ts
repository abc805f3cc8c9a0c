import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const management = mockClient(ApiGatewayManagementApiClient);

type Handler = (typeof import('../../../lambdas/handlers/rooms'))['handler'];
let handler: Handler;

beforeAll(async () => {
  stubHandlerEnv({ AUDIT_TABLE: 'audit' });
  ({ handler } = await import('../../../lambdas/handlers/rooms'));
});

const membership = (roomId: string, displayName: string) => ({
  pk: `ROOM#${roomId}`,
  sk: 'MEMBER#u-alice',
  entity: 'membership',
  roomId,
  userId: 'u-alice',
  displayName,
  role: 'member',
  joinedAt: '2026-11-21T10:00:00.000Z',
  roomName: roomId,
  roomVisibility: 'public',
  roomOwnerId: 'u-bob',
  roomCreatedAt: '2026-11-21T09:00:00.000Z',
});

beforeEach(() => {
  // The caller's memberships (byUser index), then each room's live connections and the caller's own.
  ddb.on(QueryCommand, { TableName: 'rooms' }).resolves({ Items: [membership('r1', 'Alice'), membership('r2', 'Alice')] });
  ddb.on(QueryCommand, { TableName: 'connections' }).resolves({ Items: [{ connectionId: 'c-bob', userId: 'u-bob' }] });
  ddb.on(UpdateCommand, { TableName: 'rooms' }).callsFake((input: { Key: { pk: string } }) => ({
    Attributes: input.Key.pk.startsWith('USER#')
      ? { userId: 'u-alice', displayName: 'Alice Liddell', createdAt: '2026-11-21T09:00:00.000Z' }
      : membership(input.Key.pk.slice('ROOM#'.length), 'Alice Liddell'),
  }));
  ddb.on(UpdateCommand, { TableName: 'connections' }).resolves({});
  management.on(PostToConnectionCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  management.reset();
});

const invoke = async (body: unknown) => {
  const result = (await handler(wsEvent({ body: body as object, routeKey: 'updateProfile' }), lambdaContext)) as { body: string };
  return JSON.parse(result.body) as Record<string, unknown>;
};

describe('rooms handler: updateProfile', () => {
  it('renames the memberships, announces it and acks with the new name', async () => {
    const frame = await invoke({ action: 'updateProfile', displayName: ' Alice Liddell ', requestId: 'q1' });

    expect(frame).toEqual({
      type: 'ack',
      action: 'updateProfile',
      requestId: 'q1',
      data: { displayName: 'Alice Liddell', roomIds: ['r1', 'r2'] },
    });
    for (const roomId of ['r1', 'r2']) {
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
        TableName: 'rooms',
        Key: { pk: `ROOM#${roomId}`, sk: 'MEMBER#u-alice' },
        UpdateExpression: 'SET displayName = :name',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':name': 'Alice Liddell' },
      });
    }
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'connections',
      Key: { pk: 'CONN#c-bob', sk: 'META' },
      ExpressionAttributeValues: { ':name': 'Alice Liddell' },
    });
    // The profile follows, found by the new name from now on.
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'rooms',
      Key: { pk: 'USER#u-alice', sk: 'PROFILE' },
      ExpressionAttributeValues: expect.objectContaining({
        ':name': 'Alice Liddell',
        ':gsi3pk': 'PERSON#a',
        ':gsi3sk': 'alice liddell#u-alice',
      }),
    });
    const posted = management.commandCalls(PostToConnectionCommand).map((c) => JSON.parse(String(c.args[0].input.Data)));
    expect(posted).toContainEqual(
      expect.objectContaining({ type: 'roomEvent', roomId: 'r1', event: expect.objectContaining({ kind: 'memberRenamed' }) }),
    );
  });

  it('skips a membership that disappeared meanwhile', async () => {
    ddb
      .on(UpdateCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r2', sk: 'MEMBER#u-alice' } })
      .rejects(new ConditionalCheckFailedException({ message: 'gone', $metadata: {} }));

    const frame = await invoke({ action: 'updateProfile', displayName: 'Alice Liddell' });

    expect(frame).toMatchObject({ type: 'ack', data: { roomIds: ['r1'] } });
  });

  it('answers a control character with a validation error and writes nothing', async () => {
    const frame = await invoke({ action: 'updateProfile', displayName: 'Ali\u0000ce', requestId: 'q2' });

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST', requestId: 'q2', action: 'updateProfile' });
    // The request spent a token of the action budget (connections table); no room or membership changed.
    expect(ddb).not.toHaveReceivedCommandWith(UpdateCommand, { TableName: 'rooms' });
  });

  it('refuses a frame without a display name', async () => {
    const frame = await invoke({ action: 'updateProfile' });

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
  });
});
