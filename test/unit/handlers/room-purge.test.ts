import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstPurgeJob, type RoomPurgeJob } from '../../../lambdas/domain/room-purge';
import { lambdaContext, stubHandlerEnv } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const s3 = mockClient(S3Client);

type Worker = (typeof import('../../../lambdas/handlers/room-purge'))['handler'];
let worker: Worker;
let observability: typeof import('../../../lambdas/shared/observability');

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/1/room-purge';
const DELETED_AT = '2026-12-06T10:00:00.000Z';
const roomItem = (roomId: string, deletedAt?: string) => ({
  pk: `ROOM#${roomId}`,
  sk: 'META',
  roomId,
  name: 'Lobby',
  visibility: 'public',
  ownerId: 'u-alice',
  createdAt: '2026-11-01T00:00:00.000Z',
  ...(deletedAt === undefined ? {} : { deletedAt }),
});

beforeAll(async () => {
  stubHandlerEnv({ MEMORY_TABLE: 'memory', ROOM_PURGE_QUEUE_URL: QUEUE, KNOWLEDGE_TABLE: 'knowledge', DOCUMENTS_BUCKET: 'documents', INTEGRATIONS_TABLE: 'integrations', GAMES_TABLE: 'games' });
  ({ handler: worker } = await import('../../../lambdas/handlers/room-purge'));
  observability = await import('../../../lambdas/shared/observability');
});

beforeEach(() => {
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'META' } }).resolves({ Item: roomItem('r1', DELETED_AT) });
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r2', sk: 'META' } }).resolves({ Item: roomItem('r2', DELETED_AT) });
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#live', sk: 'META' } }).resolves({ Item: roomItem('live') });
  ddb.on(QueryCommand, { TableName: 'messages' }).resolves({ Items: [{ sk: 'MSG#01a' }, { sk: 'MSG#01b' }] });
  ddb.on(QueryCommand, { TableName: 'memory' }).resolves({ Items: [{ roomId: 'r1', sk: 'CURSOR' }] });
  ddb.on(QueryCommand, { TableName: 'integrations' }).resolves({ Items: [{ roomId: 'r1', sk: 'KEY#k1' }, { roomId: 'r1', sk: 'WEBHOOK#w1' }] });
  ddb.on(QueryCommand, { TableName: 'games' }).resolves({ Items: [] });
  ddb.on(QueryCommand, { TableName: 'games', ExpressionAttributeValues: { ':pk': 'ROOM#r1' } }).resolves({ Items: [{ pk: 'ROOM#r1', sk: 'SCENARIO#s1' }] });
  ddb.on(QueryCommand, { TableName: 'games', ExpressionAttributeValues: { ':pk': 'LB#r1' } }).resolves({ Items: [{ pk: 'LB#r1', sk: 'PLAYER#u-bob' }] });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(BatchWriteCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({});
  ddb.on(QueryCommand, { TableName: 'knowledge' }).resolves({ Items: [] });
  s3.on(ListObjectsV2Command).resolves({ Contents: [] });
  s3.on(DeleteObjectsCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  sqs.reset();
  s3.reset();
  vi.restoreAllMocks();
});

