import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { LocalEventSourceMapping } from '../model';
import { matchesFilters } from './filter';
import type { BatchInvoker, BatchLogEntry, FailureDestination } from './types';

export interface StreamPollerOptions {
  readonly mapping: LocalEventSourceMapping;
  readonly client: DynamoDBStreamsClient;
  readonly region: string;
  readonly invoke: BatchInvoker;
  readonly sendToFailureDestination: FailureDestination;
  /** File for checkpoints, so a restart with a persisted table does not replay; absent in memory. */
  readonly checkpointFile?: string;
  /** Time between the starts of two polls of a shard that has no backlog (Lambda: 250 ms, four a second). */
  readonly idlePollMs?: number;
  /** The partition key of a record, for ParallelizationFactor (records of one key stay in order). */
  readonly partitionKeyOf?: (record: { readonly dynamodb: Record<string, unknown> }) => string;
  readonly onBatch?: (entry: BatchLogEntry) => void;
}

interface ShardState {
  lastSequenceNumber?: string;
  finished?: boolean;
}

/** A stream record as Lambda delivers it (creation time in epoch seconds, binary as base64). */
interface LambdaStreamRecord {
  readonly eventID?: string;
  readonly eventName?: string;
  readonly dynamodb: {
    SequenceNumber?: string;
    ApproximateCreationDateTime?: number;
    Keys?: Record<string, Record<string, unknown>>;
    [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** An item's key values joined by `/`, as a batch entry names the items it carried. */
const keyOf = (record: LambdaStreamRecord): string =>
  Object.values(record.dynamodb.Keys ?? {})
    .map((value) => String(Object.values(value)[0]))
    .join('/');

const plain = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '$unknown').map(([k, v]) => [k, plain(v)]));
  }
  return value;
};

/**
 * DynamoDB Local records an item its TTL deleted as an EXPIRE event, which
 * its Streams API reports as eventName UNKNOWN_TO_SDK_VERSION without a
 * userIdentity; AWS delivers the same deletion as a REMOVE by the DynamoDB
 * service, which is what consumers (and their filters) look for.
 */
const TTL_EVENT_NAMES: ReadonlySet<string | undefined> = new Set(['EXPIRE', 'UNKNOWN_TO_SDK_VERSION']);
const TTL_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;

const toLambdaRecord = (record: _Record, region: string, streamArn: string): LambdaStreamRecord => {
  const expiry = TTL_EVENT_NAMES.has(record.eventName);
  return {
    eventID: record.eventID,
    eventName: expiry ? 'REMOVE' : record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: plain(record.dynamodb ?? {}) as LambdaStreamRecord['dynamodb'],
    eventSourceARN: streamArn,
    ...(expiry ? { userIdentity: TTL_IDENTITY } : record.userIdentity ? { userIdentity: plain(record.userIdentity) } : {}),
  };
};

/** The most records GetRecords returns at once. */
const PAGE_LIMIT = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const backoff = (attempt: number) => Math.min(100 * 2 ** attempt, 2_000);

/**
 * Reads a DynamoDB stream through the DynamoDB Streams API and delivers it
 * to a function with event source mapping semantics: records in order per
 * shard (a child shard after its parent), filters, batches of BatchSize
 * within MaximumBatchingWindowInSeconds, retries, bisect on error, partial
 * batch responses, and the on-failure destination when retries run out.
 */
export class StreamPoller {
  private readonly shards = new Map<string, ShardState>();
  private readonly loops = new Map<string, Promise<void>>();
  private stopped = false;
  private main: Promise<void> | undefined;
  private readonly hadCheckpoints: boolean;

  constructor(private readonly options: StreamPollerOptions) {
    const file = options.checkpointFile;
    if (file && existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, ShardState>;
      for (const [id, state] of Object.entries(saved)) this.shards.set(id, state);
    }
    this.hadCheckpoints = this.shards.size > 0;
  }

  start(): void {
    this.main ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.main;
    await Promise.all(this.loops.values());
  }

