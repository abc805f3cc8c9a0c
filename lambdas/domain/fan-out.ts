import * as z from 'zod/mini';
import { ParleyError } from './errors';
import { MAX_FRAME_BYTES, utf8Bytes } from './frame-budget';

/**
 * Sharded fan-out: how a message for a large room is cut into jobs for the
 * fan-out workers. Pure rules; the use cases enqueue and run the jobs.
 *
 * A room's connections are spread over FAN_OUT_GROUPS message groups of the
 * FIFO fan-out queue by a stable hash of the connection id, so a given
 * connection always falls in the same group of its room. SQS hands out a
 * group's jobs one at a time, in order: two messages reach each connection in
 * the order they were enqueued, while the groups run in parallel.
 */

/** Message groups per room: the room's fan-out parallelism. */
export const FAN_OUT_GROUPS = 32;

/** Connections subscribed to a room above which its messages are fanned out in shards (default). */
export const DEFAULT_FAN_OUT_THRESHOLD = 500;

/** Connections per job (default): a worker posts them with bounded parallelism in well under a second. */
export const DEFAULT_FAN_OUT_SHARD_SIZE = 250;

/** Attempts at a connection's post, the first included, before its failure is only reported. */
export const FAN_OUT_MAX_ATTEMPTS = 3;

/**
 * SQS's limit on one message and on one SendMessageBatch request (256 KiB),
 * less headroom for the request's envelope.
 */
export const MAX_JOB_BYTES = 250 * 1024;

/** SQS's limit on the entries of one SendMessageBatch. */
export const MAX_BATCH_ENTRIES = 10;

/** API Gateway connection ids are short (16 characters); anything longer is not one. */
const MAX_CONNECTION_ID_LENGTH = 128;

/**
 * One shard of a message's fan-out: the frame to post (serialized once, at
 * most API Gateway's message limit) and the connections of one group to post
 * it to. `attempt` counts how often these connections were tried already.
 */
export const fanOutJobSchema = z.object({
  roomId: z.string().check(z.minLength(1), z.maxLength(128)),
  messageId: z.string().check(z.minLength(1), z.maxLength(64)),
  group: z.int().check(z.minimum(0), z.maximum(FAN_OUT_GROUPS - 1)),
  /** Which shard of the group, for the message (stable: part of the deduplication id). */
  shard: z.int().check(z.minimum(0)),
  attempt: z.int().check(z.minimum(1), z.maximum(FAN_OUT_MAX_ATTEMPTS)),
  frame: z.string().check(z.minLength(2), z.maxLength(MAX_FRAME_BYTES)),
  connectionIds: z.array(z.string().check(z.minLength(1), z.maxLength(MAX_CONNECTION_ID_LENGTH))).check(z.minLength(1)),
});

export type FanOutJob = z.output<typeof fanOutJobSchema>;

/** A fan-out job that is not one Parley wrote: no retry can fix it. */
export class InvalidFanOutJobError extends ParleyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidFanOutJobError';
  }
}

export function parseFanOutJob(body: string): FanOutJob {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (cause) {
    throw new InvalidFanOutJobError('The fan-out job is not JSON.', { cause });
  }
  const parsed = fanOutJobSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidFanOutJobError('The fan-out job does not have the shape of one.');
  return parsed.data;
}

/** FNV-1a over the id's UTF-16 units: stable across runs, machines and Node versions. */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/** The group a connection always falls in, whatever the room's size or the message. */
export const fanOutGroupOf = (connectionId: string): number => fnv1a(connectionId) % FAN_OUT_GROUPS;

/** One FIFO message group per room and group: rooms never wait on each other. */
export const fanOutGroupId = (job: Pick<FanOutJob, 'roomId' | 'group'>): string => `${job.roomId}#${job.group}`;

/**
 * The same shard of the same message at the same attempt is accepted once
 * within SQS's five-minute window, however often it is enqueued (a retried
 * sendMessage, a worker that enqueues a retry and is then run again).
 */
export const fanOutDeduplicationId = (job: Pick<FanOutJob, 'messageId' | 'group' | 'shard' | 'attempt'>): string =>
  `${job.messageId}#${job.group}#${job.shard}#${job.attempt}`;

export interface FanOutPlanInput {
  readonly roomId: string;
  readonly messageId: string;
  /** The serialized frame every connection receives. */
  readonly frame: string;
  readonly connectionIds: readonly string[];
  readonly shardSize: number;
}

