import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';
import { agentOf } from '../../support/fakes/agents';
import { conditionalCheckFailed } from '../../support/dynamodb';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

type Handler = (typeof import('../../../lambdas/handlers/agents'))['handler'];
let handler: Handler;

beforeAll(async () => {
  stubHandlerEnv({
    AUDIT_TABLE: 'audit',
    AGENT_MODEL_IDS: 'amazon.nova-micro-v1:0',
    AGENT_DEFAULT_MODEL_ID: 'amazon.nova-micro-v1:0',
    AGENT_JOBS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/jobs.fifo',
  });
  ({ handler } = await import('../../../lambdas/handlers/agents'));
});

const member = (userId: string, role: string) => ({
  pk: 'ROOM#r1',
  sk: `MEMBER#${userId}`,
  roomId: 'r1',
  userId,
  displayName: userId,
  role,
  joinedAt: '2026-11-21T09:00:00.000Z',
});
const meta = { handle: 'assistant', modelId: 'm', inputTokens: 3, outputTokens: 4, latencyMs: 5, replyDepth: 0, triggerMessageId: 'M1' };
const question = {
  roomId: 'r1',
  sk: 'MSG#M1',
  entity: 'message',
  messageId: 'M1',
  senderId: 'u-bob',
  senderName: 'Bob',
  senderType: 'human',
  text: '@assistant hello',
  createdAt: '2026-11-21T12:00:00.000Z',
  moderation: 'allowed',
};

beforeEach(() => {
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'MEMBER#u-bob' } }).resolves({ Item: member('u-bob', 'member') });
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'MEMBER#u-carol' } }).resolves({ Item: member('u-carol', 'member') });
  ddb
    .on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'AGENT#assistant' } })
    .resolves({ Item: { pk: 'ROOM#r1', sk: 'AGENT#assistant', entity: 'agent', ...agentOf({ handle: 'assistant' }, 'r1') } });
  ddb
    .on(GetCommand, { TableName: 'messages', Key: { roomId: 'r1', sk: 'MSG#R1' } })
    .resolves({ Item: { messageId: 'R1', createdAt: '2026-11-21T12:00:01.000Z', agent: meta } });
  ddb.on(QueryCommand, { TableName: 'messages' }).resolves({ Items: [question] });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'q', MD5OfMessageBody: '' }], Failed: [] });
});

afterEach(() => {
  ddb.reset();
  sqs.reset();
});

const regenerate = async (userId: string, messageId = 'R1') => {
  const event = wsEvent({
    body: { action: 'regenerateAgentReply', roomId: 'r1', requestId: 'q1', messageId },
    routeKey: 'regenerateAgentReply',
    user: { userId, displayName: userId },
  });
  const result = (await handler(event, lambdaContext)) as { body: string };
  return JSON.parse(result.body) as { type: string; data?: Record<string, unknown>; code?: string; requestId?: string };
};

describe('agents handler: regenerateAgentReply', () => {
  it('acks the person who asked with the attempt, and enqueues the job carrying it', async () => {
    const frame = await regenerate('u-bob');

    expect(frame).toMatchObject({ type: 'ack', data: { roomId: 'r1', messageId: 'R1', triggerMessageId: 'M1', handle: 'assistant', attempt: 2 } });
    const entry = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0];
    expect(JSON.parse(entry?.MessageBody ?? '{}')).toMatchObject({ handle: 'assistant', triggerMessageId: 'M1', attempt: 2 });
    expect(entry?.MessageDeduplicationId).toBe('M1#assistant#2');
  });

  it('answers FORBIDDEN to another member and enqueues nothing', async () => {
    const frame = await regenerate('u-carol');

    expect(frame).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('answers NOT_FOUND for an unknown reply', async () => {
    expect(await regenerate('u-bob', 'R-unknown')).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
  });

  it('answers CONFLICT while the new answer is already asked for', async () => {
    ddb.on(PutCommand, { TableName: 'connections' }).rejects(conditionalCheckFailed());

    expect(await regenerate('u-bob')).toMatchObject({ type: 'error', code: 'CONFLICT' });
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('answers a bad request to a request without a reply id', async () => {
    const event = wsEvent({
      body: { action: 'regenerateAgentReply', roomId: 'r1', requestId: 'q1' },
      routeKey: 'regenerateAgentReply',
      user: { userId: 'u-bob', displayName: 'u-bob' },
    });
    const result = (await handler(event, lambdaContext)) as { body: string };

    expect(JSON.parse(result.body)).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
  });
});
