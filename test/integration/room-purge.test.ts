import { gunzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivePrefix } from '../../lambdas/domain/retention/archive';
import { type Frame, type LocalParleyProcess, startLocalParley } from '../support/local-parley';
import { until } from '../support/wait';

type Line = Record<string, unknown> & { messageId: string; removal: { cause: string } };
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * A deleted room's purge through the local runtime: the owner deletes a room
 * over the socket, deleteRoom queues the purge, the room-purge worker gives
 * every message the deletion time as its expiry and deletes the room's
 * memory, DynamoDB Local's TTL removes the messages, and the archive
 * consumer writes them to the archive bucket. Another room is not touched.
 */
describe('a deleted room’s purge on the local runtime', () => {
  let parley: LocalParleyProcess;
  let documents: DynamoDBDocumentClient;
  let s3: S3Client;
  let messagesTable: string;
  let memoryTable: string;
  let archiveBucket: string;
  const tableNamed = (pattern: RegExp) => {
    const name = Object.entries(parley.tables).find(([key]) => pattern.test(key))?.[1];
    if (name === undefined) throw new Error(`No table matching ${pattern}`);
    return name;
  };

  const partition = async (table: string, roomId: string, prefix?: string) =>
    (
      await documents.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: prefix === undefined ? 'roomId = :r' : 'roomId = :r AND begins_with(sk, :p)',
          ExpressionAttributeValues: prefix === undefined ? { ':r': roomId } : { ':r': roomId, ':p': prefix },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  const storedMessages = (roomId: string) => partition(messagesTable, roomId, 'MSG#');
  /** The room's memory, but markers of messages it forgot (they expire on their own). */
  const rememberedItems = async (roomId: string) =>
    (await partition(memoryTable, roomId)).filter((item) => item['state'] !== 'forgotten');

  const archivedLines = async (roomId: string): Promise<Line[]> => {
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: archiveBucket, Prefix: archivePrefix(roomId) }))).Contents ?? []).map(
      (o) => o.Key!,
    );
    const lines: Line[] = [];
    for (const key of keys) {
      const object = await s3.send(new GetObjectCommand({ Bucket: archiveBucket, Key: key }));
      const text = gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString('utf8');
      lines.push(...text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line));
    }
    return lines;
  };

  /** A room kept for a year, with messages from two people, seen by both. */
  const roomWithMessages = async (name: string, count: number) => {
    const owner = await parley.connect(`${name}-owner`);
    const member = await parley.connect(`${name}-member`);
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name });
    await member.ok('joinRoom', { roomId: room.roomId });
    await owner.ok('setRetention', { roomId: room.roomId, days: 365 });
    const texts = Array.from({ length: count }, (_, i) => `${name} says ${i} — ünïcode ✓`);
    for (const [i, text] of texts.entries()) {
      await (i % 2 === 0 ? owner : member).ok('sendMessage', { roomId: room.roomId, text, clientMessageId: `${name}-${i}` });
    }
    const isMessage = (f: Frame) => f.type === 'message' && f['roomId'] === room.roomId;
    await owner.waitForCount(isMessage, count, 20_000);
    await member.waitForCount(isMessage, count, 20_000);
    return { roomId: room.roomId, owner, member, texts };
  };

  beforeAll(async () => {
    // Parley's own app with the archive consumer's batching shortened, so archiving follows TTL within seconds.
    parley = await startLocalParley({ app: 'test/integration/fixtures/retention-app/app.ts#buildRetentionTestApp' });
    documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: parley.dynamoDbEndpoint, region: parley.region, credentials: CREDENTIALS }),
    );
    s3 = new S3Client({ endpoint: parley.sqsEndpoint, region: parley.region, credentials: CREDENTIALS });
    messagesTable = tableNamed(/\/TablesMessages/);
    memoryTable = tableNamed(/\/MemoryTable/);
    const names = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!);
    const archive = names.find((n) => n.includes('messagearchive') && !n.includes('failedbatches') && !n.includes('accesslogs'));
    if (!archive) throw new Error(`No archive bucket among ${names.join(', ')}`);
    archiveBucket = archive;
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('archives and removes a deleted room’s messages, removes its memory, and leaves other rooms alone', async () => {
    const deleted = await roomWithMessages('doomed', 4);
    const kept = await roomWithMessages('kept', 2);
    // Room memory remembered the messages before the deletion: there is something to remove.
    await until(() => rememberedItems(deleted.roomId), (items) => items.some((i) => String(i['sk']).startsWith('CHUNK#')));
    const keptBefore = await storedMessages(kept.roomId);

    const { deletedAt } = await deleted.owner.ok<{ deletedAt: string }>('deleteRoom', { roomId: deleted.roomId, confirm: 'doomed' });

    // The worker's batch went through the queue's event source mapping, once the first job's delay was over.
    await parley.waitForEvent((e) => e.event === 'batch' && String(e['mapping']).includes('RoomPurge') && e['outcome'] === 'ok', 90_000);
    const lines = await until(() => archivedLines(deleted.roomId), (l) => l.length >= deleted.texts.length, 90_000);
    expect(lines.map((l) => l['text']).toSorted()).toEqual(deleted.texts.toSorted());
    expect(lines.every((l) => l.removal.cause === 'expired' && l['expiresAt'] === Math.floor(Date.parse(deletedAt) / 1000))).toBe(true);
    expect(await until(() => storedMessages(deleted.roomId), (items) => items.length === 0, 60_000)).toEqual([]);
    expect(await until(() => rememberedItems(deleted.roomId), (items) => items.length === 0)).toEqual([]);

    expect(await storedMessages(kept.roomId)).toEqual(keptBefore);
    expect(await archivedLines(kept.roomId)).toEqual([]);
    await kept.owner.ok('sendMessage', { roomId: kept.roomId, text: 'still here', clientMessageId: 'kept-after' });
    // Room for the first job's delay (FIRST_JOB_DELAY_SECONDS) on top of TTL and the archive.
  }, 180_000);
});
