import { gunzipSync } from 'node:zlib';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBRecord, SQSEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const eventBridge = mockClient(EventBridgeClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  ddb.reset();
  eventBridge.reset();
  s3.reset();
});

type PublishModule = typeof import('../../../lambdas/handlers/publish-events');
type ArchiveModule = typeof import('../../../lambdas/handlers/archive-events');
let publish: PublishModule;
let archive: ArchiveModule;

beforeAll(async () => {
  vi.stubEnv('ROOMS_TABLE', 'rooms');
  vi.stubEnv('EVENT_BUS_NAME', 'Parley-test');
  vi.stubEnv('ANALYTICS_EVENTS_BUCKET', 'analytics');
  publish = await import('../../../lambdas/handlers/publish-events');
  archive = await import('../../../lambdas/handlers/archive-events');
});

let sequence = 100;
const streamRecord = (eventName: DynamoDBRecord['eventName'], newImage: Record<string, unknown>, oldImage?: Record<string, unknown>): DynamoDBRecord => {
  sequence += 1;
  return {
    eventID: `e${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      NewImage: marshall(newImage, { removeUndefinedValues: true }) as never,
      ...(oldImage ? { OldImage: marshall(oldImage) as never } : {}),
      SequenceNumber: String(sequence).padStart(21, '0'),
      StreamViewType: 'NEW_IMAGE',
    },
  };
};
const message = (messageId: string, moderation = 'allowed') => ({
  roomId: 'r1',
  sk: `MSG#${messageId}`,
  entity: 'message',
  messageId,
  senderId: 'u-bob',
  senderName: 'Bob',
  senderType: 'human',
  text: 'secret words',
  createdAt: '2026-12-06T10:00:00.000Z',
  moderation,
});
const auditItem = (entryId: string, action: string, extra: Record<string, unknown> = {}) => ({
  pk: 'ROOM#r1',
  sk: `ENTRY#${entryId}`,
  entity: 'auditEntry',
  entryId,
  roomId: 'r1',
  idempotencyKey: `${action}:1`,
  occurredAt: '2026-12-06T10:00:00.000Z',
  actorType: 'user',
  actorId: 'u-alice',
  action,
  ...extra,
});
const roomItem = (share: boolean) => ({
  pk: 'ROOM#r1',
  sk: 'META',
  entity: 'room',
  roomId: 'r1',
  name: 'Lobby',
  visibility: 'public',
  ownerId: 'u-alice',
  createdAt: '2026-12-06T09:00:00.000Z',
  ...(share ? { shareMessageTextInEvents: true, shareMessageTextInEventsSince: '2026-12-06T09:30:00.000Z' } : {}),
});
const detailsOf = () =>
  eventBridge.commandCalls(PutEventsCommand).flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => JSON.parse(entry.Detail!)));

describe('the PublishEvents handler', () => {
  it('publishes audit entries and posted messages, reading the batch’s rooms once, without text by default', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { rooms: [roomItem(false)] } });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });

    const result = await publish.handler(
      {
        Records: [
          streamRecord('INSERT', auditItem('a1', 'room.created', { targetType: 'room', targetId: 'r1', details: { visibility: 'public' } })),
          streamRecord('INSERT', message('m1')),
          streamRecord('INSERT', message('m2', 'pending')),
          streamRecord('INSERT', auditItem('a2', 'member.invited')),
        ],
      },
      lambdaContext,
    );

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(detailsOf().map((event) => [event.type, event.id])).toEqual([
      ['room.created', 'a1'],
      ['message.posted', 'm1'],
    ]);
    expect(detailsOf()[0].data).toEqual({ name: 'Lobby', visibility: 'public', ownerId: 'u-alice' });
    expect(detailsOf()[1].data).not.toHaveProperty('text');
  });

  it('carries the text of a room that opts in', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { rooms: [roomItem(true)] } });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    await publish.handler({ Records: [streamRecord('INSERT', message('m1'))] }, lambdaContext);
    expect(detailsOf()[0].data.text).toBe('secret words');
  });

  it('reports the records whose events the bus kept refusing, and an unreadable record', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { rooms: [roomItem(false)] } });
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: Array<{ Detail: string }> }) => ({
      FailedEntryCount: 1,
      Entries: input.Entries.map((entry) => (JSON.parse(entry.Detail).id === 'm2' ? { ErrorCode: 'InternalFailure' } : { EventId: 'x' })),
    }));
    const failing = streamRecord('INSERT', message('m2'));
    const unreadable = streamRecord('INSERT', { ...message('m3'), senderType: 'robot' });

    const result = await publish.handler({ Records: [streamRecord('INSERT', message('m1')), failing, unreadable] }, lambdaContext);

    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [failing.dynamodb!.SequenceNumber, unreadable.dynamodb!.SequenceNumber].sort(),
    );
  });
});

describe('the ArchiveEvents handler', () => {
  const sqsEvent = (events: Array<{ id: string; time: string }>): SQSEvent => ({
    Records: events.map((event, index) => ({
      messageId: `msg-${index}`,
      receiptHandle: 'r',
      body: JSON.stringify({ version: '0', 'detail-type': 'room.created', source: 'parley', detail: {}, ...event }),
      attributes: {} as never,
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:0:analytics',
      awsRegion: 'us-east-1',
    })),
  });

  it('writes one gzip JSON Lines object per date, keyed by the batch’s first message', async () => {
    s3.on(PutObjectCommand).resolves({});
    await archive.handler(
      sqsEvent([
        { id: 'a', time: '2026-12-06T23:59:00Z' },
        { id: 'b', time: '2026-12-07T00:01:00Z' },
      ]),
      lambdaContext,
    );
    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts.map((put) => put.Key).sort()).toEqual(['events/date=2026-12-06/msg-0.json.gz', 'events/date=2026-12-07/msg-0.json.gz']);
    const first = puts.find((put) => put.Key === 'events/date=2026-12-06/msg-0.json.gz')!;
    expect(first).toMatchObject({ Bucket: 'analytics', ContentEncoding: 'gzip' });
    expect(JSON.parse(gunzipSync(first.Body as Buffer).toString().trim())).toMatchObject({ id: 'a' });
  });

  it('fails the batch when the bucket refuses, so SQS delivers it again', async () => {
    s3.on(PutObjectCommand).rejects(new Error('slow down'));
    await expect(archive.handler(sqsEvent([{ id: 'a', time: '2026-12-06T10:00:00Z' }]), lambdaContext)).rejects.toThrow('slow down');
  });
});
