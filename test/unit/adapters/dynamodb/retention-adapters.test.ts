import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { isExpiry, removedMessageOf } from '../../../../lambdas/adapters/dynamodb/retention-removals';
import { DynamoRetentionRepository } from '../../../../lambdas/adapters/dynamodb/retention-repository';
import { S3FailedBatchStore } from '../../../../lambdas/adapters/s3/archive-failed-batches';
import { S3ArchiveStore } from '../../../../lambdas/adapters/s3/archive-store';
import { ValidationError } from '../../../../lambdas/domain/errors';
import { archiveKey } from '../../../../lambdas/domain/retention/archive';
import { documentClient } from '../../../support/dynamodb';
import { gunzipLines } from '../../../support/fakes/retention';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  ddb.reset();
  s3.reset();
});

const s3Client = () => new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const MSG = '01KA0000000000000000000001';
const messageItem = (patch: Record<string, unknown> = {}) => ({
  roomId: 'r1',
  sk: `MSG#${MSG}`,
  entity: 'message',
  messageId: MSG,
  senderId: 'sam',
  senderName: 'Sam',
  senderType: 'human',
  text: 'hi',
  createdAt: '2026-11-01T10:00:00.000Z',
  moderation: 'allowed',
  expiresAt: 1_790_000_000,
  ...patch,
});
const TTL_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
const removeRecord = (patch: Partial<DynamoDBRecord> = {}, item = messageItem()): DynamoDBRecord => ({
  eventID: 'e1',
  eventName: 'REMOVE',
  eventSource: 'aws:dynamodb',
  dynamodb: {
    ApproximateCreationDateTime: 1_795_000_000,
    Keys: marshall({ roomId: item['roomId'], sk: item['sk'] }) as never,
    OldImage: marshall(item) as never,
    SequenceNumber: '000000000000000000042',
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
  userIdentity: TTL_IDENTITY,
  ...patch,
});

describe('DynamoRetentionRepository', () => {
  it('reads the room’s RETENTION item consistently', async () => {
    ddb.on(GetCommand).resolves({
      Item: { roomId: 'r1', days: 'forever', archiveDeletions: true, updatedAt: 't', updatedBy: 'u' },
    });

    const retention = await new DynamoRetentionRepository(documentClient(), 'rooms').getRetention('r1');

    expect(retention).toEqual({ roomId: 'r1', days: 'forever', archiveDeletions: true, updatedAt: 't', updatedBy: 'u' });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'rooms',
      Key: { pk: 'ROOM#r1', sk: 'RETENTION' },
      ConsistentRead: true,
    });
  });

  it('answers undefined for a room without a policy', async () => {
    ddb.on(GetCommand).resolves({});

    expect(await new DynamoRetentionRepository(documentClient(), 'rooms').getRetention('r1')).toBeUndefined();
  });

  it('fails loudly on a stored policy of the wrong shape', async () => {
    ddb.on(GetCommand).resolves({ Item: { roomId: 'r1', days: 0, updatedAt: 't', updatedBy: 'u' } });

    await expect(new DynamoRetentionRepository(documentClient(), 'rooms').getRetention('r1')).rejects.toThrow(/days/);
  });

  it('writes the policy beside the room with its entity', async () => {
    ddb.on(PutCommand).resolves({});

    await new DynamoRetentionRepository(documentClient(), 'rooms').putRetention({
      roomId: 'r1',
      days: 30,
      archiveDeletions: false,
      updatedAt: 't',
      updatedBy: 'u',
    });

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'rooms',
      Item: {
        pk: 'ROOM#r1',
        sk: 'RETENTION',
        entity: 'retentionPolicy',
        roomId: 'r1',
        days: 30,
        archiveDeletions: false,
        updatedAt: 't',
        updatedBy: 'u',
      },
    });
  });
});

describe('removedMessageOf', () => {
  it('reads a TTL removal as an expired message with its full item', () => {
    const message = removedMessageOf(removeRecord());

    expect(message).toEqual({
      sequenceNumber: '000000000000000000042',
      cause: 'expired',
      roomId: 'r1',
      messageId: MSG,
      removedAt: new Date(1_795_000_000_000).toISOString(),
      item: messageItem(),
    });
  });

  it('reads a removal without the TTL principal as a deletion', () => {
    const { userIdentity: _none, ...record } = removeRecord();

    expect(removedMessageOf(record)?.cause).toBe('deleted');
    expect(removedMessageOf(removeRecord({ userIdentity: { type: 'Service', principalId: 'other.amazonaws.com' } }))?.cause).toBe(
      'deleted',
    );
  });

  it('skips records that are not removals of messages', () => {
    expect(removedMessageOf(removeRecord({ eventName: 'INSERT' }))).toBeUndefined();
    expect(removedMessageOf(removeRecord({}, { ...messageItem(), entity: 'dedupe' }))).toBeUndefined();
  });

  it('throws for a message removal without its old image', () => {
    const record = removeRecord();
    delete record.dynamodb!.OldImage;

    expect(() => removedMessageOf(record)).toThrow(/old image/);
  });
});

describe('isExpiry', () => {
  it('is true only for REMOVE records by the DynamoDB service principal', () => {
    expect(isExpiry({ eventName: 'REMOVE', userIdentity: TTL_IDENTITY })).toBe(true);
    expect(isExpiry({ eventName: 'MODIFY', userIdentity: TTL_IDENTITY })).toBe(false);
    expect(isExpiry({ eventName: 'REMOVE' })).toBe(false);
  });
});

