import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../support/events';
import { FakeArchive, FakeAudit, FakeLookup } from '../../support/fakes/retention';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  ddb.reset();
  s3.reset();
});

type ArchiveModule = typeof import('../../../lambdas/handlers/archive-messages');
type ReplayModule = typeof import('../../../lambdas/handlers/archive-replay');
let archiveModule: ArchiveModule;
let replayModule: ReplayModule;

beforeAll(async () => {
  vi.stubEnv('ROOMS_TABLE', 'rooms');
  vi.stubEnv('AUDIT_TABLE', 'audit');
  vi.stubEnv('ARCHIVE_BUCKET', 'archive');
  vi.stubEnv('ARCHIVE_FAILURES_BUCKET', 'failures');
  vi.stubEnv('DEFAULT_RETENTION', '30');
  archiveModule = await import('../../../lambdas/handlers/archive-messages');
  replayModule = await import('../../../lambdas/handlers/archive-replay');
});

const TTL_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
let sequence = 100;
const record = (messageId: string, patch: { roomId?: string; deleted?: boolean; oldImage?: boolean } = {}): DynamoDBRecord => {
  sequence += 1;
  const item = {
    roomId: patch.roomId ?? 'r1',
    sk: `MSG#${messageId}`,
    entity: 'message',
    messageId,
    senderId: 'sam',
    senderName: 'Sam',
    senderType: 'human',
    text: `text of ${messageId}`,
    createdAt: '2026-11-01T10:00:00.000Z',
    moderation: 'allowed',
    expiresAt: 1_790_000_000,
  };
  return {
    eventID: `e${sequence}`,
    eventName: 'REMOVE',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      ApproximateCreationDateTime: 1_795_000_000,
      Keys: marshall({ roomId: item.roomId, sk: item.sk }) as never,
      ...(patch.oldImage === false ? {} : { OldImage: marshall(item) as never }),
      SequenceNumber: String(sequence).padStart(21, '0'),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    ...(patch.deleted ? {} : { userIdentity: TTL_IDENTITY }),
  };
};
const A = '01KA0000000000000000000001';
const B = '01KA0000000000000000000002';
const C = '01KA0000000000000000000003';

describe('archiveBatch', () => {
  it('retries from an unreadable record and archives the ones before it', async () => {
    const archive = new FakeArchive();
    const records = [record(A), record(B, { oldImage: false }), record(C)];

    const response = await archiveModule.archiveBatch(
      { archive, audit: new FakeAudit(), retention: new FakeLookup() },
      records,
    );

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      records[1]!.dynamodb!.SequenceNumber,
      records[2]!.dynamodb!.SequenceNumber,
    ]);
    expect(archive.lines().map((l) => l['messageId'])).toEqual([A]);
  });
});

describe('archive-messages handler', () => {
  it('writes a batch of expiries to the archive bucket and reports no failure', async () => {
    s3.on(PutObjectCommand).resolves({});
    const event: DynamoDBStreamEvent = { Records: [record(A), record(B, { roomId: 'r2' })] };

    const response = await archiveModule.handler(event, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.Bucket, p.Key])).toEqual([
      ['archive', `archive/room=r1/date=2026-11-01/${A}.jsonl.gz`],
      ['archive', `archive/room=r2/date=2026-11-01/${B}.jsonl.gz`],
    ]);
    expect(JSON.parse(gunzipSync(puts[0]!.Body as Uint8Array).toString())).toMatchObject({ messageId: A, text: `text of ${A}` });
  });

  it('reports the whole batch when the bucket refuses the writes', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const event: DynamoDBStreamEvent = { Records: [record(A), record(B)] };

    const response = await archiveModule.handler(event, lambdaContext);

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      event.Records.map((r) => r.dynamodb!.SequenceNumber),
    );
  });

  it('audits a deletion through the audit table and keeps its text out of the bucket', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});

    const response = await archiveModule.handler({ Records: [record(C, { deleted: true })] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'audit' });
  });
});

describe('archive-replay handler', () => {
  it('replays every stored failed batch and deletes it', async () => {
    const payload = JSON.stringify({ Records: [record(A), record(B)] });
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'aws/lambda/m/s/2026/11/21/x' }] });
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => JSON.stringify({ payload }) } } as never);
    s3.on(PutObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});

    const report = await replayModule.handler({}, lambdaContext);

    expect(report).toEqual({ replayed: [{ id: 'aws/lambda/m/s/2026/11/21/x', messages: 2, objects: 1 }], failed: [], more: false });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Bucket: 'failures', Key: 'aws/lambda/m/s/2026/11/21/x' });
  });

  it('rejects a payload it does not understand', async () => {
    await expect(replayModule.handler({ limit: 0 }, lambdaContext)).rejects.toThrow(/limit/);
  });
});
