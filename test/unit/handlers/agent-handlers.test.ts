import { ApiGatewayManagementApiClient, ForbiddenException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { BedrockRuntimeClient, ConverseStreamCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentJob } from '../../../lambdas/domain/agents/job';
import { lambdaContext, stubHandlerEnv } from '../../support/events';
import { agentOf } from '../../support/fakes/agents';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const bedrock = mockClient(BedrockRuntimeClient);
const management = mockClient(ApiGatewayManagementApiClient);

type Worker = (typeof import('../../../lambdas/handlers/agent-worker'))['handler'];
type Dispatcher = (typeof import('../../../lambdas/handlers/agent-dispatcher'))['handler'];
let worker: Worker;
let dispatcher: Dispatcher;
let observability: typeof import('../../../lambdas/shared/observability');

beforeAll(async () => {
  stubHandlerEnv({
    AUDIT_TABLE: 'audit',
    AGENT_JOBS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/jobs.fifo',
    AGENT_JOBS_DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/1/jobs-dlq.fifo',
    AGENT_MAX_RECEIVE_COUNT: '3',
    FAN_OUT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/fan-out.fifo',
    // Rooms of more than two connections are fanned out in shards.
    FAN_OUT_SHARD_THRESHOLD: '2',
  });
  ({ handler: worker } = await import('../../../lambdas/handlers/agent-worker'));
  ({ handler: dispatcher } = await import('../../../lambdas/handlers/agent-dispatcher'));
  observability = await import('../../../lambdas/shared/observability');
});

const agentItem = (roomId: string) => ({ pk: `ROOM#${roomId}`, sk: 'AGENT#assistant', entity: 'agent', ...agentOf({ handle: 'assistant' }, roomId) });
const messageItem = (roomId: string) => ({
  roomId,
  sk: 'MSG#M1',
  entity: 'message',
  messageId: 'M1',
  senderId: 'u-alice',
  senderName: 'Alice',
  senderType: 'human',
  text: '@assistant hello',
  createdAt: '2026-11-21T12:00:00.000Z',
  moderation: 'allowed',
});

beforeEach(() => {
  // Agent configurations; any other rooms-table item (e.g. a room's retention) is absent.
  ddb.on(GetCommand, { TableName: 'rooms' }).callsFake((input: { Key: { pk: string; sk: string } }) =>
    input.Key.sk.startsWith('AGENT#') ? { Item: agentItem(input.Key.pk.slice(5)) } : {},
  );
  ddb.on(GetCommand, { TableName: 'messages' }).resolves({});
  ddb.on(GetCommand, { TableName: 'connections' }).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(PutCommand, { TableName: 'audit' }).resolves({});
  ddb.on(QueryCommand, { TableName: 'messages' }).callsFake((input: { ExpressionAttributeValues: { ':roomId': string } }) => ({
    Items: [messageItem(input.ExpressionAttributeValues[':roomId'])],
  }));
  ddb.on(QueryCommand, { TableName: 'connections' }).resolves({ Items: [{ connectionId: 'c-alice', userId: 'u-alice' }] });
  management.on(PostToConnectionCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({});
  sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  sqs.reset();
  bedrock.reset();
  management.reset();
});

async function* reply(text: string) {
  yield { messageStart: { role: 'assistant' as const } };
  yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text } } };
  yield { messageStop: { stopReason: 'end_turn' as const } };
  yield { metadata: { usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12 }, metrics: { latencyMs: 5 } } };
}

const sqsRecord = (id: string, job: AgentJob, receiveCount: number): SQSRecord => ({
  messageId: id,
  receiptHandle: `receipt-${id}`,
  body: JSON.stringify(job),
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: '0',
    SenderId: 'x',
    ApproximateFirstReceiveTimestamp: '0',
    MessageGroupId: `${job.roomId}#${job.handle}`,
    MessageDeduplicationId: `${job.triggerMessageId}#${job.handle}`,
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:1:jobs.fifo',
  awsRegion: 'eu-west-1',
});
const jobIn = (roomId: string): AgentJob => ({ roomId, handle: 'assistant', triggerMessageId: 'M1', reason: 'mention', replyDepth: 1 });