const recordOf = (id: string, body: RoomPurgeJob | string): SQSRecord => ({
  messageId: id,
  receiptHandle: `receipt-${id}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:1:room-purge',
  awsRegion: 'eu-west-1',
});
const eventOf = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
/** An invocation with `ms` left. */
const contextWith = (ms: number) => ({ ...lambdaContext, getRemainingTimeInMillis: () => ms });

describe('room purge worker', () => {
  it('expires a deleted room’s messages at its deletion time and deletes its memory', async () => {
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    const result = await worker(eventOf(recordOf('1', firstPurgeJob('r1', DELETED_AT))), contextWith(100_000));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'messages',
      Key: { roomId: 'r1', sk: 'MSG#01b' },
      ExpressionAttributeValues: { ':at': Date.parse(DELETED_AT) / 1000 },
    });
    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: { memory: [{ DeleteRequest: { Key: { roomId: 'r1', sk: 'CURSOR' } } }] },
    });
    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: {
        integrations: [{ DeleteRequest: { Key: { roomId: 'r1', sk: 'KEY#k1' } } }, { DeleteRequest: { Key: { roomId: 'r1', sk: 'WEBHOOK#w1' } } }],
      },
    });
    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: { games: [{ DeleteRequest: { Key: { pk: 'ROOM#r1', sk: 'SCENARIO#s1' } } }, { DeleteRequest: { Key: { pk: 'LB#r1', sk: 'PLAYER#u-bob' } } }] },
    });
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
    expect(addMetric).toHaveBeenCalledWith('RoomPurgeMessagesExpired', 'Count', 2);
    expect(addMetric).toHaveBeenCalledWith('RoomPurgeIntegrationsRemoved', 'Count', 2);
    expect(addMetric).toHaveBeenCalledWith('RoomPurgeGamesRemoved', 'Count', 2);
  });

  it('removes a deleted room’s documents, objects first, in the job that finishes the purge', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'rooms/r1/documents/D/v1' }] });
    ddb.on(QueryCommand, { TableName: 'knowledge' }).resolves({
      Items: [{ roomId: 'r1', sk: 'DOC#D', documentId: 'D', name: 'a', contentType: 'text/plain', size: 1, version: 1, status: 'ready', uploadedBy: 'u', uploadedAt: 'T', updatedAt: 'T' }],
    });
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    await worker(eventOf(recordOf('1', firstPurgeJob('r1', DELETED_AT))), contextWith(100_000));

    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: 'documents', Prefix: 'rooms/r1/documents/' });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectsCommand, { Bucket: 'documents', Delete: { Objects: [{ Key: 'rooms/r1/documents/D/v1' }], Quiet: true } });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'knowledge', Key: { roomId: 'r1', sk: 'DOC#D' } });
    expect(addMetric).toHaveBeenCalledWith('RoomPurgeDocumentsRemoved', 'Count', 1);
  });

  it('hands the rest to the next job when the invocation’s time is short', async () => {
    await worker(eventOf(recordOf('1', firstPurgeJob('r1', DELETED_AT))), contextWith(5_000));

    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE, MessageBody: JSON.stringify({ roomId: 'r1', deletedAt: DELETED_AT, phase: 'messages', sequence: 1 }) },
    ]);
  });

  it('reports only the failed job, with its reason logged and counted, and goes on with the others', async () => {
    ddb.on(UpdateCommand, { Key: { roomId: 'r1', sk: 'MSG#01a' } }).rejects(new Error('throttled'));
    const error = vi.spyOn(observability.logger, 'error');
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');

    const result = await worker(
      eventOf(recordOf('1', firstPurgeJob('r1', DELETED_AT)), recordOf('2', firstPurgeJob('r2', DELETED_AT))),
      contextWith(100_000),
    );

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }] });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { Key: { roomId: 'r2', sk: 'MSG#01a' } });
    expect(error).toHaveBeenCalledWith('room purge job failed; it will be retried', expect.objectContaining({ roomId: 'r1' }));
    expect(addMetric).toHaveBeenCalledWith('RoomPurgeFailures', 'Count', 1);
  });

  it('fails an unreadable job, so it ends in the dead-letter queue', async () => {
    const error = vi.spyOn(observability.logger, 'error');

    const result = await worker(eventOf(recordOf('1', '{"roomId":1}')), contextWith(100_000));

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }] });
    expect(error).toHaveBeenCalledWith('room purge job unreadable', expect.objectContaining({ messageId: '1' }));
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });

  it('leaves a room that is not deleted untouched', async () => {
    const warn = vi.spyOn(observability.logger, 'warn');

    const result = await worker(eventOf(recordOf('1', firstPurgeJob('live', DELETED_AT))), contextWith(100_000));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(warn).toHaveBeenCalledWith('room purge skipped: the room is not deleted', expect.objectContaining({ roomId: 'live' }));
  });
});
