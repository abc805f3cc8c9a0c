/**
 * What a deleted room's purge costs as the room grows: the DynamoDB requests,
 * the jobs and the time the room-purge worker's use case takes to give every
 * message the deletion time as its expiry and delete the room's memory, with
 * the real adapters against DynamoDB Local. The queue is replaced by a list
 * (each job is run as soon as it is enqueued) and the room by its tombstone.
 * TTL's removals and the archive are not part of it (docs/retention.md).
 *
 *   npx tsx scripts/bench/room-purge.ts
 */
import { batchWriteAll } from '../../lambdas/adapters/dynamodb/batch-write';
import { DynamoMemoryPurge } from '../../lambdas/adapters/dynamodb/memory-purge';
import { MEMORY_TABLE, memoryKeys } from '../../lambdas/adapters/dynamodb/memory-schema';
import { DynamoMessageExpiries } from '../../lambdas/adapters/dynamodb/message-expiries';
import { messageKey } from '../../lambdas/adapters/dynamodb/message-items';
import { MESSAGES_TABLE } from '../../lambdas/adapters/dynamodb/schema';
import { createIdGenerator } from '../../lambdas/domain/ids';
import { firstPurgeJob, type RoomPurgeJob } from '../../lambdas/domain/room-purge';
import { purgeDeletedRoom } from '../../lambdas/use-cases/purge-deleted-room';
import { ensureTable, startDynamoDbLocal } from '../local/engines/dynamodb';
import { REGION, table } from './dynamodb-requests';
import { countingDynamoDb } from './support';

export interface RoomPurgeRow {
  readonly messages: number;
  readonly memoryItems: number;
  readonly jobs: number;
  readonly requests: number;
  readonly byOperation: Record<string, number>;
  readonly ms: number;
  readonly messagesPerSecond: number;
}

export async function runRoomPurgeBenchmark(sizes: readonly number[] = [100, 1_000, 5_000]): Promise<RoomPurgeRow[]> {
  const engine = await startDynamoDbLocal({ port: 0, region: REGION });
  try {
    const ids = { messages: 'bench-messages', memory: 'bench-memory' };
    await ensureTable(engine.client, table(ids.messages, MESSAGES_TABLE.partitionKey, MESSAGES_TABLE.sortKey));
    await ensureTable(engine.client, table(ids.memory, MEMORY_TABLE.partitionKey, MEMORY_TABLE.sortKey));
    const { raw, client, counts } = countingDynamoDb(engine.endpoint, REGION);
    const nextId = createIdGenerator();
    const deletedAt = new Date().toISOString();
    const rows: RoomPurgeRow[] = [];

    for (const size of sizes) {
      const roomId = `bench-purge-${size}`;
      const memoryItems = Math.ceil(size / 8) + 2;
      const createdAt = new Date(Date.now() - 86_400_000).toISOString();
      // Messages kept for a year, as a room with a retention policy stores them.
      const expiresAt = Math.floor(Date.now() / 1000) + 365 * 86_400;
      await batchWriteAll(
        client,
        ids.messages,
        Array.from({ length: size }, (_, i) => ({
          PutRequest: {
            Item: { ...messageKey(roomId, nextId(Date.now())), entity: 'message', text: `message ${i}`, createdAt, expiresAt },
          },
        })),
      );
      await batchWriteAll(
        client,
        ids.memory,
        Array.from({ length: memoryItems }, (_, i) => ({
          PutRequest: { Item: { roomId, sk: i === 0 ? memoryKeys.cursor : memoryKeys.chunk(i) } },
        })),
      );

      for (const key of Object.keys(counts)) delete counts[key];
      const jobs: RoomPurgeJob[] = [firstPurgeJob(roomId, deletedAt)];
      const deps = {
        rooms: { getRoom: async () => ({ roomId, name: 'Bench', visibility: 'public' as const, ownerId: 'owner', createdAt, deletedAt }) },
        messages: new DynamoMessageExpiries(client, ids.messages),
        memory: new DynamoMemoryPurge(client, ids.memory),
        queue: { enqueue: async (job: RoomPurgeJob) => void jobs.push(job) },
        documents: { removeAll: async () => 0 },
        integrations: { deletePage: async () => 0 },
        games: { deletePage: async () => 0 },
      };
      const started = performance.now();
      for (let i = 0; i < jobs.length; i += 1) await purgeDeletedRoom(deps, jobs[i]!, { hasTime: () => true });
      const ms = Math.round(performance.now() - started);
      const byOperation = { ...counts };
      rows.push({
        messages: size,
        memoryItems,
        jobs: jobs.length,
        requests: Object.values(byOperation).reduce((a, b) => a + b, 0),
        byOperation,
        ms,
        messagesPerSecond: Math.round((size / ms) * 1000),
      });
    }
    raw.destroy();
    return rows;
  } finally {
    await engine.stop();
  }
}

export function formatRoomPurge(rows: readonly RoomPurgeRow[]): string {
  const lines = [
    '| messages | memory items | jobs | DynamoDB requests | by operation | ms | messages/s |',
    '|---:|---:|---:|---:|---|---:|---:|',
  ];
  for (const r of rows) {
    const ops = Object.entries(r.byOperation)
      .sort()
      .map(([k, v]) => `${k.replace(/Command$/, '')} ${v}`)
      .join(', ');
    lines.push(`| ${r.messages} | ${r.memoryItems} | ${r.jobs} | ${r.requests} | ${ops} | ${r.ms} | ${r.messagesPerSecond} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('A deleted room’s purge against DynamoDB Local, by room size\n');
  console.log(formatRoomPurge(await runRoomPurgeBenchmark()));
}