/** A subsegment as the tracer's fake hands it out: what it was named, annotated with, and whether it closed. */
interface FakeSubsegment {
  readonly id: string;
  readonly name: string;
  readonly annotations: Record<string, unknown>;
  closed: boolean;
  addNewSubsegment(name: string): FakeSubsegment;
  addAnnotation(key: string, value: unknown): void;
  addMetadata(): void;
  addError(): void;
  close(): void;
}

/**
 * Turns the shared tracer on for one test, over a fake facade segment (there
 * is no X-Ray daemon here), and returns every subsegment opened under it.
 */
function traceWithFakeSegments(): FakeSubsegment[] {
  const opened: FakeSubsegment[] = [];
  const segment = (name: string): FakeSubsegment => ({
    id: `seg${opened.length}`,
    name,
    annotations: {},
    closed: false,
    addNewSubsegment(child) {
      const sub = segment(child);
      opened.push(sub);
      return sub;
    },
    addAnnotation(key, value) {
      this.annotations[key] = value;
    },
    addMetadata() {},
    addError() {},
    close() {
      this.closed = true;
    },
  });
  let current = segment('facade');
  const { tracer } = observability;
  vi.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
  vi.spyOn(tracer, 'getSegment').mockImplementation(() => current as never);
  vi.spyOn(tracer, 'setSegment').mockImplementation((s) => {
    current = s as unknown as FakeSubsegment;
  });
  vi.spyOn(tracer, 'getRootXrayTraceId').mockReturnValue('1-dispatch-trace');
  vi.spyOn(tracer, 'isTraceSampled').mockReturnValue(true);
  vi.spyOn(tracer, 'putAnnotation').mockImplementation(() => undefined);
  vi.spyOn(tracer, 'putMetadata').mockImplementation(() => undefined);
  return opened;
}

afterEach(() => vi.restoreAllMocks());

