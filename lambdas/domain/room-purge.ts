import * as z from 'zod/mini';
import { ParleyError } from './errors';

/**
 * A deleted room's purge: its messages are given an expiry at the moment of
 * the deletion, so DynamoDB's TTL removes them and the archive consumer
 * archives each one as it goes (the same path as any expiry, see
 * docs/retention.md), and its room memory is deleted. The work runs in the
 * room-purge worker, one bounded stretch per job: a job that runs out of
 * pages or time enqueues the next one with its cursor.
 *
 * Every step is idempotent (an expiry only ever moves earlier; deleting a
 * deleted item is a no-op), so a job delivered twice, or retried after a
 * failure part-way, does no harm.
 */

/** Messages read per Query: small enough that a page's updates finish well within the worker's time. */
export const PURGE_PAGE_SIZE = 100;
/** Message pages one job works through before handing over to the next job. */
export const PURGE_PAGES_PER_JOB = 20;
/** Memory items read and deleted per page (one BatchWriteItem). */
export const MEMORY_PURGE_PAGE_SIZE = 25;
/** Concurrent message updates within a page. */
export const PURGE_UPDATE_CONCURRENCY = 10;
/** Time a job keeps back from its invocation's end: the page under way, then the enqueue of the next job. */
export const PURGE_HANDOVER_MS = 15_000;

/**
 * How long a room's first job waits in the queue, in seconds: longer than
 * the deleteRoom request that queued it can run (API Gateway's 29 s), so a
 * message a member posted before their membership went is already stored
 * when the purge reads the room.
 */
export const FIRST_JOB_DELAY_SECONDS = 30;

/** How long a job waits in the queue before the worker gets it: only a room's first job waits. */
export const purgeJobDelaySeconds = (job: RoomPurgeJob): number => (job.sequence === 0 ? FIRST_JOB_DELAY_SECONDS : 0);

/** What a job still has to do: re-stamp the messages, then delete the room memory. */
export type PurgePhase = 'messages' | 'memory';

const MAX_CURSOR_LENGTH = 1024;

/**
 * One stretch of a room's purge. `deletedAt` is the room's tombstone time,
 * the expiry every message gets; `cursor` is where the messages phase goes
 * on (an opaque position the store gave back), absent at its start.
 */
export const roomPurgeJobSchema = z.object({
  roomId: z.string().check(z.minLength(1), z.maxLength(128)),
  deletedAt: z.iso.datetime(),
  phase: z.enum(['messages', 'memory']),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_CURSOR_LENGTH))),
  /** How many jobs of this purge came before this one, for the logs. */
  sequence: z.int().check(z.minimum(0)),
});

export type RoomPurgeJob = z.output<typeof roomPurgeJobSchema>;

/** A purge job that is not one Parley wrote: no retry can fix it. */
export class InvalidRoomPurgeJobError extends ParleyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidRoomPurgeJobError';
  }
}

/** The first job of a room's purge, as deleteRoom enqueues it. */
export const firstPurgeJob = (roomId: string, deletedAt: string): RoomPurgeJob => ({
  roomId,
  deletedAt,
  phase: 'messages',
  sequence: 0,
});

export function parseRoomPurgeJob(body: string): RoomPurgeJob {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (cause) {
    throw new InvalidRoomPurgeJobError('The room purge job is not JSON.', { cause });
  }
  const parsed = roomPurgeJobSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidRoomPurgeJobError('The room purge job does not have the shape of one.');
  return parsed.data;
}

/**
 * The expiry a deleted room's messages get, in epoch seconds: the deletion
 * time. TTL takes items whose expiry has passed, so they go with the next
 * sweeps; and a message that already expires earlier keeps its expiry.
 *
 * @example
 * purgeExpiry('2026-12-06T10:00:00.500Z'); // 1796551200
 */
export function purgeExpiry(deletedAt: string): number {
  const ms = Date.parse(deletedAt);
  if (!Number.isFinite(ms)) throw new InvalidRoomPurgeJobError(`"${deletedAt}" is not a time.`);
  return Math.floor(ms / 1000);
}

/** A page of a room's messages: their ids and expiries, and where the next page starts. */
export interface MessageExpiryPage {
  readonly messages: readonly { readonly messageId: string; readonly expiresAt?: number }[];
  readonly cursor?: string;
}

/** The messages table, as the purge sees it. */
export interface RoomMessageExpiries {
  /** Up to `limit` of the room's messages, oldest first, from `cursor` on. */
  pageMessages(roomId: string, limit: number, cursor?: string): Promise<MessageExpiryPage>;
  /**
   * Sets a message's expiry to `expiresAt` unless it already expires by
   * then. False when there was nothing to change: the message is gone, or
   * expires earlier already.
   */
  expireMessage(roomId: string, messageId: string, expiresAt: number): Promise<boolean>;
}

/** The memory table, as the purge sees it. */
export interface RoomMemoryPurge {
  /** Deletes up to `limit` of the room's memory items; how many it deleted (fewer than `limit`: none are left). */
  deleteMemoryPage(roomId: string, limit: number): Promise<number>;
}

/** A deleted room's partition of a feature table, deleted a page at a time. */
export interface RoomPartitionPurge {
  /** Deletes up to `limit` of the room's items; how many it deleted (fewer than `limit`: none are left). */
  deletePage(roomId: string, limit: number): Promise<number>;
}

/** Where purge jobs wait for the worker. */
export interface RoomPurgeQueue {
  enqueue(job: RoomPurgeJob): Promise<void>;
}