describe('S3ArchiveStore', () => {
  const store = () => new S3ArchiveStore(s3Client(), 'archive-bucket');
  const key = (date: string, first: string, roomId = 'r1') => archiveKey('expired', roomId, date, first);

  it('writes gzip JSON Lines at the key, as a .gz file rather than a compressed transfer', async () => {
    s3.on(PutObjectCommand).resolves({});

    await store().writeObject(key('2026-11-01', MSG), '{"a":1}\n{"a":2}\n');

    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ Bucket: 'archive-bucket', Key: key('2026-11-01', MSG), ContentType: 'application/gzip' });
    expect(input).not.toHaveProperty('ContentEncoding');
    expect(gunzipLines(input.Body as Uint8Array)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('lists the room’s objects from the first day of the range and stops after its last', async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: key('2026-11-01', 'A'), Size: 10 },
        { Key: key('2026-11-02', 'B'), Size: 20 },
        { Key: key('2026-11-04', 'C'), Size: 30 },
      ],
      IsTruncated: true,
    });

    const page = await store().list('r1', { from: '2026-11-01', to: '2026-11-03' }, { limit: 10 });

    expect(page).toEqual({
      items: [
        { key: key('2026-11-01', 'A'), date: '2026-11-01', bytes: 10 },
        { key: key('2026-11-02', 'B'), date: '2026-11-02', bytes: 20 },
      ],
    });
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Bucket: 'archive-bucket',
      Prefix: 'archive/room=r1/date=',
      StartAfter: 'archive/room=r1/date=2026-11-01',
      MaxKeys: 11,
    });
  });

  it('returns a cursor when more objects of the range exist, and resumes after it', async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: key('2026-11-01', 'A') }, { Key: key('2026-11-01', 'B') }],
      IsTruncated: false,
    });

    const first = await store().list('r1', { from: '2026-11-01', to: '2026-11-03' }, { limit: 1 });
    await store().list('r1', { from: '2026-11-01', to: '2026-11-03' }, { limit: 1, cursor: first.nextCursor! });

    expect(first.nextCursor).toBe(key('2026-11-01', 'A'));
    expect(s3.commandCalls(ListObjectsV2Command)[1]?.args[0].input.StartAfter).toBe(key('2026-11-01', 'A'));
  });

  it('refuses a cursor of another room', async () => {
    await expect(
      store().list('r1', { from: '2026-11-01', to: '2026-11-01' }, { limit: 1, cursor: key('2026-11-01', 'A', 'r2') }),
    ).rejects.toThrow(ValidationError);
    expect(s3).not.toHaveReceivedCommand(ListObjectsV2Command);
  });

  it('presigns a GET of the object that expires when asked', async () => {
    const url = new URL(await store().downloadLink(key('2026-11-01', MSG), 300));

    expect(url.pathname).toBe(`/${key('2026-11-01', MSG).replaceAll('=', '%3D')}`);
    expect(url.hostname).toBe('archive-bucket.s3.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('S3FailedBatchStore', () => {
  const store = () => new S3FailedBatchStore(s3Client(), 'failures');
  // The adapter reads the body the SDK's way, through transformToString.
  const body = (document: unknown) => ({ Body: { transformToString: async () => JSON.stringify(document) } });
  const invocationRecord = (payload: unknown) => ({
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
    version: '1.0',
    DDBStreamBatchInfo: { shardId: 's', batchSize: 2 },
    payload,
  });

  it('lists the failure destination’s objects under Lambda’s prefix', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'aws/lambda/m/s/2026/11/21/a' }], IsTruncated: true, NextContinuationToken: 'n' });

    const page = await store().list(10);

    expect(page).toEqual({ items: ['aws/lambda/m/s/2026/11/21/a'], nextCursor: 'n' });
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: 'failures', Prefix: 'aws/lambda/', MaxKeys: 10 });
  });

  it('reads the removed messages out of the invocation payload, stored as text or as an object', async () => {
    const records = [removeRecord(), removeRecord({ eventName: 'INSERT' })];
    s3.on(GetObjectCommand, { Key: 'as-text' }).resolves(body(invocationRecord(JSON.stringify({ Records: records }))) as never);
    s3.on(GetObjectCommand, { Key: 'as-object' }).resolves(body(invocationRecord({ Records: records })) as never);

    const [asText, asObject] = await Promise.all([store().read('as-text'), store().read('as-object')]);

    expect(asText.messages.map((m) => [m.messageId, m.cause])).toEqual([[MSG, 'expired']]);
    expect(asObject.messages).toEqual(asText.messages);
  });

  it('refuses an object without a payload: it holds nothing to replay', async () => {
    s3.on(GetObjectCommand).resolves(body({ requestContext: {}, DDBStreamBatchInfo: {} }) as never);

    await expect(store().read('metadata-only')).rejects.toThrow(/no records/);
  });

  it('deletes a replayed batch', async () => {
    s3.on(DeleteObjectCommand).resolves({});

    await store().remove('aws/lambda/m/s/2026/11/21/a');

    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Bucket: 'failures', Key: 'aws/lambda/m/s/2026/11/21/a' });
  });
});