  private save(): void {
    const file = this.options.checkpointFile;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(Object.fromEntries(this.shards)));
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const shards: Shard[] = [];
        let exclusiveStartShardId: string | undefined;
        do {
          const page = await this.options.client.send(
            new DescribeStreamCommand({
              StreamArn: this.options.mapping.sourceArn,
              ExclusiveStartShardId: exclusiveStartShardId,
            }),
          );
          shards.push(...(page.StreamDescription?.Shards ?? []));
          exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
        } while (exclusiveStartShardId);
        const known = new Set(shards.map((s) => s.ShardId));
        for (const shard of shards) {
          const id = shard.ShardId as string;
          if (this.loops.has(id) || this.shards.get(id)?.finished) continue;
          // A child shard waits until its parent is read to the end.
          const parent = shard.ParentShardId;
          if (parent && known.has(parent) && !this.shards.get(parent)?.finished) continue;
          const loop = this.readShard(shard, parent !== undefined && known.has(parent)).catch((error: unknown) => {
            // An expired iterator or a stream hiccup: the next round resumes from the checkpoint.
            const { name, message } = error as Error;
            if (!this.stopped) this.report([], 0, `shard ${id} read failed: ${name}: ${message}`);
            this.loops.delete(id);
          });
          this.loops.set(id, loop);
        }
      } catch (error) {
        if (!this.stopped) this.report([], 0, `stream unavailable: ${(error as Error).name}`);
      }
      for (let i = 0; i < 10 && !this.stopped; i += 1) await sleep(100);
    }
  }

  private async readShard(shard: Shard, hasParent: boolean): Promise<void> {
    const id = shard.ShardId as string;
    const state = this.shards.get(id) ?? {};
    this.shards.set(id, state);
    const { mapping, client } = this.options;
    // Child shards and shards unseen by a mapping that ran before are read from their start.
    const fromStart = hasParent || this.hadCheckpoints || mapping.startingPosition === 'TRIM_HORIZON';
    const iteratorAt = async (type: 'TRIM_HORIZON' | 'LATEST' | 'AFTER_SEQUENCE_NUMBER'): Promise<string | undefined> =>
      (
        await client.send(
          new GetShardIteratorCommand({
            StreamArn: mapping.sourceArn,
            ShardId: id,
            ShardIteratorType: type,
            ...(type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: state.lastSequenceNumber } : {}),
          }),
        )
      ).ShardIterator;
    const firstPosition = state.lastSequenceNumber ? 'AFTER_SEQUENCE_NUMBER' : fromStart ? 'TRIM_HORIZON' : 'LATEST';
    let iterator = await iteratorAt(firstPosition);
    let buffer: LambdaStreamRecord[] = [];
    let windowStarted = 0;
    let trimmedOnce = false;
    while (!this.stopped && iterator) {
      let page;
      const polledAt = Date.now();
      try {
        page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: PAGE_LIMIT }));
      } catch (error) {
        if (!(error instanceof TrimmedDataAccessException)) throw error;
        // DynamoDB Local numbers stream records across all its tables, so an
        // iterator taken on an empty shard can point before the shard's first
        // record. Everything in the shard is newer than that iterator: start
        // again from the checkpoint, or from the oldest record.
        // A checkpoint that is itself trimmed (older than the stream keeps) falls back to the oldest record.
        buffer = [];
        const useCheckpoint = state.lastSequenceNumber !== undefined && !trimmedOnce;
        iterator = await iteratorAt(useCheckpoint ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON');
        trimmedOnce = true;
        continue;
      }
      trimmedOnce = false;
      iterator = page.NextShardIterator;
      for (const raw of page.Records ?? []) {
        const record = toLambdaRecord(raw, this.options.region, mapping.sourceArn);
        if (matchesFilters(mapping.filterPatterns, record)) {
          if (buffer.length === 0) windowStarted = Date.now();
          buffer.push(record);
        } else if (buffer.length === 0) {
          // A filtered-out record is consumed: move the checkpoint past it.
          state.lastSequenceNumber = record.dynamodb?.SequenceNumber;
        }
      }
      const windowOver = Date.now() - windowStarted >= mapping.batchingWindowSeconds * 1000;
      if (mapping.parallelizationFactor > 1 && buffer.length > 0 && (windowOver || !iterator)) {
        await this.deliverInParallel(id, buffer, state);
        buffer = [];
        this.save();
      }
      while (buffer.length > 0 && !this.stopped && (windowOver || buffer.length >= mapping.batchSize || !iterator)) {
        const batch = buffer.slice(0, mapping.batchSize);
        buffer = buffer.slice(batch.length);
        await this.deliver(id, batch, state);
        this.save();
      }
      // Lambda polls each shard four times a second, busy or idle; only a
      // full page (a backlog) is read on at once. Reading a busy shard again
      // as soon as a batch is done would cost DynamoDB Local a request per
      // handful of records.
      const backlog = (page.Records ?? []).length >= PAGE_LIMIT;
      // A poll that took longer than the idle interval starts the next at once (a negative delay warns on Node 24).
      if (iterator && !backlog) await sleep(Math.max(0, polledAt + (this.options.idlePollMs ?? 250) - Date.now()));
    }
    if (!iterator && buffer.length === 0) {
      state.finished = true;
      this.save();
    }
    this.loops.delete(id);
  }

  /**
   * ParallelizationFactor: the records are split by partition key into that
   * many lanes, each delivered in batches, in order, concurrently with the
   * others. The shard's checkpoint moves once every lane is done.
   */
  private async deliverInParallel(shardId: string, records: LambdaStreamRecord[], state: ShardState): Promise<void> {
    const { mapping, partitionKeyOf } = this.options;
    const lanes = new Map<number, LambdaStreamRecord[]>();
    for (const record of records) {
      const key = partitionKeyOf?.(record) ?? JSON.stringify(record.dynamodb['Keys'] ?? '');
      let hash = 0;
      for (let i = 0; i < key.length; i += 1) hash = (hash * 31 + key.charCodeAt(i)) >>> 0;
      const lane = hash % mapping.parallelizationFactor;
      const list = lanes.get(lane) ?? [];
      list.push(record);
      lanes.set(lane, list);
    }
    await Promise.all(
      [...lanes.values()].map(async (lane) => {
        // Each lane keeps its own view of the checkpoint; the shard's moves once all are done.
        const laneState: ShardState = {};
        for (let i = 0; i < lane.length && !this.stopped; i += mapping.batchSize) {
          await this.deliver(shardId, lane.slice(i, i + mapping.batchSize), laneState);
        }
      }),
    );
    if (!this.stopped) state.lastSequenceNumber = records.at(-1)?.dynamodb.SequenceNumber;
  }

  /** Delivers records until each is processed or sent to the failure destination. */
  private async deliver(shardId: string, records: LambdaStreamRecord[], state: ShardState): Promise<void> {
    const { mapping } = this.options;
    let pending = records;
    let attempts = 0;
    while (pending.length > 0 && !this.stopped) {
      const started = performance.now();
      const outcome = await this.options.invoke({ Records: pending });
      const durationMs = performance.now() - started;
      let failedFrom = -1;
      if (outcome.ok && mapping.reportBatchItemFailures) {
        const failures = (outcome.result as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | undefined)
          ?.batchItemFailures;
        if (Array.isArray(failures) && failures.length > 0) {
          const indexOf = (id: string | undefined) => pending.findIndex((r) => r.dynamodb.SequenceNumber === id);
          const indexes = failures.map((f) => indexOf(f.itemIdentifier));
          // An identifier that is not in the batch fails the whole batch, as on AWS.
          failedFrom = indexes.some((i) => i < 0) ? 0 : Math.min(...indexes);
        }
      }
      if (outcome.ok && failedFrom < 0) {
        state.lastSequenceNumber = pending.at(-1)?.dynamodb?.SequenceNumber;
        this.report(pending, durationMs, 'ok');
        return;
      }
      if (failedFrom > 0) {
        state.lastSequenceNumber = pending[failedFrom - 1]?.dynamodb?.SequenceNumber;
        pending = pending.slice(failedFrom);
      }
      this.report(pending, durationMs, outcome.ok ? 'partial failure' : (outcome.error ?? 'error'));
      const oldest = (pending[0]?.dynamodb.ApproximateCreationDateTime ?? Date.now() / 1000) * 1000;
      const maxAgeMs = mapping.maximumRecordAgeSeconds * 1000;
      const expired = maxAgeMs > 0 && Date.now() - oldest > maxAgeMs;
      if (expired || (mapping.maximumRetryAttempts >= 0 && attempts >= mapping.maximumRetryAttempts)) {
        await this.options.sendToFailureDestination(mapping, {
          condition: expired ? 'RecordAgeExceeded' : 'RetryAttemptsExhausted',
          approximateInvokeCount: attempts + 1,
          functionError: outcome.ok ? undefined : outcome.errorType,
          batchInfo: {
            DDBStreamBatchInfo: {
              shardId,
              startSequenceNumber: pending[0]?.dynamodb?.SequenceNumber,
              endSequenceNumber: pending.at(-1)?.dynamodb?.SequenceNumber,
              approximateArrivalOfFirstRecord: new Date(oldest).toISOString(),
              approximateArrivalOfLastRecord: new Date(
                (pending.at(-1)?.dynamodb.ApproximateCreationDateTime ?? Date.now() / 1000) * 1000,
              ).toISOString(),
              batchSize: pending.length,
              streamArn: mapping.sourceArn,
            },
          },
          payload: { Records: pending },
        });
        state.lastSequenceNumber = pending.at(-1)?.dynamodb?.SequenceNumber;
        return;
      }
      attempts += 1;
      if (mapping.bisectOnError && pending.length > 1 && !outcome.ok) {
        // Each half is retried on its own: the poison record ends up alone.
        const half = Math.ceil(pending.length / 2);
        await this.deliver(shardId, pending.slice(0, half), state);
        await this.deliver(shardId, pending.slice(half), state);
        return;
      }
      await sleep(backoff(attempts));
    }
  }

  private report(records: readonly LambdaStreamRecord[], durationMs: number, outcome: string): void {
    this.options.onBatch?.({ mapping: this.options.mapping.id, records: records.length, durationMs, outcome, keys: records.map(keyOf) });
  }
}
