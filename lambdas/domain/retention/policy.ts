import { ValidationError } from '../errors';

/**
 * How long a room keeps its messages in DynamoDB: a whole number of days,
 * or `forever`. When the period is over, DynamoDB's TTL removes a message and
 * the archive consumer copies it to S3 first-hand from the stream, so nothing
 * leaves the table without being archived.
 */
export type RetentionPeriod = number | 'forever';

export const MIN_RETENTION_DAYS = 1;
/** Ten years; DynamoDB TTL ignores expiry times more than five years in the past, never future ones. */
export const MAX_RETENTION_DAYS = 3650;

const SECONDS_PER_DAY = 86_400;

/** A room's retention policy, set by its owner; rooms without one follow the stack-wide default. */
export interface RetentionPolicy {
  readonly days: RetentionPeriod;
  /**
   * Whether messages a user or moderator deletes are archived too. Off by
   * default: a deletion is something a person asked for, so the text is not
   * kept anywhere; the audit log still records that it happened.
   */
  readonly archiveDeletions: boolean;
}

/** A room's stored policy, with who set it and when. */
export interface RoomRetention extends RetentionPolicy {
  readonly roomId: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** The policy a room follows and where it came from. */
export interface EffectiveRetention extends RetentionPolicy {
  readonly source: 'room' | 'default';
}

/** True for `forever` and for whole numbers of days within the bounds. */
export function isRetentionPeriod(value: unknown): value is RetentionPeriod {
  return (
    value === 'forever' ||
    (typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= MIN_RETENTION_DAYS &&
      value <= MAX_RETENTION_DAYS)
  );
}

/** Throws a client error unless `value` is a usable retention period. */
export function assertRetentionPeriod(value: unknown): asserts value is RetentionPeriod {
  if (!isRetentionPeriod(value)) {
    throw new ValidationError(
      `Retention is "forever" or a whole number of days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}.`,
    );
  }
}

/**
 * Reads a period written as configuration text: `forever` or a number of
 * days. Throws (a deployment error, not a client one) for anything else.
 *
 * @example
 * parseRetentionPeriod('30');      // 30
 * parseRetentionPeriod('forever'); // 'forever'
 */
export function parseRetentionPeriod(text: string): RetentionPeriod {
  const trimmed = text.trim().toLowerCase();
  const value = trimmed === 'forever' ? 'forever' : /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!isRetentionPeriod(value)) {
    throw new Error(
      `A retention period is "forever" or ${MIN_RETENTION_DAYS}..${MAX_RETENTION_DAYS} days, got "${text}".`,
    );
  }
  return value;
}

/**
 * When a message created at `createdAtMs` expires under `days`, in epoch
 * seconds (the unit of DynamoDB's TTL attribute); undefined when it is kept
 * forever. Counting from the message's own creation time means a policy
 * change applies to messages sent after it and leaves older ones as they were.
 */
export function expiresAtOf(createdAtMs: number, days: RetentionPeriod): number | undefined {
  if (days === 'forever') return undefined;
  return Math.floor(createdAtMs / 1000) + days * SECONDS_PER_DAY;
}
