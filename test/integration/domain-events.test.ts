import { gunzipSync } from 'node:zlib';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalParleyProcess, startLocalParley } from '../support/local-parley';
import { until } from '../support/wait';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
/** The local runtime's stage is `local`: the bus is Parley-local. */
const BUS = 'Parley-local';

interface BusEvent {
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly time: string;
  readonly detail: { id: string; type: string; roomId: string; data: Record<string, unknown> };
}

/**
 * Domain events through the front door: people act over WebSockets, the
 * publisher turns what Parley records into events on the local bus, and a
 * subscriber made exactly as in AWS (a queue, a rule, a target) reads them.
 */
describe('domain events on the local runtime', () => {
  let parley: LocalParleyProcess;
  let sqs: SQSClient;
  let s3: S3Client;
  let queueUrl: string;
  const received: BusEvent[] = [];

  /** Everything the subscriber's queue holds so far, added to `received`. */
  const drain = async (): Promise<BusEvent[]> => {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    received.push(...Messages.map((m) => JSON.parse(m.Body!) as BusEvent));
    if (Messages.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
      );
    }
    return received;
  };
  const eventOf = async (predicate: (event: BusEvent) => boolean): Promise<BusEvent> =>
    (await until(drain, (events) => events.some(predicate), 60_000)).find(predicate)!;
  const ofType = (type: string, roomId: string) => (event: BusEvent) => event['detail-type'] === type && event.detail.roomId === roomId;

  beforeAll(async () => {
    parley = await startLocalParley();
    const endpoint = parley.services.find((service) => service.name === 'EventBridge')?.url;
    if (endpoint === undefined) throw new Error('The runtime lists no EventBridge endpoint.');
    const events = new EventBridgeClient({ endpoint, region: parley.region, credentials: CREDENTIALS });
    sqs = new SQSClient({ endpoint: parley.sqsEndpoint, region: parley.region, credentials: CREDENTIALS });
    s3 = new S3Client({ endpoint: parley.sqsEndpoint, region: parley.region, credentials: CREDENTIALS, forcePathStyle: true });

    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'domain-events-subscriber' }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await events.send(new PutRuleCommand({ Name: 'subscriber', EventBusName: BUS, EventPattern: JSON.stringify({ source: ['parley'] }) }));
    await events.send(new PutTargetsCommand({ Rule: 'subscriber', EventBusName: BUS, Targets: [{ Id: 'queue', Arn: Attributes!['QueueArn']! }] }));
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('publishes a room’s life, its members and its messages, with text only once the room opts in', { timeout: 180_000 }, async () => {
    const alice = await parley.connect('alice');
    const bob = await parley.connect('bob');
    const { room } = await alice.ok<{ room: { roomId: string } }>('createRoom', { name: 'Eventful', visibility: 'public' });
    const roomId = room.roomId;
    const { membership } = await bob.ok<{ membership: { userId: string } }>('joinRoom', { roomId });
    const quiet = await bob.ok<{ messageId: string }>('sendMessage', { roomId, text: 'not for the bus', clientMessageId: 'e1' });
    await alice.ok('updateRoom', { roomId, topic: 'Events' });

    const created = await eventOf(ofType('room.created', roomId));
    expect(created.source).toBe('parley');
    expect(created.detail).toMatchObject({ type: 'room.created', version: 1, data: { name: 'Eventful', visibility: 'public' } });
    expect((await eventOf(ofType('member.joined', roomId))).detail.data).toEqual({ userId: membership.userId, role: 'member' });
    const posted = await eventOf(ofType('message.posted', roomId));
    expect(posted.detail.id).toBe(quiet.messageId);
    expect(posted.detail.data).toMatchObject({ messageId: quiet.messageId, senderId: membership.userId, length: 15 });
    expect(posted.detail.data).not.toHaveProperty('text');
    expect((await eventOf(ofType('moderation.decided', roomId))).detail.data).toMatchObject({ messageId: quiet.messageId, decision: 'allowed' });
    expect((await eventOf(ofType('room.updated', roomId))).detail.data).toEqual({ changed: ['topic'] });

    await alice.ok('updateRoom', { roomId, shareMessageTextInEvents: true });
    const shared = await bob.ok<{ messageId: string }>('sendMessage', { roomId, text: 'for the bus', clientMessageId: 'e2' });
    const sharedEvent = await eventOf((event) => ofType('message.posted', roomId)(event) && event.detail.id === shared.messageId);
    expect(sharedEvent.detail.data['text']).toBe('for the bus');

    await alice.ok('deleteRoom', { roomId, confirm: 'Eventful' });
    expect((await eventOf(ofType('room.deleted', roomId))).detail.id).toMatch(/^[0-9a-f]{26}$/);
    // Each event once, whatever the stream and the bus retried.
    const ids = received.filter((event) => event.detail.roomId === roomId).map((event) => event.detail.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lands every event in the analytics bucket under its date', async () => {
    const alice = await parley.connect('alice');
    const { room } = await alice.ok<{ room: { roomId: string } }>('createRoom', { name: 'Counted', visibility: 'private' });
    const created = await eventOf(ofType('room.created', room.roomId));
    const names = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((bucket) => bucket.Name!);
    const bucket = names.find((name) => name.includes('analyticsevents') && !name.includes('accesslogs'));
    if (bucket === undefined) throw new Error(`No analytics bucket among ${names.join(', ')}`);
    const prefix = `events/date=${created.time.slice(0, 10)}/`;

    const holding = async () => {
      const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      for (const object of Contents) {
        const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }))).Body!.transformToByteArray();
        const lines = gunzipSync(Buffer.from(body)).toString().trim().split('\n');
        if (lines.some((line) => (JSON.parse(line) as BusEvent).detail.id === created.detail.id)) return object.Key!;
      }
      return undefined;
    };
    const key = await until(holding, (found) => found !== undefined, 90_000);
    expect(key).toMatch(new RegExp(`^${prefix}[\\w-]+\\.json\\.gz$`));
  }, 180_000);
});