describe('the agent worker handler', () => {
  it('reports only the failed job of a batch, and brings it back after a short delay', async () => {
    bedrock.on(ConverseStreamCommand).resolves({ stream: reply('Hi!'), $metadata: {} });
    ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#broken', sk: 'AGENT#assistant' } }).rejects(new Error('table unavailable'));
    const event: SQSEvent = { Records: [sqsRecord('a', jobIn('r1'), 1), sqsRecord('b', jobIn('broken'), 1)] };

    const response = await worker(event, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {});
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'audit',
      Item: expect.objectContaining({ roomId: 'r1', action: 'agent.called', idempotencyKey: 'agent-call:r1:assistant:M1' }),
    });
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, { ReceiptHandle: 'receipt-b', VisibilityTimeout: 5 });
  });

  it('logs a job whose posts failed at WARN, with their count and reasons, and counts them', async () => {
    // What every post gets when the function lacks execute-api:ManageConnections.
    management.on(PostToConnectionCommand).rejects(new ForbiddenException({ message: 'Forbidden', $metadata: { httpStatusCode: 403 } }));
    bedrock.on(ConverseStreamCommand).resolves({ stream: reply('Hi!'), $metadata: {} });
    const info = vi.spyOn(observability.logger, 'info');
    const warn = vi.spyOn(observability.logger, 'warn');
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    const response = await worker({ Records: [sqsRecord('a', jobIn('r1'), 1)] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    const posts = management.commandCalls(PostToConnectionCommand).length;
    expect(posts).toBeGreaterThan(1);
    expect(info).not.toHaveBeenCalledWith('agent job done', expect.anything());
    expect(warn).toHaveBeenCalledWith('agent job done', expect.objectContaining({ outcome: 'replied', posts, failedPosts: posts }));
    expect(warn).toHaveBeenCalledWith(
      'posts failed',
      expect.objectContaining({
        messageId: 'M1',
        failed: posts,
        failures: expect.arrayContaining([{ connectionId: 'c-alice', status: 403, error: 'ForbiddenException' }]),
      }),
    );
    expect(JSON.stringify(warn.mock.calls)).not.toContain('Hi!');
    expect(addMetric).toHaveBeenCalledWith('PostsFailed', 'Count', posts);
  });

  it('hands a large room’s reply to the fan-out queue and posts nothing itself', async () => {
    ddb.on(QueryCommand, { TableName: 'connections' }).resolves({
      Items: ['c-alice', 'c-bob', 'c-carol'].map((connectionId) => ({ connectionId, userId: `u-${connectionId.slice(2)}` })),
    });
    bedrock.on(ConverseStreamCommand).resolves({ stream: reply('Hi!'), $metadata: {} });
    const info = vi.spyOn(observability.logger, 'info');

    const response = await worker({ Records: [sqsRecord('a', jobIn('r1'), 1)] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(management).not.toHaveReceivedCommand(PostToConnectionCommand);
    const frames = sqs
      .commandCalls(SendMessageBatchCommand)
      .filter((call) => call.args[0].input.QueueUrl?.includes('fan-out'))
      .flatMap((call) => call.args[0].input.Entries ?? [])
      .map((entry) => JSON.parse(entry.MessageBody ?? '{}') as { frame: string; connectionIds: string[] });
    const types = [...new Set(frames.map((job) => (JSON.parse(job.frame) as { type: string }).type))];
    expect(types).toEqual(['agentThinking', 'agentDelta', 'agentDone']);
    for (const type of types) {
      const connections = frames.filter((job) => job.frame.includes(`"type":"${type}"`)).flatMap((job) => job.connectionIds);
      expect(connections.sort()).toEqual(['c-alice', 'c-bob', 'c-carol']);
    }
    // Three frames handed over for three connections each.
    expect(info).toHaveBeenCalledWith('agent job done', expect.objectContaining({ outcome: 'replied', posts: 9, failedPosts: 0 }));
  });

  it('answers a job in a subsegment annotated with the message answered and the dispatch’s trace, never the text', async () => {
    bedrock.on(ConverseStreamCommand).resolves({ stream: reply('Hi!'), $metadata: {} });
    const opened = traceWithFakeSegments();
    const record = sqsRecord('a', jobIn('r1'), 1);
    const traced = { ...record, attributes: { ...record.attributes, AWSTraceHeader: 'Root=1-6560c1b4-0c1a2b3c4d5e6f7a8b9c0d1e;Parent=1a2b3c4d5e6f7a8b;Sampled=1' } };

    const response = await worker({ Records: [traced] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    const answer = opened.find((s) => s.name === '### answer agent job');
    expect(answer?.annotations).toEqual({
      messageId: 'M1',
      roomId: 'r1',
      agent: 'assistant',
      dispatchTraceId: '1-6560c1b4-0c1a2b3c4d5e6f7a8b9c0d1e',
    });
    expect(answer?.closed).toBe(true);
    expect(JSON.stringify(opened.map((s) => s.annotations))).not.toContain('hello');
  });

  it('on the last delivery of a throttled job, tells the room and dead-letters it instead of failing', async () => {
    bedrock.on(ConverseStreamCommand).rejects(new ThrottlingException({ message: 'Too many requests', $metadata: { httpStatusCode: 429 } }));

    const response = await worker({ Records: [sqsRecord('a', jobIn('r1'), 3)] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(bedrock).toHaveReceivedCommandTimes(ConverseStreamCommand, 3);
    const posted = management.commandCalls(PostToConnectionCommand).map((c) => JSON.parse(String(c.args[0].input.Data)));
    expect(posted).toEqual([
      expect.objectContaining({ type: 'agentThinking', messageId: 'M1' }),
      expect.objectContaining({ type: 'notice', code: 'AGENT_UNAVAILABLE', messageId: 'M1' }),
    ]);
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/jobs-dlq.fifo',
      MessageAttributes: expect.objectContaining({ reason: { DataType: 'String', StringValue: 'ThrottlingException' } }),
    });
  });
});

describe('the agent worker handler, with a model’s circuit open', () => {
  const MODEL = agentOf({ handle: 'assistant' }).modelId;
  const circuitKey = { pk: `MODELCIRCUIT#${MODEL}`, sk: 'CIRCUIT' };

  it('refuses the job fast with the notice, calls no model, dead-letters nothing, and logs and counts it as circuitOpen', async () => {
    ddb
      .on(GetCommand, { TableName: 'connections', Key: circuitKey })
      .resolves({ Item: { ...circuitKey, state: 'open', openedAt: Date.now(), version: 4 } });
    const info = vi.spyOn(observability.logger, 'info');
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    const response = await worker({ Records: [sqsRecord('a', jobIn('r1'), 1)] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(bedrock).not.toHaveReceivedCommand(ConverseStreamCommand);
    const posted = management.commandCalls(PostToConnectionCommand).map((c) => JSON.parse(String(c.args[0].input.Data)));
    expect(posted).toEqual([expect.objectContaining({ type: 'notice', code: 'AGENT_UNAVAILABLE', messageId: 'M1' })]);
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
    expect(info).toHaveBeenCalledWith('agent job done', expect.objectContaining({ outcome: 'unavailable', reason: 'circuitOpen', modelCalls: 0 }));
    expect(addMetric).toHaveBeenCalledWith('AgentJob_circuitOpen', 'Count', 1);
  });

  it('counts the circuit opening and logs it when a failure reaches the threshold', async () => {
    bedrock.on(ConverseStreamCommand).rejects(new ThrottlingException({ message: 'Too many requests', $metadata: { httpStatusCode: 429 } }));
    ddb
      .on(GetCommand, { TableName: 'connections', Key: circuitKey })
      .resolves({ Item: { ...circuitKey, state: 'closed', failures: 4, windowStartedAt: Date.now(), version: 4 } });
    const warn = vi.spyOn(observability.logger, 'warn');
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    const response = await worker({ Records: [sqsRecord('a', jobIn('r1'), 1)] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'connections',
      Item: expect.objectContaining({ ...circuitKey, state: 'open', version: 5 }),
      ConditionExpression: 'version = :version',
    });
    expect(warn).toHaveBeenCalledWith('model circuit changed', { modelId: MODEL, from: 'closed', to: 'open' });
    expect(addMetric).toHaveBeenCalledWith('ModelCircuitOpened', 'Count', 1);
    expect(addMetric).toHaveBeenCalledWith('AgentJob_circuitOpen', 'Count', 1);
  });
});

describe('the agent worker handler, with tools', () => {
  async function* askForTime() {
    yield { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'tu-1', name: 'current_time' } } } };
    yield { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{}' } } } };
    yield { contentBlockStop: { contentBlockIndex: 0 } };
    yield { messageStop: { stopReason: 'tool_use' as const } };
    yield { metadata: { usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 }, metrics: { latencyMs: 5 } } };
  }

  it('runs the tool the model asks for, posts its status, and logs and counts the job’s tool calls', async () => {
    ddb
      .on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'AGENT#assistant' } })
      .resolves({ Item: { ...agentItem('r1'), tools: ['current_time'] } });
    bedrock.on(ConverseStreamCommand).resolvesOnce({ stream: askForTime(), $metadata: {} }).resolves({ stream: reply('Noon.'), $metadata: {} });
    const info = vi.spyOn(observability.logger, 'info');
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    const response = await worker({ Records: [sqsRecord('a', jobIn('r1'), 1)] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(bedrock).toHaveReceivedCommandTimes(ConverseStreamCommand, 2);
    const posted = management.commandCalls(PostToConnectionCommand).map((c) => JSON.parse(String(c.args[0].input.Data)));
    expect(posted.filter((f) => f.type === 'agentThinking').map((f) => f.status)).toEqual([undefined, 'checkingTime']);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'audit',
      Item: expect.objectContaining({ action: 'agent.toolCalled', details: expect.objectContaining({ tool: 'current_time', outcome: 'ok' }) }),
    });
    expect(info).toHaveBeenCalledWith('agent job done', expect.objectContaining({ outcome: 'replied', modelCalls: 2, toolCalls: 1 }));
    expect(addMetric).toHaveBeenCalledWith('AgentToolCalls', 'Count', 1);
  });
});

