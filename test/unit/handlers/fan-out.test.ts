import {
  ApiGatewayManagementApiClient,
  ForbiddenException,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fanOutDeduplicationId, fanOutGroupId, type FanOutJob } from '../../../lambdas/domain/fan-out';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const management = mockClient(ApiGatewayManagementApiClient);

type Worker = (typeof import('../../../lambdas/handlers/fan-out-worker'))['handler'];
type Sender = (typeof import('../../../lambdas/handlers/send-message'))['handler'];
let worker: Worker;
let sender: Sender;
let observability: typeof import('../../../lambdas/shared/observability');

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/1/fan-out-jobs.fifo';

beforeAll(async () => {
  stubHandlerEnv({
    MODERATION_TABLE: 'moderation',
    AUDIT_TABLE: 'audit',
    FAN_OUT_QUEUE_URL: QUEUE,
    // Any room with more than two connections is fanned out, two connections a shard.
    FAN_OUT_SHARD_THRESHOLD: '2',
    FAN_OUT_SHARD_SIZE: '2',
  });
  ({ handler: worker } = await import('../../../lambdas/handlers/fan-out-worker'));
  ({ handler: sender } = await import('../../../lambdas/handlers/send-message'));
  observability = await import('../../../lambdas/shared/observability');
});

beforeEach(() => {
  management.on(PostToConnectionCommand).resolves({});
  sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
  ddb.on(DeleteCommand).resolves({});
  ddb.on(BatchWriteCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  sqs.reset();
  management.reset();
});

const frame = JSON.stringify({ type: 'message', roomId: 'r1', message: { messageId: 'M1', text: 'hello' } });
const jobOf = (connectionIds: string[], patch: Partial<FanOutJob> = {}): FanOutJob => ({
  roomId: 'r1',
  messageId: 'M1',
  group: 4,
  shard: 0,
  attempt: 1,
  frame,
  connectionIds,
  ...patch,
});

const recordOf = (id: string, body: FanOutJob | string, attributes: Partial<SQSRecord['attributes']> = {}): SQSRecord => {
  const job = typeof body === 'string' ? jobOf(['c1']) : body;
  return {
    messageId: id,
    receiptHandle: `receipt-${id}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'x',
      ApproximateFirstReceiveTimestamp: '0',
      MessageGroupId: fanOutGroupId(job),
      MessageDeduplicationId: fanOutDeduplicationId(job),
      ...attributes,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:1:fan-out-jobs.fifo',
    awsRegion: 'eu-west-1',
  };
};

const postedTo = () => management.commandCalls(PostToConnectionCommand).map((call) => call.args[0].input.ConnectionId);

describe('fan-out worker', () => {
  it('posts each job’s frame to its connections and reports no failure', async () => {
    const response = await worker({ Records: [recordOf('a', jobOf(['c1', 'c2'])), recordOf('b', jobOf(['c3'], { group: 5 }))] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(postedTo()).toEqual(['c1', 'c2', 'c3']);
    expect(management).toHaveReceivedCommandWith(PostToConnectionCommand, { ConnectionId: 'c1', Data: frame });
  });

  it('removes a gone connection with its subscriptions', async () => {
    management
      .on(PostToConnectionCommand, { ConnectionId: 'c2' })
      .rejects(new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } }));
    ddb.on(DeleteCommand).resolves({ Attributes: { pk: 'CONN#c2', sk: 'META', userId: 'u2', rooms: ['r1'] } });

    const response = await worker({ Records: [recordOf('a', jobOf(['c1', 'c2']))] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'connections' });
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('puts back only the connections whose post failed, reports the failure, and acknowledges the job', async () => {
    management
      .on(PostToConnectionCommand, { ConnectionId: 'c2' })
      .rejects(Object.assign(new Error('throttled'), { name: 'LimitExceededException', $metadata: { httpStatusCode: 429 } }));
    const warn = vi.spyOn(observability.logger, 'warn');
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    const response = await worker({ Records: [recordOf('a', jobOf(['c1', 'c2', 'c3']))] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    const retry = jobOf(['c2'], { attempt: 2 });
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: QUEUE,
      Entries: [{ Id: '0', MessageBody: JSON.stringify(retry), MessageGroupId: 'r1#4', MessageDeduplicationId: 'M1#4#0#2' }],
    });
    expect(addMetric).toHaveBeenCalledWith('PostsFailed', 'Count', 1);
    expect(addMetric).toHaveBeenCalledWith('FanOutPostsRetried', 'Count', 1);
    expect(warn).toHaveBeenCalledWith(
      'posts failed',
      expect.objectContaining({ roomId: 'r1', messageId: 'M1', retried: 1, failed: 1, failures: [{ connectionId: 'c2', status: 429, error: 'LimitExceededException' }] }),
    );
  });

  it('does not put back a post refused for good', async () => {
    management
      .on(PostToConnectionCommand, { ConnectionId: 'c1' })
      .rejects(new ForbiddenException({ message: 'Forbidden', $metadata: { httpStatusCode: 403 } }));

    const response = await worker({ Records: [recordOf('a', jobOf(['c1']))] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('fails a job whose retry cannot be enqueued, and the later jobs of its group, but not the other groups', async () => {
    management
      .on(PostToConnectionCommand, { ConnectionId: 'c1' })
      .rejects(Object.assign(new Error('down'), { name: 'InternalServerErrorException', $metadata: { httpStatusCode: 500 } }));
    sqs.on(SendMessageBatchCommand).rejects(new Error('SQS is down'));
    const error = vi.spyOn(observability.logger, 'error');

    const response = await worker(
      {
        Records: [
          recordOf('a', jobOf(['c1'])),
          recordOf('b', jobOf(['c5'], { messageId: 'M2' })),
          recordOf('c', jobOf(['c6'], { group: 9 })),
        ],
      },
      lambdaContext,
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'a' }, { itemIdentifier: 'b' }] });
    expect(postedTo()).toContain('c6');
    expect(postedTo()).not.toContain('c5');
    expect(error).toHaveBeenCalledWith('fan-out job failed; it will be retried', expect.objectContaining({ roomId: 'r1', messageId: 'M1' }));
  });

  it('fails a record that is not a fan-out job, for the dead-letter queue', async () => {
    const error = vi.spyOn(observability.logger, 'error');

    const response = await worker({ Records: [recordOf('a', '{"roomId":"r1"}')] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'a' }] });
    expect(error).toHaveBeenCalledWith('fan-out job unreadable', expect.objectContaining({ messageId: 'a' }));
    expect(management).not.toHaveReceivedCommand(PostToConnectionCommand);
  });
});

describe('sendMessage in a room above the fan-out threshold', () => {
  beforeEach(() => {
    ddb.on(GetCommand).resolves({});
    // The sender's membership, read with the room's moderation settings (none saved).
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        rooms: [{ pk: 'ROOM#r1', sk: 'MEMBER#u-alice', entity: 'membership', roomId: 'r1', userId: 'u-alice', displayName: 'Alice', role: 'member', joinedAt: '2026-11-21T10:00:00.000Z' }],
      },
    });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    ddb.on(QueryCommand, { TableName: 'rooms' }).resolves({ Items: [] });
    ddb.on(QueryCommand, { TableName: 'connections' }).resolves({
      Items: ['c-a', 'c-b', 'c-c', 'c-d', 'c-e'].map((connectionId) => ({ connectionId, userId: 'u-alice' })),
    });
  });

  it('acknowledges the message after enqueuing its shards, posting nothing itself', async () => {
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    const result = (await sender(
      wsEvent({ body: { action: 'sendMessage', requestId: 'r1', roomId: 'r1', clientMessageId: 'm1', text: 'hello' }, routeKey: 'sendMessage' }),
      lambdaContext,
    )) as { body: string };

    expect(JSON.parse(result.body)).toMatchObject({ type: 'ack', requestId: 'r1', data: { roomId: 'r1', duplicate: false } });
    expect(management).not.toHaveReceivedCommand(PostToConnectionCommand);
    const jobs = sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((call) => call.args[0].input.Entries ?? [])
      .map((entry) => JSON.parse(entry.MessageBody ?? '{}') as FanOutJob);
    expect(jobs.flatMap((job) => job.connectionIds).sort()).toEqual(['c-a', 'c-b', 'c-c', 'c-d', 'c-e']);
    expect(jobs.every((job) => job.connectionIds.length <= 2)).toBe(true);
    expect(addMetric).toHaveBeenCalledWith('FanOutJobsEnqueued', 'Count', jobs.length);
    expect(addMetric).toHaveBeenCalledWith('MessageRecipients', 'Count', 5);
  });
});