/** What a job weighs once serialized: what SQS counts. */
export const jobBytes = (job: FanOutJob): number => utf8Bytes(JSON.stringify(job));

/**
 * Cuts a message's fan-out into jobs: the connections by group, each group
 * in shards of at most `shardSize` connections whose job also stays within
 * MAX_JOB_BYTES (a large frame makes smaller shards). Every connection is in
 * exactly one job; jobs are listed by group, then shard.
 *
 * @example
 * const jobs = planFanOut({ roomId, messageId, frame: JSON.stringify(frame), connectionIds, shardSize: 250 });
 */
export function planFanOut(input: FanOutPlanInput): FanOutJob[] {
  if (utf8Bytes(input.frame) > MAX_FRAME_BYTES) {
    throw new ParleyError(`A frame of ${utf8Bytes(input.frame)} bytes cannot be posted.`);
  }
  const byGroup = new Map<number, string[]>();
  for (const connectionId of new Set(input.connectionIds)) {
    const group = fanOutGroupOf(connectionId);
    const members = byGroup.get(group);
    if (members) members.push(connectionId);
    else byGroup.set(group, [connectionId]);
  }
  const base = { roomId: input.roomId, messageId: input.messageId, attempt: 1, frame: input.frame };
  // A job's bytes: its envelope plus each id quoted and separated by a comma.
  const envelopeBytes = jobBytes({ ...base, group: FAN_OUT_GROUPS - 1, shard: Number.MAX_SAFE_INTEGER, connectionIds: [] });
  const jobs: FanOutJob[] = [];
  for (const group of [...byGroup.keys()].sort((a, b) => a - b)) {
    let shard: string[] = [];
    let index = 0;
    let bytes = envelopeBytes;
    const close = () => {
      if (shard.length === 0) return;
      jobs.push({ ...base, group, shard: index, connectionIds: shard });
      index += 1;
      shard = [];
      bytes = envelopeBytes;
    };
    for (const connectionId of byGroup.get(group) ?? []) {
      const idBytes = utf8Bytes(JSON.stringify(connectionId)) + 1;
      if (shard.length >= input.shardSize || bytes + idBytes > MAX_JOB_BYTES) close();
      shard.push(connectionId);
      bytes += idBytes;
    }
    close();
  }
  return jobs;
}

/**
 * The job that tries again the connections whose post failed for a reason
 * that may pass, in the same group (so behind what that group already has);
 * none after FAN_OUT_MAX_ATTEMPTS.
 */
export function retryJobOf(job: FanOutJob, failedConnectionIds: readonly string[]): FanOutJob | undefined {
  if (failedConnectionIds.length === 0 || job.attempt >= FAN_OUT_MAX_ATTEMPTS) return undefined;
  return { ...job, attempt: job.attempt + 1, connectionIds: [...failedConnectionIds] };
}

/**
 * Whether a refused post may succeed when tried again: throttling (429), a
 * service error (5xx) or no answer at all. A refusal that repeats the same
 * way (403 without the grant, 400, 413, a frame too large) is not retried.
 */
export function isRetryablePostError(error: unknown): boolean {
  const { name, $metadata } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  if (name === 'FrameTooLargeError') return false;
  const status = $metadata?.httpStatusCode;
  if (typeof status !== 'number') return true;
  return status === 429 || status >= 500;
}

/**
 * Jobs in SendMessageBatch requests: at most MAX_BATCH_ENTRIES each and
 * MAX_JOB_BYTES in all, in order.
 */
export function batchesOf<T>(items: readonly T[], bytesOf: (item: T) => number): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = bytesOf(item);
    if (batch.length > 0 && (batch.length >= MAX_BATCH_ENTRIES || bytes + size > MAX_JOB_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** Where a message's fan-out jobs go: the FIFO fan-out queue. */
export interface FanOutQueue {
  /** Enqueues the jobs; throws unless every one was accepted. */
  enqueue(jobs: readonly FanOutJob[]): Promise<void>;
}

/** When a room's messages are fanned out in shards, and how large a shard is. */
export interface FanOutSettings {
  /** Connections subscribed to the room above which delivery goes to the fan-out workers. */
  readonly threshold: number;
  /** Connections per job. */
  readonly shardSize: number;
}