const streamRecord = (sequence: string, item: Record<string, unknown>) => ({
  eventID: sequence,
  eventName: 'INSERT' as const,
  eventSource: 'aws:dynamodb',
  dynamodb: { SequenceNumber: sequence, NewImage: marshall(item) as never, StreamViewType: 'NEW_AND_OLD_IMAGES' as const },
});

describe('the agent dispatcher handler', () => {
  it('enqueues a job for a mentioned agent and reports a record that fails', async () => {
    ddb.on(QueryCommand, { TableName: 'rooms' }).callsFake((input: { ExpressionAttributeValues: { ':pk': string } }) => {
      if (input.ExpressionAttributeValues[':pk'] === 'ROOM#broken') throw new Error('throttled');
      return { Items: [agentItem(input.ExpressionAttributeValues[':pk'].slice(5))] };
    });
    const event: DynamoDBStreamEvent = { Records: [streamRecord('100', messageItem('r1')), streamRecord('200', messageItem('broken'))] };

    const response = await dispatcher(event, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      Entries: [
        {
          Id: '0',
          MessageBody: JSON.stringify(jobIn('r1')),
          MessageGroupId: 'r1#assistant',
          MessageDeduplicationId: 'M1#assistant',
        },
      ],
    });
  });
});

describe('the agent dispatcher handler, traced', () => {
  it('dispatches each message in a subsegment found by its id, whose trace header each job carries', async () => {
    ddb.on(QueryCommand, { TableName: 'rooms' }).resolves({ Items: [agentItem('r1')] });
    const opened = traceWithFakeSegments();

    await dispatcher({ Records: [streamRecord('100', messageItem('r1'))] }, lambdaContext);

    const dispatch = opened.find((s) => s.name === '### dispatch message');
    expect(dispatch?.annotations).toEqual({ messageId: 'M1', roomId: 'r1' });
    expect(dispatch?.closed).toBe(true);
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      Entries: [
        expect.objectContaining({
          MessageSystemAttributes: {
            AWSTraceHeader: { DataType: 'String', StringValue: `Root=1-dispatch-trace;Parent=${dispatch?.id};Sampled=1` },
          },
        }),
      ],
    });
  });
});

