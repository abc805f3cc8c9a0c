import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DomainEvent } from '../../../lambdas/domain/events/domain-events';
import { verifyWebhook } from '../../../lambdas/domain/integrations/webhooks';
import { lambdaContext, stubHandlerEnv } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

type Handler = (event: SQSEvent, context: typeof lambdaContext) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;
let dispatch: Handler;
let deliver: Handler;
let observability: typeof import('../../../lambdas/shared/observability');

const DELIVERIES = 'https://sqs.eu-west-1.amazonaws.com/1/deliveries';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let server: Server;
let receiverUrl: string;
let status = 200;
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

const event: DomainEvent = {
  id: 'evt-1',
  type: 'member.joined',
  version: 1,
  occurredAt: '2026-12-06T10:00:00.000Z',
  roomId: 'r1',
  data: { userId: 'u-bob', role: 'member' },
};
const recordOf = (id: string, body: unknown, receiveCount = 1): SQSRecord => ({
  messageId: id,
  receiptHandle: `receipt-${id}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:1:queue',
  awsRegion: 'eu-west-1',
});
const busEvent = (detail: DomainEvent) => ({ version: '0', id: 'b', 'detail-type': detail.type, source: 'parley', detail });
const webhookItem = (overrides: Record<string, unknown> = {}) => ({
  roomId: 'r1',
  sk: 'WEBHOOK#W',
  webhookId: 'W',
  url: `${receiverUrl}/hook`,
  events: ['member.joined'],
  createdBy: 'u-alice',
  createdAt: '2026-12-01T00:00:00.000Z',
  secret: SECRET,
  ...overrides,
});

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stubHandlerEnv({
    INTEGRATIONS_TABLE: 'integrations',
    AUDIT_TABLE: 'audit',
    WEBHOOK_DELIVERIES_QUEUE_URL: DELIVERIES,
    WEBHOOK_RETRY_BASE_SECONDS: '30',
    PARLEY_WEBHOOKS_ALLOW_LOOPBACK: 'true',
  });
  dispatch = (await import('../../../lambdas/handlers/dispatch-webhooks')).handler as unknown as Handler;
  deliver = (await import('../../../lambdas/handlers/deliver-webhooks')).handler as unknown as Handler;
  observability = await import('../../../lambdas/shared/observability');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  status = 200;
  received.length = 0;
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  sqs.on(SendMessageBatchCommand).resolves({});
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  sqs.reset();
  vi.restoreAllMocks();
});

describe('dispatch-webhooks handler', () => {
  it('enqueues a job per subscribed webhook of the event’s room', async () => {
    ddb.on(QueryCommand).resolves({ Items: [webhookItem(), webhookItem({ webhookId: 'X', events: ['message.posted'] })] });

    const result = await dispatch({ Records: [recordOf('1', busEvent(event))] }, lambdaContext);

    expect(result.batchItemFailures).toEqual([]);
    const entries = sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries!;
    expect(entries.map((e) => JSON.parse(e.MessageBody!))).toEqual([{ roomId: 'r1', webhookId: 'W', event }]);
  });

  it('reports an unreadable event and a failed enqueue as failures of their own records only', async () => {
    ddb.on(QueryCommand).resolves({ Items: [webhookItem()] });
    sqs.on(SendMessageBatchCommand).rejects(new Error('throttled'));
    const logged = vi.spyOn(observability.logger, 'error');

    const result = await dispatch({ Records: [recordOf('bad', '{"source":"elsewhere"}'), recordOf('2', busEvent(event))] }, lambdaContext);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }, { itemIdentifier: '2' }]);
    expect(logged).toHaveBeenCalledWith('webhook event unreadable', expect.anything());
    expect(logged).toHaveBeenCalledWith('webhook event dispatch failed; it will be retried', expect.objectContaining({ roomId: 'r1' }));
  });
});

describe('deliver-webhooks handler', () => {
  const job = { roomId: 'r1', webhookId: 'W', event };

  it('POSTs the signed event and counts it delivered', async () => {
    ddb.on(GetCommand).resolves({ Item: webhookItem() });
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    const result = await deliver({ Records: [recordOf('1', job)] }, lambdaContext);

    expect(result.batchItemFailures).toEqual([]);
    expect(received).toHaveLength(1);
    expect(verifyWebhook(SECRET, received[0]!.headers, received[0]!.body, Date.now())).toMatchObject({ ok: true, id: 'evt-1' });
    expect(addMetric).toHaveBeenCalledWith('WebhookDelivered', 'Count', 1);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ outcome: 'delivered', statusCode: 200 }) });
  });

  it('brings a failed delivery back after its backoff and reports it failed', async () => {
    ddb.on(GetCommand).resolves({ Item: webhookItem() });
    status = 503;
    vi.spyOn(Math, 'random').mockReturnValue(0.5);

    const result = await deliver({ Records: [recordOf('1', job, 2)] }, lambdaContext);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '1' }]);
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, { QueueUrl: DELIVERIES, ReceiptHandle: 'receipt-1', VisibilityTimeout: 30 });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ attempt: 2, outcome: 'retrying', statusCode: 503 }) });
  });

  it('lets the last failed attempt go to the dead-letter queue at once, counting it', async () => {
    ddb.on(GetCommand).resolves({ Item: webhookItem() });
    status = 500;
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    const result = await deliver({ Records: [recordOf('1', job, 8)] }, lambdaContext);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '1' }]);
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, { VisibilityTimeout: 0 });
    expect(addMetric).toHaveBeenCalledWith('WebhookDeadLettered', 'Count', 1);
  });

  it('drops a job of a deleted webhook and disables one whose receiver is gone', async () => {
    ddb.on(GetCommand).resolvesOnce({}).resolves({ Item: webhookItem() });
    status = 410;

    const result = await deliver({ Records: [recordOf('deleted', job), recordOf('gone', job)] }, lambdaContext);

    expect(result.batchItemFailures).toEqual([]);
    expect(received).toHaveLength(1);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { ExpressionAttributeValues: expect.objectContaining({ ':reason': expect.stringContaining('410') }) });
  });

  it('reports a job whose webhook cannot be read as failed, saying why', async () => {
    ddb.on(GetCommand).rejects(new Error('throttled'));
    const logged = vi.spyOn(observability.logger, 'error');

    const result = await deliver({ Records: [recordOf('1', job)] }, lambdaContext);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '1' }]);
    expect(logged).toHaveBeenCalledWith('webhook delivery could not run; it will be retried', expect.objectContaining({ webhookId: 'W' }));
    expect(received).toEqual([]);
  });

  it('reports an unreadable job as failed, so it is retried and dead-lettered', async () => {
    const result = await deliver({ Records: [recordOf('bad', '{"roomId":"r1"}')] }, lambdaContext);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(received).toEqual([]);
  });
});
