import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { toItem } from '../../../lambdas/adapters/dynamodb/message-items';
import { conditionalCheckFailed } from '../../support/dynamodb';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const management = mockClient(ApiGatewayManagementApiClient);

type Handler = (typeof import('../../../lambdas/handlers/send-message'))['handler'];
let handler: Handler;

const M1 = '01KA0000000000000000000001';
const SENT_AT = Date.parse('2026-12-01T10:00:00.000Z');

beforeAll(async () => {
  stubHandlerEnv({
    MODERATION_TABLE: 'moderation',
    AUDIT_TABLE: 'audit',
    MAX_TEXT_BYTES: '64',
    EDIT_WINDOW_SECONDS: '60',
    FAN_OUT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/fan-out-jobs.fifo',
  });
  ({ handler } = await import('../../../lambdas/handlers/send-message'));
});

const aliceMembership = {
  pk: 'ROOM#r1',
  sk: 'MEMBER#u-alice',
  entity: 'membership',
  roomId: 'r1',
  userId: 'u-alice',
  displayName: 'Alice',
  role: 'member',
  joinedAt: '2026-11-21T10:00:00.000Z',
};
const sent = toItem({
  roomId: 'r1',
  messageId: M1,
  senderId: 'u-alice',
  senderName: 'Alice',
  senderType: 'human',
  text: 'helo',
  clientMessageId: 'c1',
  createdAt: new Date(SENT_AT).toISOString(),
  moderation: 'allowed',
  decision: 'allowed',
  reasons: [],
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(SENT_AT + 10_000);
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'MEMBER#u-alice' } }).resolves({ Item: aliceMembership });
  ddb.on(GetCommand, { TableName: 'messages' }).resolves({ Item: sent });
  ddb.on(UpdateCommand, { TableName: 'messages' }).callsFake((input: { ExpressionAttributeValues: Record<string, unknown> }) => ({
    Attributes: { ...sent, text: input.ExpressionAttributeValues[':text'], editedAt: input.ExpressionAttributeValues[':editedAt'] },
  }));
  ddb.on(PutCommand).resolves({});
  ddb.on(QueryCommand, { TableName: 'rooms' }).resolves({ Items: [] });
  ddb.on(QueryCommand, { TableName: 'connections' }).resolves({
    Items: [
      { connectionId: 'c-alice', userId: 'u-alice' },
      { connectionId: 'c-bob', userId: 'u-bob' },
    ],
  });
  ddb.on(DeleteCommand).resolves({});
  ddb.on(BatchWriteCommand).resolves({});
  management.on(PostToConnectionCommand).resolves({});
});

afterEach(() => {
  vi.useRealTimers();
  ddb.reset();
  management.reset();
});

const invoke = async (body: Record<string, unknown>) => {
  const result = (await handler(
    wsEvent({ body: { action: 'editMessage', roomId: 'r1', messageId: M1, ...body }, routeKey: 'editMessage' }),
    lambdaContext,
  )) as { body: string };
  return JSON.parse(result.body) as Record<string, unknown>;
};

describe('send-message handler: editMessage', () => {
  it('stores the edit, keeps the previous text, audits it and tells the room with messageUpdated', async () => {
    const frame = await invoke({ text: 'hello', requestId: 'q1' });

    const editedAt = new Date(SENT_AT + 10_000).toISOString();
    expect(frame).toEqual({
      type: 'ack',
      action: 'editMessage',
      requestId: 'q1',
      data: { roomId: 'r1', messageId: M1, moderation: 'allowed', editedAt },
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { TableName: 'messages', Key: { roomId: 'r1', sk: `MSG#${M1}` } });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'moderation',
      Item: expect.objectContaining({ text: 'hello', previousText: 'helo' }),
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'audit',
      Item: expect.objectContaining({ action: 'message.edited' }),
    });
    const toBob = String(management.commandCalls(PostToConnectionCommand, { ConnectionId: 'c-bob' })[0]?.args[0].input.Data);
    expect(JSON.parse(toBob)).toMatchObject({ type: 'messageUpdated', message: { text: 'hello', editedAt } });
  });

  it('refuses an edit after the configured window with CONFLICT and writes nothing', async () => {
    vi.setSystemTime(SENT_AT + 61_000);

    const frame = await invoke({ text: 'hello' });

    expect(frame).toMatchObject({ type: 'error', code: 'CONFLICT', action: 'editMessage' });
    // The action budget (connections table) was spent; the message was not touched.
    expect(ddb).not.toHaveReceivedCommandWith(UpdateCommand, { TableName: 'messages' });
    expect(management).toHaveReceivedCommandTimes(PostToConnectionCommand, 0);
  });

  it('answers a concurrent change with CONFLICT and tells nobody', async () => {
    ddb.on(UpdateCommand, { TableName: 'messages' }).rejects(conditionalCheckFailed());

    const frame = await invoke({ text: 'hello' });

    expect(frame).toMatchObject({ type: 'error', code: 'CONFLICT' });
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 0);
    expect(management).toHaveReceivedCommandTimes(PostToConnectionCommand, 0);
  });

  it.each([
    ['a malformed message id', { messageId: 'nope', text: 'hello' }],
    ['an oversize text', { text: 'x'.repeat(65) }],
    ['a lone surrogate', { text: 'bad \uD800' }],
  ])('refuses %s with an error frame and reads nothing', async (_, body) => {
    const frame = await invoke(body);

    expect(frame).toMatchObject({ type: 'error', action: 'editMessage' });
    expect(ddb).not.toHaveReceivedCommandWith(UpdateCommand, { TableName: 'messages' });
  });
});