describe('dispatchedMessageOf', () => {
  it('reads an agent message with its handle and depth, and skips items that are not messages', async () => {
    const { dispatchedMessageOf } = await import('../../../lambdas/handlers/agent-dispatcher');
    const reply = { ...messageItem('r1'), senderType: 'agent', senderId: 'agent:beta', agentHandle: 'beta', replyDepth: 2 };

    expect(dispatchedMessageOf(streamRecord('1', reply))).toMatchObject({ senderType: 'agent', agentHandle: 'beta', replyDepth: 2 });
    expect(dispatchedMessageOf(streamRecord('2', { roomId: 'r1', sk: 'DEDUP#x', entity: 'dedupe' }))).toBeUndefined();
    expect(() => dispatchedMessageOf(streamRecord('3', { entity: 'message', roomId: 'r1' }))).toThrow('Stored item has no string attribute');
  });

  it('carries the mentions stored on the message, so the dispatcher need not parse its text', async () => {
    const { dispatchedMessageOf } = await import('../../../lambdas/handlers/agent-dispatcher');
    const mentions = [{ kind: 'agent', id: 'beta' }];

    expect(dispatchedMessageOf(streamRecord('1', { ...messageItem('r1'), mentions }))).toMatchObject({ mentions });
    expect(dispatchedMessageOf(streamRecord('2', messageItem('r1')))).not.toHaveProperty('mentions');
  });

  it('reads allowed and redacted messages and skips those moderation withholds or a moderator hid', async () => {
    const { dispatchedMessageOf } = await import('../../../lambdas/handlers/agent-dispatcher');
    const withState = (moderation: string, patch: Record<string, unknown> = {}) =>
      streamRecord('1', { ...messageItem('r1'), moderation, ...patch });

    expect(dispatchedMessageOf(withState('allowed'))).toBeDefined();
    expect(dispatchedMessageOf(withState('redacted'))).toBeDefined();
    for (const state of ['pending', 'quarantined', 'blocked']) expect(dispatchedMessageOf(withState(state))).toBeUndefined();
    expect(dispatchedMessageOf(withState('allowed', { hiddenBy: 'u-mod', hiddenAt: '2026-11-21T12:01:00.000Z' }))).toBeUndefined();
  });
});
