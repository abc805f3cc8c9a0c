import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App, Stack } from 'aws-cdk-lib';
import { Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createdObjectsOf } from '../../../lambdas/adapters/s3/object-events';
import { readCloudAssembly } from '../../../scripts/local/assembly';
import {
  bucketNotifier,
  createdObjectOf,
  eventKey,
  notificationMatches,
  objectCreatedEvent,
} from '../../../scripts/local/engines/s3-events';
import type { LocalBucketNotification, LocalModel } from '../../../scripts/local/model';
import { buildModel } from '../../../scripts/local/model/build-model';

const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);
afterEach(() => {
  s3.reset();
  sqs.reset();
});

const notification: LocalBucketNotification = {
  id: 'n',
  bucket: 'docs',
  queueArn: 'arn:aws:sqs:us-east-1:000000000000:ingest',
  events: ['s3:ObjectCreated:*'],
  prefix: 'rooms/',
  suffix: '.pdf',
};

describe('bucket notifications of the template', () => {
  let outdir: string;
  let model: LocalModel;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'parley-s3-events-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Docs');
    const bucket = new Bucket(stack, 'Bucket');
    const queue = new Queue(stack, 'Queue');
    bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(queue), { prefix: 'rooms/', suffix: '.pdf' });
    app.synth();
    model = buildModel(readCloudAssembly(outdir), { region: 'us-east-1', accountId: '000000000000', sqsEndpoint: 'http://127.0.0.1:4000' });
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('reads the queue, events and key filter CDK’s notifications resource sets on the bucket', () => {
    const [read] = model.bucketNotifications;

    expect(model.bucketNotifications).toHaveLength(1);
    expect(read).toMatchObject({ bucket: model.buckets[0]?.name, events: ['s3:ObjectCreated:*'], prefix: 'rooms/', suffix: '.pdf' });
    expect(model.queueByArn(read!.queueArn)).toBeDefined();
  });
});

describe('local S3 events', () => {
  it('matches an event type by its wildcard and a key by the prefix and suffix rules', () => {
    expect(notificationMatches(notification, 'docs', 'ObjectCreated:Post', 'rooms/r/a.pdf')).toBe(true);
    expect(notificationMatches(notification, 'docs', 'ObjectCreated:Put', 'rooms/r/a.pdf')).toBe(true);
    expect(notificationMatches(notification, 'docs', 'ObjectRemoved:Delete', 'rooms/r/a.pdf')).toBe(false);
    expect(notificationMatches(notification, 'docs', 'ObjectCreated:Put', 'other/a.pdf')).toBe(false);
    expect(notificationMatches(notification, 'docs', 'ObjectCreated:Put', 'rooms/a.txt')).toBe(false);
    expect(notificationMatches(notification, 'other', 'ObjectCreated:Put', 'rooms/a.pdf')).toBe(false);
    expect(notificationMatches({ ...notification, events: ['s3:ObjectCreated:Put'] }, 'docs', 'ObjectCreated:Post', 'rooms/a.pdf')).toBe(false);
  });

  it('shapes the event as S3 does, which the ingestion function reads back', () => {
    const event = objectCreatedEvent({
      bucket: 'docs',
      key: 'rooms/r1/documents/D/my file é.pdf',
      eventName: 'ObjectCreated:Post',
      region: 'us-east-1',
      size: 42,
      eTag: '"abc"',
      time: new Date('2026-12-06T10:00:00.000Z'),
      configurationId: 'n',
    });

    expect(event.Records[0]).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2026-12-06T10:00:00.000Z',
      eventName: 'ObjectCreated:Post',
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'n',
        bucket: { name: 'docs', arn: 'arn:aws:s3:::docs' },
        object: { key: 'rooms/r1/documents/D/my+file+%C3%A9.pdf', size: 42, eTag: 'abc' },
      },
    });
    expect(createdObjectsOf(JSON.stringify(event))).toEqual([{ bucket: 'docs', key: 'rooms/r1/documents/D/my file é.pdf', size: 42 }]);
    expect(eventKey('a b/c+d')).toBe('a+b/c%2Bd');
  });

  it('tells which requests created an object: a form POST, a PUT, a copy, a completed multipart upload', () => {
    const boundary = 'xyz';
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nrooms/r1/documents/D/v1\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="Content-Type"\r\n\r\ntext/plain\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`,
    );
    const form = { 'content-type': `multipart/form-data; boundary=${boundary}` };

    expect(createdObjectOf({ method: 'POST', url: '/docs', headers: form, body })).toEqual({
      bucket: 'docs',
      key: 'rooms/r1/documents/D/v1',
      eventName: 'ObjectCreated:Post',
    });
    expect(createdObjectOf({ method: 'PUT', url: '/docs/a%20b?x-id=PutObject', headers: {}, body: undefined })).toMatchObject({ key: 'a b', eventName: 'ObjectCreated:Put' });
    expect(createdObjectOf({ method: 'PUT', url: '/docs/a', headers: { 'x-amz-copy-source': 'docs/b' }, body: undefined })).toMatchObject({ eventName: 'ObjectCreated:Copy' });
    expect(createdObjectOf({ method: 'POST', url: '/docs/a?uploadId=1', headers: {}, body: undefined })).toMatchObject({ eventName: 'ObjectCreated:CompleteMultipartUpload' });
    expect(createdObjectOf({ method: 'PUT', url: '/docs/a?tagging', headers: {}, body: undefined })).toBeUndefined();
    expect(createdObjectOf({ method: 'PUT', url: '/docs/a?partNumber=1&uploadId=1', headers: {}, body: undefined })).toBeUndefined();
    expect(createdObjectOf({ method: 'PUT', url: '/docs', headers: {}, body: undefined })).toBeUndefined();
    expect(createdObjectOf({ method: 'POST', url: '/', headers: {}, body: undefined })).toBeUndefined();
  });

  it('sends the event to each matching notification’s queue, with the stored size and ETag', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 7, ETag: '"e"' });
    sqs.on(SendMessageCommand).resolves({});
    const errors: unknown[] = [];
    const notify = bucketNotifier({
      model: { region: 'us-east-1', bucketNotifications: [notification], queueByArn: () => ({ url: 'http://127.0.0.1:4000/000000000000/ingest' }) as never },
      s3: new S3Client({ region: 'us-east-1' }),
      sqs: new SQSClient({ region: 'us-east-1' }),
      onError: (error) => errors.push(error),
    });

    await notify({ bucket: 'docs', key: 'rooms/r/a.pdf', eventName: 'ObjectCreated:Post' });
    await notify({ bucket: 'docs', key: 'elsewhere/a.pdf', eventName: 'ObjectCreated:Post' });

    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
    const sent = JSON.parse(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!) as ReturnType<typeof objectCreatedEvent>;
    expect(sent.Records[0]).toMatchObject({ s3: { object: { key: 'rooms/r/a.pdf', size: 7, eTag: 'e' } } });
    expect(errors).toEqual([]);
  });
});
