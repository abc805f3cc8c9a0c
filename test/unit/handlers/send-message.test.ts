import {
  ApiGatewayManagementApiClient,
  ForbiddenException,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';
import { recordSingleMetrics } from '../../support/metrics';

const ddb = mockClient(DynamoDBDocumentClient);
const management = mockClient(ApiGatewayManagementApiClient);

type Handler = (typeof import('../../../lambdas/handlers/send-message'))['handler'];
let handler: Handler;
let observability: typeof import('../../../lambdas/shared/observability');

beforeAll(async () => {
  stubHandlerEnv({
    MODERATION_TABLE: 'moderation',
    AUDIT_TABLE: 'audit',
    MAX_TEXT_BYTES: '64',
    FAN_OUT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/fan-out-jobs.fifo',
  });
  ({ handler } = await import('../../../lambdas/handlers/send-message'));
  observability = await import('../../../lambdas/shared/observability');
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

beforeEach(() => {
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'MEMBER#u-alice' } }).resolves({ Item: aliceMembership });
  // The membership and the room's moderation settings (none saved), read together.
  ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<{ pk: string; sk: string }> }> }) => ({
    Responses: {
      rooms: [aliceMembership].filter((item) => input.RequestItems['rooms']?.Keys.some((k) => k.pk === item.pk && k.sk === item.sk)),
    },
  }));
  ddb.on(UpdateCommand, { TableName: 'connections' }).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  // The room's agents (none): the roster for the injection check.
  ddb.on(QueryCommand, { TableName: 'rooms' }).resolves({ Items: [] });
  ddb.on(QueryCommand, { TableName: 'connections' }).resolves({
    Items: [
      { connectionId: 'c-alice', userId: 'u-alice' },
      { connectionId: 'c-bob', userId: 'u-bob' },
      { connectionId: 'c-gone', userId: 'u-alice' },
    ],
  });
  management.on(PostToConnectionCommand).resolves({});
  management
    .on(PostToConnectionCommand, { ConnectionId: 'c-gone' })
    .rejects(new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } }));
  ddb.on(DeleteCommand).resolves({});
  ddb.on(BatchWriteCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  management.reset();
});

const invoke = async (body: unknown) => {
  const result = (await handler(wsEvent({ body: body as object, routeKey: 'sendMessage' }), lambdaContext)) as {
    body: string;
  };
  return JSON.parse(result.body) as Record<string, unknown>;
};

