/**
 * Measures the message archive:
 *
 * - consumer throughput and S3 objects per 1,000 expired messages: the
 *   archive consumer's code (stream records parsed, grouped into one object
 *   per room and day, gzipped and written) fed TTL removal records in batches
 *   of 500, as the event source mapping delivers them with Parley's
 *   configuration, against a local S3 (fauxqs), for rooms and days spread in
 *   different ways;
 * - end to end on the local runtime: messages expired in DynamoDB Local,
 *   removed by its TTL sweeper, delivered by the stream and archived. This
 *   shows the whole path at a small scale; DynamoDB Local's sweeper deletes
 *   a few items per second, so it, not the archive, sets that pace;
 * - the DynamoDB requests the retention policy adds to storing a message,
 *   with the policy cached per function instance (a warm room) and read (a
 *   room seen for the first time).
 *
 *   npx tsx scripts/bench/archive.ts        (or: npm run bench -- archive)
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { DynamoMessageRepository } from '../../lambdas/adapters/dynamodb/message-repository';
import { DynamoModerationSettingsRepository } from '../../lambdas/adapters/dynamodb/moderation-settings-repository';
import { removedMessageOf } from '../../lambdas/adapters/dynamodb/retention-removals';
import { DynamoRetentionRepository } from '../../lambdas/adapters/dynamodb/retention-repository';
import { S3ArchiveStore } from '../../lambdas/adapters/s3/archive-store';
import { noAudit } from '../../lambdas/domain/audit';
import { createIdGenerator } from '../../lambdas/domain/ids';
import { archivePrefix, type RemovedMessage } from '../../lambdas/domain/retention/archive';
import { expiresAtOf } from '../../lambdas/domain/retention/policy';
import type { RetentionLookup } from '../../lambdas/domain/retention/ports';
import { archiveRemovedMessages } from '../../lambdas/use-cases/retention/archive-removed-messages';
import { cachedRetention } from '../../lambdas/use-cases/retention/retention-lookup';
import { type LocalParleyProcess, startLocalParley } from '../../test/support/local-parley';
import { LOCAL_CREDENTIALS } from '../local/engines/credentials';
import { startFauxqs } from '../local/engines/fauxqs';

const REGION = 'us-east-1';
/** The archive event source mapping's batch size in Parley's configuration. */
const BATCH_SIZE = 500;

export interface ArchiveScenario {
  readonly name: string;
  readonly messages: number;
  readonly rooms: number;
  /** Days the messages were sent over (each day is a partition of its own). */
  readonly days: number;
}

export interface ConsumerResult extends ArchiveScenario {
  readonly batches: number;
  readonly objects: number;
  readonly objectsPer1000: number;
  readonly seconds: number;
  readonly messagesPerSecond: number;
}

export interface EndToEndResult {
  readonly messages: number;
  readonly rooms: number;
  readonly seconds: number;
  readonly batches: number;
  readonly objects: number;
  readonly messagesPerSecond: number;
}

export interface SendCostRow {
  readonly case: string;
  readonly sends: number;
  readonly requestsPerSend: number;
  readonly retentionReadsPerSend: number;
}

