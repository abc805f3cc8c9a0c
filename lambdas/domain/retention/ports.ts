import type { Page } from '../types';
import type { RemovedMessage } from './archive';
import type { EffectiveRetention, RoomRetention } from './policy';

/**
 * Ports of the retention feature. Adapters in lambdas/adapters implement
 * them on DynamoDB and S3; tests implement them with fakes.
 */

/** Rooms' retention policies. */
export interface RetentionRepository {
  /** The room's own policy; undefined when it follows the stack-wide default. */
  getRetention(roomId: string): Promise<RoomRetention | undefined>;
  putRetention(retention: RoomRetention): Promise<void>;
}

/** Where archive objects are written. */
export interface ArchiveWriter {
  /**
   * Stores `jsonLines` compressed at `key`, replacing any object already
   * there: writing the same key twice is how a retried batch stays single.
   */
  writeObject(key: string, jsonLines: string): Promise<void>;
}

/** One object of a room's archive. */
export interface ArchiveEntry {
  readonly key: string;
  /** UTC day its messages were sent, `yyyy-mm-dd`. */
  readonly date: string;
  /** Compressed size in bytes. */
  readonly bytes: number;
}

/** Reading a room's archive. */
export interface ArchiveReader {
  /** The room's archive objects for days `from`..`to` (inclusive), in key order. */
  list(
    roomId: string,
    range: { readonly from: string; readonly to: string },
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<Page<ArchiveEntry>>;
  /** A URL that downloads the object without credentials for `expiresInSeconds`. */
  downloadLink(key: string, expiresInSeconds: number): Promise<string>;
}

/** A batch the archive consumer gave up on, kept by the event source mapping's failure destination. */
export interface FailedBatch {
  readonly id: string;
  /** The batch's removed messages, in stream order; records of other kinds are left out. */
  readonly messages: readonly RemovedMessage[];
}

/** The failure destination's stored batches, waiting to be replayed. */
export interface FailedBatchStore {
  /** Ids of stored batches, oldest first. */
  list(limit: number, cursor?: string): Promise<Page<string>>;
  read(id: string): Promise<FailedBatch>;
  /** Forgets a batch once it has been replayed. */
  remove(id: string): Promise<void>;
}

/** The policy each room follows right now: its own, or the stack-wide default. */
export interface RetentionLookup {
  retentionOf(roomId: string): Promise<EffectiveRetention>;
}

/**
 * A RetentionLookup that tells what it holds without reading, and keeps a
 * policy its caller read along with other items: sendMessage reads the
 * policy with the sender's membership, in the same request, only when the
 * instance does not hold it.
 */
export interface RetentionCache extends RetentionLookup {
  /** The room's policy when held and fresh; undefined when retentionOf would read it. */
  held(roomId: string): EffectiveRetention | undefined;
  /** Keeps the room's stored policy read elsewhere (undefined: it has none) and answers the policy in effect. */
  keep(roomId: string, stored: RoomRetention | undefined): EffectiveRetention;
}
