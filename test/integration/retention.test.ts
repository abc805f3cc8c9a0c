import { gunzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditLog } from '../../lambdas/adapters/dynamodb/audit-log';
import { DynamoRetentionRepository } from '../../lambdas/adapters/dynamodb/retention-repository';
import { S3FailedBatchStore } from '../../lambdas/adapters/s3/archive-failed-batches';
import { S3ArchiveStore } from '../../lambdas/adapters/s3/archive-store';
import { archivePrefix } from '../../lambdas/domain/retention/archive';
import { replayFailedBatches } from '../../lambdas/use-cases/retention/replay-failed-batches';
import { cachedRetention } from '../../lambdas/use-cases/retention/retention-lookup';
import { type Frame, type LocalParleyProcess, startLocalParley } from '../support/local-parley';
import { until } from '../support/wait';

type Line = Record<string, unknown> & { messageId: string; removal: { cause: string } };
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * Retention through the local runtime: owners set a room's policy over the
 * socket, messages are stored with the TTL it gives them, DynamoDB Local's
 * TTL removes them once expired, and the archive consumer (the stream, its
 * filter, partial batch responses, retries and S3 failure destination)
 * writes them to the archive bucket, where the owner downloads them.
 */
describe('retention and archiving on the local runtime', () => {
  let parley: LocalParleyProcess;
  let documents: DynamoDBDocumentClient;
  let s3: S3Client;
  let messagesTable: string;
  let buckets: { archive: string; failures: string };
  const connect = (name: string) => parley.connect(name);
  const tableNamed = (pattern: RegExp) => {
    const name = Object.entries(parley.tables).find(([key]) => pattern.test(key))?.[1];
    if (name === undefined) throw new Error(`No table matching ${pattern}`);
    return name;
  };

  /** The stored items of a room's messages. */
  const storedMessages = async (roomId: string) =>
    (
      await documents.send(
        new QueryCommand({
          TableName: messagesTable,
          KeyConditionExpression: 'roomId = :r AND begins_with(sk, :m)',
          ExpressionAttributeValues: { ':r': roomId, ':m': 'MSG#' },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];

  /** Moves the messages' expiry into the past, as if their retention had run out. */
  const expire = async (roomId: string) => {
    const past = Math.floor(Date.now() / 1000) - 60;
    for (const item of await storedMessages(roomId)) {
      await documents.send(
        new UpdateCommand({
          TableName: messagesTable,
          Key: { roomId, sk: item['sk'] },
          UpdateExpression: 'SET expiresAt = :past',
          ConditionExpression: 'attribute_exists(sk)',
          ExpressionAttributeValues: { ':past': past },
        }),
      );
    }
  };

  const keysUnder = async (bucket: string, prefix: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);

  const body = async (bucket: string, key: string) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  };

  /** Every line of a room's archive objects. */
  const archivedLines = async (roomId: string): Promise<Line[]> => {
    const lines: Line[] = [];
    for (const key of await keysUnder(buckets.archive, archivePrefix(roomId))) {
      const text = gunzipSync(await body(buckets.archive, key)).toString('utf8');
      lines.push(...text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line));
    }
    return lines;
  };

  /** Takes the archive bucket away: every write to it fails until it is back. */
  const removeArchiveBucket = async () => {
    for (const key of await keysUnder(buckets.archive, '')) {
      await s3.send(new DeleteObjectCommand({ Bucket: buckets.archive, Key: key }));
    }
    await s3.send(new DeleteBucketCommand({ Bucket: buckets.archive }));
  };
  const restoreArchiveBucket = () => s3.send(new CreateBucketCommand({ Bucket: buckets.archive }));

  /** A room with messages from two people, all moderated and seen by both. */
  const roomWithMessages = async (name: string, days: number, count: number) => {
    const owner = await connect(`${name}-owner`);
    const member = await connect(`${name}-member`);
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name });
    await member.ok('joinRoom', { roomId: room.roomId });
    const set = await owner.ok<{ retention: { days: number } }>('setRetention', { roomId: room.roomId, days });
    expect(set.retention.days).toBe(days);
    const texts = Array.from({ length: count }, (_, i) => `${name} message ${i} ✓`);
    for (const [i, text] of texts.entries()) {
      const sender = i % 2 === 0 ? owner : member;
      await sender.ok('sendMessage', { roomId: room.roomId, text, clientMessageId: `${name}-${i}` });
    }
    const isMessage = (f: Frame) => f.type === 'message' && f['roomId'] === room.roomId;
    await owner.waitForCount(isMessage, count, 20_000);
    await member.waitForCount(isMessage, count, 20_000);
    return { roomId: room.roomId, owner, member, texts };
  };

  beforeAll(async () => {
    parley = await startLocalParley({ app: 'test/integration/fixtures/retention-app/app.ts#buildRetentionTestApp' });
    documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: parley.dynamoDbEndpoint, region: parley.region, credentials: CREDENTIALS }),
    );
    s3 = new S3Client({ endpoint: parley.sqsEndpoint, region: parley.region, credentials: CREDENTIALS });
    messagesTable = tableNamed(/\/TablesMessages/);
    const names = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!);
    const failures = names.find((n) => n.includes('messagearchivefailedbatches'));
    const archive = names.find((n) => n.includes('messagearchive') && !n.includes('failedbatches') && !n.includes('accesslogs'));
    if (!failures || !archive) throw new Error(`No archive buckets among ${names.join(', ')}`);
    buckets = { archive, failures };
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('stores each message with the expiry its room’s retention gives it', async () => {
    const { roomId } = await roomWithMessages('stamped', 7, 2);

    const items = await storedMessages(roomId);

    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item['expiresAt']).toBe(Math.floor(Date.parse(item['createdAt'] as string) / 1000) + 7 * 86_400);
    }
  });

  it('retries a failing archive write until it succeeds, and loses nothing', async () => {
    const { roomId, texts } = await roomWithMessages('flaky', 1, 4);
    await removeArchiveBucket();
    const seen = parley.events.length;

    await expire(roomId);
    await parley.waitForEvent(
      (e) =>
        parley.events.indexOf(e) >= seen &&
        e.event === 'batch' &&
        String(e['mapping']).includes('ArchiveMessages') &&
        e['outcome'] !== 'ok',
      30_000,
    );
    await restoreArchiveBucket();

    const lines = await until(() => archivedLines(roomId), (l) => l.length >= texts.length);
    expect(lines.map((l) => l['text']).toSorted()).toEqual(texts.toSorted());
    expect(new Set(lines.map((l) => l.messageId)).size).toBe(lines.length);
    expect(await keysUnder(buckets.failures, 'aws/lambda/')).toEqual([]);
  });

  it('keeps a batch that keeps failing, with its records, and the replay archives it exactly once', async () => {
    const { roomId, texts } = await roomWithMessages('broken', 1, 3);
    const ids = (await storedMessages(roomId)).map((item) => item['messageId'] as string);
    await removeArchiveBucket();

    await expire(roomId);
    const failed = await until(
      async () => {
        const found: string[] = [];
        for (const key of await keysUnder(buckets.failures, 'aws/lambda/')) {
          const record = JSON.parse((await body(buckets.failures, key)).toString('utf8')) as { payload: string };
          const records = (JSON.parse(record.payload) as { Records: Array<{ dynamodb: { OldImage: { messageId: { S: string } } } }> }).Records;
          found.push(...records.map((r) => r.dynamodb.OldImage.messageId.S));
        }
        return found;
      },
      (found) => ids.every((id) => found.includes(id)),
    );
    await restoreArchiveBucket();
    const report = await replayFailedBatches({
      archive: new S3ArchiveStore(s3, buckets.archive),
      failures: new S3FailedBatchStore(s3, buckets.failures),
      audit: new DynamoAuditLog(documents, tableNamed(/\/AuditTable/)),
      retention: cachedRetention(new DynamoRetentionRepository(documents, tableNamed(/\/TablesRooms/)), {
        defaultDays: 'forever',
        clock: { now: () => Date.now() },
      }),
    });

    expect(failed.toSorted()).toEqual(ids.toSorted());
    expect(report.failed).toEqual([]);
    expect(report.replayed.length).toBeGreaterThan(0);
    const lines = await archivedLines(roomId);
    expect(lines.map((l) => l['text']).toSorted()).toEqual(texts.toSorted());
    expect(lines.map((l) => l.messageId).toSorted()).toEqual(ids.toSorted());
    expect(await keysUnder(buckets.failures, 'aws/lambda/')).toEqual([]);
  });

  it('removes expired messages from history and archives each once, with its full content, for the owner to download', async () => {
    const { roomId, owner, member, texts } = await roomWithMessages('expiring', 1, 6);
    const before = await storedMessages(roomId);

    await expire(roomId);
    const lines = await until(() => archivedLines(roomId), (l) => l.length >= texts.length);
    const history = await until(
      () => owner.ok<{ items: unknown[] }>('getHistory', { roomId }),
      (page) => page.items.length === 0,
      30_000,
    );

    expect(history.items).toEqual([]);
    expect(lines.map((l) => l.messageId).toSorted()).toEqual(before.map((i) => i['messageId']).toSorted());
    for (const item of before) {
      const line = lines.find((l) => l.messageId === item['messageId']);
      expect(line).toMatchObject({
        roomId,
        text: item['text'],
        senderId: item['senderId'],
        senderName: item['senderName'],
        createdAt: item['createdAt'],
        moderation: 'allowed',
        removal: { cause: 'expired' },
      });
    }

    const day = new Date().toISOString().slice(0, 10);
    const page = await owner.ok<{ files: Array<{ url: string; date: string }>; expiresAt: string }>('getArchive', {
      roomId,
      from: day,
      to: day,
    });
    const downloaded: Line[] = [];
    for (const file of page.files) {
      expect(new URL(file.url).hostname).toBe('127.0.0.1');
      const response = await fetch(file.url);
      expect(response.status).toBe(200);
      const text = gunzipSync(Buffer.from(await response.arrayBuffer())).toString('utf8');
      downloaded.push(...text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line));
    }
    expect(downloaded.map((l) => l['text']).toSorted()).toEqual(texts.toSorted());
    const refused = await member.request('getArchive', { roomId, from: day, to: day });
    expect(refused).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
  });
});