export const CONSUMER_SCENARIOS: readonly ArchiveScenario[] = [
  { name: '1 room, 1 day', messages: 10_000, rooms: 1, days: 1 },
  { name: '10 rooms, 1 day', messages: 10_000, rooms: 10, days: 1 },
  { name: '100 rooms, 1 day', messages: 10_000, rooms: 100, days: 1 },
  { name: '1,000 rooms, 1 day', messages: 10_000, rooms: 1_000, days: 1 },
  { name: '10 rooms, 7 days', messages: 10_000, rooms: 10, days: 7 },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Message items as sendMessage stores them, `count` of them spread over rooms and days. */
function messageItems(prefix: string, scenario: ArchiveScenario, expiresAt: number): Array<Record<string, unknown>> {
  const nextId = createIdGenerator();
  const now = Date.now();
  return Array.from({ length: scenario.messages }, (_, i) => {
    const sentAt = now - (i % scenario.days) * 86_400_000 - (scenario.messages - i);
    const messageId = nextId(sentAt);
    return {
      roomId: `${prefix}-room-${i % scenario.rooms}`,
      sk: `MSG#${messageId}`,
      entity: 'message',
      messageId,
      senderId: `user-${i % 7}`,
      senderName: `User ${i % 7}`,
      senderType: 'human',
      text: `Message ${i} of the archive benchmark, about as long as a typical chat line. ${'x'.repeat(i % 40)}`,
      clientMessageId: `${prefix}-${i}`,
      createdAt: new Date(sentAt).toISOString(),
      moderation: 'allowed',
      expiresAt,
    };
  });
}

/** The stream records DynamoDB writes when TTL removes these items, in one shard's order. */
const ttlRecords = (items: ReadonlyArray<Record<string, unknown>>): DynamoDBRecord[] =>
  items.map((item, i) => ({
    eventID: `e${i}`,
    eventName: 'REMOVE',
    eventSource: 'aws:dynamodb',
    awsRegion: REGION,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: marshall({ roomId: item['roomId'], sk: item['sk'] }) as never,
      OldImage: marshall(item) as never,
      SequenceNumber: String(i + 1).padStart(21, '0'),
      SizeBytes: 300,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
  }));

async function listArchive(s3: S3Client, bucket: string, prefix: string): Promise<Array<{ key: string; bytes: number }>> {
  const objects: Array<{ key: string; bytes: number }> = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) objects.push({ key: o.Key ?? '', bytes: o.Size ?? 0 });
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

/** The consumer's work, batch after batch, against a local S3. */
export async function measureConsumer(
  scenarios: readonly ArchiveScenario[] = CONSUMER_SCENARIOS,
  log: (line: string) => void = () => undefined,
): Promise<ConsumerResult[]> {
  const fauxqs = await startFauxqs({ port: 0, region: REGION });
  const s3 = new S3Client({ endpoint: fauxqs.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const bucket = 'bench-archive';
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const deps = {
      archive: new S3ArchiveStore(s3, bucket),
      audit: noAudit,
      retention: { retentionOf: async () => ({ days: 365, archiveDeletions: false, source: 'default' as const }) },
    };
    // Warm-up: the first requests open connections and compile the code paths.
    await archiveRemovedMessages(deps, ttlRecords(messageItems('warm', { name: '', messages: 50, rooms: 5, days: 1 }, 0)).map((r) => removedMessageOf(r) as RemovedMessage));
    const results: ConsumerResult[] = [];
    for (const [index, scenario] of scenarios.entries()) {
      const prefix = `s${index}`;
      const records = ttlRecords(messageItems(prefix, scenario, 0));
      const started = performance.now();
      let batches = 0;
      for (let i = 0; i < records.length; i += BATCH_SIZE) {
        const messages = records.slice(i, i + BATCH_SIZE).map((r) => removedMessageOf(r) as RemovedMessage);
        const outcome = await archiveRemovedMessages(deps, messages);
        if (outcome.failedSequenceNumbers.length > 0) throw new Error(`${scenario.name}: a batch failed`);
        batches += 1;
      }
      const seconds = (performance.now() - started) / 1000;
      const objects = (
        await Promise.all(
          Array.from({ length: scenario.rooms }, (_, r) => listArchive(s3, bucket, archivePrefix(`${prefix}-room-${r}`))),
        )
      ).flat();
      results.push({
        ...scenario,
        batches,
        objects: objects.length,
        objectsPer1000: (objects.length / scenario.messages) * 1000,
        seconds,
        messagesPerSecond: scenario.messages / seconds,
      });
      log(`consumer, ${scenario.name}: ${scenario.messages} messages in ${seconds.toFixed(1)} s, ${objects.length} objects`);
    }
    return results;
  } finally {
    s3.destroy();
    await fauxqs.stop();
  }
}

const isArchiveBatch = (e: { event: string; [k: string]: unknown }) =>
  e.event === 'batch' && String(e['mapping']).includes('ArchiveMessages');

/** Expired messages through the local runtime: DynamoDB Local's TTL, the stream, the consumer, S3. */
async function measureEndToEnd(
  parley: LocalParleyProcess,
  clients: { documents: DynamoDBDocumentClient; s3: S3Client; messagesTable: string; bucket: string },
  scenario: { messages: number; rooms: number },
  log: (line: string) => void,
): Promise<EndToEndResult> {
  const items = messageItems('e2e', { name: 'end to end', ...scenario, days: 1 }, Math.floor(Date.now() / 1000) - 60);
  const firstEvent = parley.events.length;
  const started = performance.now();
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const result = await clients.documents.send(new BatchWriteCommand({ RequestItems: { [clients.messagesTable]: pending } }));
      pending = (result.UnprocessedItems?.[clients.messagesTable] ?? []) as typeof pending;
    }
  }
  const archived = () =>
    parley.events
      .slice(firstEvent)
      .filter((e) => isArchiveBatch(e) && e['outcome'] === 'ok')
      .reduce((sum, e) => sum + Number(e['records']), 0);
  const deadline = Date.now() + 20 * 60_000;
  let reported = 0;
  while (archived() < items.length) {
    if (Date.now() > deadline) throw new Error(`end to end: only ${archived()} archived after 20 minutes`);
    if (archived() >= reported + 50) {
      reported = archived();
      log(`end to end: ${reported}/${items.length} archived after ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    await sleep(200);
  }
  const seconds = (performance.now() - started) / 1000;
  const objects = (
    await Promise.all(
      Array.from({ length: scenario.rooms }, (_, r) => listArchive(clients.s3, clients.bucket, archivePrefix(`e2e-room-${r}`))),
    )
  ).flat();
  return {
    ...scenario,
    seconds,
    batches: parley.events.slice(firstEvent).filter((e) => isArchiveBatch(e)).length,
    objects: objects.length,
    messagesPerSecond: items.length / seconds,
  };
}

/**
 * DynamoDB requests per stored message, with and without the retention stamp,
 * against the runtime's DynamoDB Local. Only the message write differs
 * between the two (the rest of sendMessage is the same), so it is measured
 * alone: the stamp adds the policy read when the room's policy is not cached.
 */
async function measureSendCost(
  parley: LocalParleyProcess,
  tables: Record<'rooms' | 'messages', string>,
): Promise<SendCostRow[]> {
  const counts = new Map<string, number>();
  const raw = new DynamoDBClient({ endpoint: parley.dynamoDbEndpoint, region: parley.region, credentials: LOCAL_CREDENTIALS });
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const policies = new DynamoRetentionRepository(client, tables.rooms);
  let retentionReads = 0;
  const countedPolicies = {
    getRetention: async (roomId: string) => {
      retentionReads += 1;
      return policies.getRetention(roomId);
    },
    putRetention: (retention: Parameters<typeof policies.putRetention>[0]) => policies.putRetention(retention),
  };
  const clock = { now: () => Date.now() };
  const nextId = createIdGenerator();
  const messages = new DynamoMessageRepository(client, tables.messages);
  // As sendMessage does: the room's policy (cached) gives the message its expiry.
  const run = async (label: string, retention: RetentionLookup | undefined, rooms: number, sends: number): Promise<SendCostRow> => {
    counts.clear();
    retentionReads = 0;
    for (let i = 0; i < sends; i += 1) {
      const now = Date.now();
      const roomId = `${label.replace(/\W+/g, '-')}-${i % rooms}`;
      const expiresAt = retention ? expiresAtOf(now, (await retention.retentionOf(roomId)).days) : undefined;
      await messages.saveMessage(
        {
          roomId,
          messageId: nextId(now),
          senderId: 'bench-sender',
          senderName: 'Sender',
          senderType: 'human',
          text: 'hello',
          clientMessageId: `c-${i}`,
          createdAt: new Date(now).toISOString(),
          moderation: 'pending',
        },
        expiresAt,
      );
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    return { case: label, sends, requestsPerSend: total / sends, retentionReadsPerSend: retentionReads / sends };
  };
  const cachedPolicies = () => cachedRetention(countedPolicies, { defaultDays: 365, clock });
  const rows = [
    await run('no retention (baseline)', undefined, 1, 100),
    await run('retention, one room (policy cached)', cachedPolicies(), 1, 100),
    await run('retention, a new room each time (policy read)', cachedPolicies(), 100, 100),
  ];
  raw.destroy();
  return rows;
}

export async function runArchiveBenchmark(log: (line: string) => void = () => undefined): Promise<{
  consumer: ConsumerResult[];
  endToEnd: EndToEndResult;
  sendCost: SendCostRow[];
}> {
  const consumer = await measureConsumer(CONSUMER_SCENARIOS, log);
  log('Starting the local runtime…');
  // The first start after a change synthesizes and bundles the whole app, which takes minutes on two cores.
  const parley = await startLocalParley({ startTimeoutMs: 600_000 });
  try {
    const tableNamed = (pattern: RegExp) => {
      const name = Object.entries(parley.tables).find(([key]) => pattern.test(key))?.[1];
      if (name === undefined) throw new Error(`No table matching ${pattern}`);
      return name;
    };
    const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: parley.dynamoDbEndpoint, region: parley.region, credentials }),
    );
    const s3 = new S3Client({ endpoint: parley.sqsEndpoint, region: parley.region, credentials });
    const names = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name ?? '');
    const bucket = names.find((n) => n.includes('messagearchive') && !n.includes('failedbatches') && !n.includes('accesslogs'));
    if (!bucket) throw new Error('No archive bucket');
    const messagesTable = tableNamed(/\/TablesMessages/);
    log('Measuring the DynamoDB requests of storing a message…');
    const sendCost = await measureSendCost(parley, { rooms: tableNamed(/\/TablesRooms/), messages: messagesTable });
    log('Expiring messages in DynamoDB Local…');
    const endToEnd = await measureEndToEnd(parley, { documents, s3, messagesTable, bucket }, { messages: 200, rooms: 4 }, log);
    documents.destroy();
    s3.destroy();
    return { consumer, endToEnd, sendCost };
  } finally {
    await parley.stop();
  }
}

export function formatArchive({ consumer, endToEnd, sendCost }: Awaited<ReturnType<typeof runArchiveBenchmark>>): string {
  const lines = [
    `Archive consumer, batches of ${BATCH_SIZE} TTL removal records against a local S3 (fauxqs), one process:`,
    '',
    '| expired messages | spread | batches | S3 objects | objects per 1,000 messages | messages/s |',
    '|---:|---|---:|---:|---:|---:|',
  ];
  for (const r of consumer) {
    lines.push(
      `| ${r.messages} | ${r.name} | ${r.batches} | ${r.objects} | ${r.objectsPer1000.toFixed(1)} | ` +
        `${Math.round(r.messagesPerSecond)} |`,
    );
  }
  lines.push(
    '',
    `End to end on the local runtime: ${endToEnd.messages} messages in ${endToEnd.rooms} rooms expired at once, ` +
      `all archived after ${endToEnd.seconds.toFixed(0)} s (${endToEnd.messagesPerSecond.toFixed(1)} messages/s, ` +
      `the pace of DynamoDB Local's TTL sweeper), in ${endToEnd.batches} batches and ${endToEnd.objects} objects.`,
    '',
    'DynamoDB requests to store one message (the part of sendMessage retention changes; DynamoDB Local, 100 messages each):',
    '',
    '| case | requests per message | retention policy reads per message |',
    '|---|---:|---:|',
  );
  for (const row of sendCost) {
    lines.push(`| ${row.case} | ${row.requestsPerSend.toFixed(2)} | ${row.retentionReadsPerSend.toFixed(2)} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outcome = await runArchiveBenchmark((line) => process.stderr.write(`  ${line}\n`));
  console.log(formatArchive(outcome));
}
