/**
 * What the review queue costs: finding every held message of a room with
 * listHeldMessages (a Query of the room's held markers in the moderation
 * table, then one BatchGetItem of the messages they name) against the way the
 * web client found them before (paging the whole history with getHistory
 * and keeping the quarantined ones), with the real adapters against
 * DynamoDB Local. A room of `messages` messages of about 1 KB, `held` of
 * them quarantined and spread over its history. Prints the DynamoDB
 * requests (Query and BatchGetItem), the items read and the median time of `repeats` readings each,
 * with the load average.
 *
 *   npx tsx scripts/bench/held-queue.ts
 */
import { loadavg } from 'node:os';
import { batchWriteAll } from '../../lambdas/adapters/dynamodb/batch-write';
import { DynamoHeldQueue } from '../../lambdas/adapters/dynamodb/held-queue';
import { toItem } from '../../lambdas/adapters/dynamodb/message-items';
import { DynamoMessageRepository } from '../../lambdas/adapters/dynamodb/message-repository';
import { DynamoModeratedMessageStore } from '../../lambdas/adapters/dynamodb/moderation-message-store';
import { MODERATION_TABLE } from '../../lambdas/adapters/dynamodb/moderation-schema';
import { MESSAGES_TABLE } from '../../lambdas/adapters/dynamodb/schema';
import { createIdGenerator } from '../../lambdas/domain/ids';
import type { ModeratedMessage } from '../../lambdas/domain/message';
import { ensureTable, startDynamoDbLocal } from '../local/engines/dynamodb';
import { REGION, table } from './dynamodb-requests';
import { countingDynamoDb } from './support';

export interface HeldQueueRow {
  readonly way: string;
  readonly requests: number;
  readonly itemsRead: number;
  readonly found: number;
  readonly medianMs: number;
}

export interface HeldQueueCosts {
  readonly messages: number;
  readonly held: number;
  readonly rows: HeldQueueRow[];
  readonly loadAverage: string;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function runHeldQueueBenchmark(messages = 2000, held = 10, repeats = 5): Promise<HeldQueueCosts> {
  const engine = await startDynamoDbLocal({ port: 0, region: REGION });
  try {
    const tableName = 'h-messages';
    const moderationTable = 'h-moderation';
    await ensureTable(engine.client, table(tableName, MESSAGES_TABLE.partitionKey, MESSAGES_TABLE.sortKey));
    await ensureTable(engine.client, table(moderationTable, MODERATION_TABLE.partitionKey, MODERATION_TABLE.sortKey));
    const { client, counts } = countingDynamoDb(engine.endpoint, REGION);
    const roomId = 'room-held';
    const nextId = createIdGenerator();
    const start = Date.UTC(2026, 10, 1);
    const every = Math.floor(messages / held);
    const items = Array.from({ length: messages }, (_, i) => {
      const quarantined = i % every === 0;
      const message: ModeratedMessage & { clientMessageId: string } = {
        roomId,
        messageId: nextId(start + i * 60_000),
        senderId: `u${i % 20}`,
        senderName: 'Member',
        senderType: 'human',
        text: 'x'.repeat(1000),
        clientMessageId: `c${i}`,
        createdAt: new Date(start + i * 60_000).toISOString(),
        moderation: quarantined ? 'quarantined' : 'allowed',
        decision: quarantined ? 'quarantined' : 'allowed',
      };
      return { PutRequest: { Item: toItem(message) } };
    });
    await batchWriteAll(client, tableName, items);
    // The markers the moderation consumer writes as each quarantined message arrives.
    const queue = new DynamoHeldQueue(client, moderationTable);
    for (const { PutRequest } of items) {
      if (PutRequest.Item['moderation'] === 'quarantined') {
        await queue.hold({ roomId, messageId: String(PutRequest.Item['messageId']) });
      }
    }

    const store = new DynamoModeratedMessageStore(client, tableName);
    const history = new DynamoMessageRepository(client, tableName);
    const ways: Array<[string, () => Promise<{ read: number; found: number }>]> = [
      [
        'listHeldMessages (held markers, 50 a page)',
        async () => {
          let read = 0;
          let found = 0;
          let cursor: string | undefined;
          do {
            const page = await queue.page(roomId, { limit: 50, ...(cursor !== undefined ? { cursor } : {}) });
            const held = await store.getMany(roomId, page.items.map((marker) => marker.messageId));
            read += page.items.length + held.length;
            found += held.filter((m) => m.moderation === 'quarantined').length;
            cursor = page.nextCursor;
          } while (cursor !== undefined);
          return { read, found };
        },
      ],
      [
        'getHistory over the whole history (baseline, 100 a page)',
        async () => {
          let read = 0;
          let found = 0;
          let cursor: string | undefined;
          do {
            const page = await history.getHistory(roomId, { limit: 100, direction: 'backward', ...(cursor !== undefined ? { cursor } : {}) });
            read += page.items.length;
            found += page.items.filter((m) => m.moderation === 'quarantined').length;
            cursor = page.nextCursor;
          } while (cursor !== undefined);
          return { read, found };
        },
      ],
    ];

    const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');
    const loadAverage = load();
    const rows: HeldQueueRow[] = [];
    for (const [way, read] of ways) {
      const times: number[] = [];
      let outcome = { read: 0, found: 0 };
      let requests = 0;
      for (let r = 0; r < repeats; r += 1) {
        // The document client's BatchGetCommand reaches the counter as the low-level BatchGetItemCommand.
        const sent = () => (counts['QueryCommand'] ?? 0) + (counts['BatchGetItemCommand'] ?? 0) + (counts['BatchGetCommand'] ?? 0);
        const before = sent();
        const t0 = performance.now();
        outcome = await read();
        times.push(performance.now() - t0);
        requests = sent() - before;
      }
      rows.push({ way, requests, itemsRead: outcome.read, found: outcome.found, medianMs: median(times) });
    }
    return { messages, held, rows, loadAverage };
  } finally {
    await engine.stop();
  }
}

export function formatHeldQueue(costs: HeldQueueCosts): string {
  const base = costs.rows.at(-1)!;
  return [
    `${costs.messages} messages of about 1 KB, ${costs.held} held; load average ${costs.loadAverage}`,
    '',
    '| way | requests (Query, BatchGetItem) | items read | held found | median ms | time vs baseline |',
    '|---|---|---|---|---|---|',
    ...costs.rows.map(
      (r) => `| ${r.way} | ${r.requests} | ${r.itemsRead} | ${r.found} | ${r.medianMs.toFixed(1)} | ${(r.medianMs / base.medianMs).toFixed(3)} |`,
    ),
  ].join('\n');
}

if (process.argv[1]?.endsWith('held-queue.ts')) {
  runHeldQueueBenchmark()
    .then((costs) => console.log(formatHeldQueue(costs)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