describe('send-message handler', () => {
  it('stores the message moderated, delivers it to the room and acks with its id', async () => {
    const frame = await invoke({ action: 'sendMessage', roomId: 'r1', clientMessageId: 'c1', text: 'hello', requestId: 'q1' });

    expect(frame).toMatchObject({ type: 'ack', action: 'sendMessage', requestId: 'q1', data: { roomId: 'r1', duplicate: false } });
    // The retention policy joins them while this instance does not hold it.
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        rooms: {
          Keys: expect.arrayContaining([
            { pk: 'ROOM#r1', sk: 'MEMBER#u-alice' },
            { pk: 'ROOM#r1', sk: 'MODERATION' },
          ]),
          ConsistentRead: true,
        },
      },
    });
    // No other read of the room's items: they came in that one request.
    expect(ddb.commandCalls(GetCommand, { TableName: 'rooms' })).toHaveLength(0);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: expect.arrayContaining([
        expect.objectContaining({
          Put: expect.objectContaining({
            TableName: 'messages',
            Item: expect.objectContaining({ text: 'hello', roomId: 'r1', moderation: 'allowed', decision: 'allowed' }),
          }),
        }),
      ]),
    });
    expect(management).toHaveReceivedCommandWith(PostToConnectionCommand, { ConnectionId: 'c-alice' });
    expect(management).toHaveReceivedCommandWith(PostToConnectionCommand, { ConnectionId: 'c-bob' });
    expect(management).toHaveReceivedCommandTimes(PostToConnectionCommand, 3);
  });

  it('stores an email redacted, keeps the original in the moderation table and sends the room the redacted text', async () => {
    await invoke({ action: 'sendMessage', roomId: 'r1', clientMessageId: 'c6', text: 'mail me at al@example.com' });

    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: expect.arrayContaining([
        expect.objectContaining({
          Put: expect.objectContaining({
            Item: expect.objectContaining({
              text: 'mail me at [email]',
              moderation: 'redacted',
              redacted: true,
              moderationReasons: ['pii.email'],
            }),
          }),
        }),
      ]),
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'moderation',
      Item: expect.objectContaining({ text: 'mail me at al@example.com' }),
    });
    const toBob = management.commandCalls(PostToConnectionCommand, { ConnectionId: 'c-bob' });
    const posted = String(toBob[0]?.args[0].input.Data); // the gateway posts the frame as a string
    expect(posted).toContain('mail me at [email]');
    expect(posted).not.toContain('al@example.com');
  });

  it('removes the connection that answered 410 and no other', async () => {
    await invoke({ action: 'sendMessage', roomId: 'r1', clientMessageId: 'c2', text: 'hello' });

    const deletedKeys = [
      ...ddb.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key),
      ...ddb
        .commandCalls(BatchWriteCommand)
        .flatMap((c) => Object.values(c.args[0].input.RequestItems ?? {}).flat())
        .map((r) => r.DeleteRequest?.Key),
    ];
    expect(deletedKeys.length).toBeGreaterThan(0);
    expect(deletedKeys.every((k) => JSON.stringify(k).includes('c-gone'))).toBe(true);
  });

  it('logs a refused post at WARN with its reason, never the text, and counts it', async () => {
    management
      .on(PostToConnectionCommand, { ConnectionId: 'c-bob' })
      .rejects(new ForbiddenException({ message: 'Forbidden', $metadata: { httpStatusCode: 403 } }));
    const warn = vi.spyOn(observability.logger, 'warn');
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    const frame = await invoke({ action: 'sendMessage', roomId: 'r1', clientMessageId: 'c7', text: 'hello there' });

    expect(frame).toMatchObject({ type: 'ack', data: { duplicate: false } });
    expect(warn).toHaveBeenCalledWith(
      'posts failed',
      expect.objectContaining({
        roomId: 'r1',
        recipients: 3,
        gone: 1,
        failed: 1,
        failures: [{ connectionId: 'c-bob', status: 403, error: 'ForbiddenException' }],
      }),
    );
    expect(JSON.stringify(warn.mock.calls)).not.toContain('hello there');
    expect(addMetric).toHaveBeenCalledWith('PostsFailed', 'Count', 1);
  });

  it('logs no failure when every post is delivered or gone', async () => {
    const warn = vi.spyOn(observability.logger, 'warn');
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    await invoke({ action: 'sendMessage', roomId: 'r1', clientMessageId: 'c8', text: 'hello' });

    expect(warn).not.toHaveBeenCalled();
    expect(addMetric).not.toHaveBeenCalledWith('PostsFailed', expect.anything(), expect.anything());
  });

  it('counts a sent message, its deliveries and its moderation decision, with no room or user dimension', async () => {
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');
    const single = recordSingleMetrics(observability.metrics);

    await invoke({ action: 'sendMessage', roomId: 'r1', clientMessageId: 'c9', text: 'mail me at al@example.com' });

    expect(addMetric).toHaveBeenCalledWith('MessagesSent', 'Count', 1);
    // Three connections: two delivered, one gone.
    expect(addMetric).toHaveBeenCalledWith('MessageDeliveries', 'Count', 2);
    expect(single).toEqual([{ name: 'MessagesModerated', value: 1, dimensions: { sender: 'person', decision: 'redacted' } }]);
  });

  it('counts a refused message by the reason its sender is told', async () => {
    const single = recordSingleMetrics(observability.metrics);

    await invoke({ action: 'sendMessage', roomId: 'r1', clientMessageId: 'c11', text: 'x'.repeat(65) });

    expect(single).toEqual([{ name: 'MessagesRejected', value: 1, dimensions: { reason: 'PAYLOAD_TOO_LARGE' } }]);
  });

  it('answers an oversize text with an error frame and touches nothing', async () => {
    const frame = await invoke({ action: 'sendMessage', roomId: 'r1', clientMessageId: 'c3', text: 'x'.repeat(65) });

    expect(frame).toMatchObject({ type: 'error', code: 'PAYLOAD_TOO_LARGE' });
    expect(ddb.calls()).toHaveLength(0);
    expect(management.calls()).toHaveLength(0);
  });

  it('answers a non-member of an unknown room with NOT_FOUND and writes nothing', async () => {
    const frame = await invoke({ action: 'sendMessage', roomId: 'nope', clientMessageId: 'c4', text: 'hi' });

    expect(frame).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('answers a rate-limited sender with RATE_LIMITED and stores nothing', async () => {
    const conditionFailed = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
    });
    ddb.on(UpdateCommand, { TableName: 'connections' }).rejects(conditionFailed);

    const frame = await invoke({ action: 'sendMessage', roomId: 'r1', clientMessageId: 'c5', text: 'hi' });

    expect(frame).toMatchObject({ type: 'error', code: 'RATE_LIMITED' });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});
