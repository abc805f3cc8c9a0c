import { timeOfId } from '../ids';

/**
 * The message archive's layout and the rules that make it exactly-once.
 *
 * Objects are gzip JSON Lines, one line per removed message, partitioned by
 * room and by the UTC day the message was sent:
 *
 *   archive/room=<roomId>/date=<yyyy-mm-dd>/<firstMessageId>.jsonl.gz   expired messages (TTL)
 *   deleted/room=<roomId>/date=<yyyy-mm-dd>/<firstMessageId>.jsonl.gz   deletions, when the room archives them
 *
 * A batch of stream records becomes one object per (cause, room, day). The
 * object is named after the first of its messages in stream order, so the
 * same records always produce the same key: a retried batch, or a batch
 * replayed from the failure destination, overwrites its objects instead of
 * adding copies. A retry that brings more records for the same group still
 * starts with the same message, so it overwrites with a superset.
 */

/**
 * Where Lambda writes the batches an event source mapping gives up on in its
 * S3 on-failure destination: `aws/lambda/<mapping>/<shard>/<yyyy>/<mm>/<dd>/…`.
 */
export const FAILED_BATCH_PREFIX = 'aws/lambda/';

/** Why a message left the table: its retention ran out, or someone deleted it. */
export type RemovalCause = 'expired' | 'deleted';

/** A message item removed from the messages table, as read from a stream REMOVE record. */
export interface RemovedMessage {
  /** The stream record's sequence number, which identifies it in a batch response. */
  readonly sequenceNumber: string;
  readonly cause: RemovalCause;
  readonly roomId: string;
  readonly messageId: string;
  /** ISO time the removal happened (the stream record's creation time). */
  readonly removedAt: string;
  /** Every attribute the item held, unmarshalled. */
  readonly item: Readonly<Record<string, unknown>>;
}

/** One archive object to write: a (cause, room, day) group of a batch. */
export interface ArchiveObject {
  readonly key: string;
  readonly cause: RemovalCause;
  readonly roomId: string;
  /** UTC day the messages were sent, `yyyy-mm-dd`. */
  readonly date: string;
  /** Messages in stream order. */
  readonly messages: readonly RemovedMessage[];
  /** Their positions in the batch. */
  readonly positions: readonly number[];
}

const PREFIX: Record<RemovalCause, string> = { expired: 'archive', deleted: 'deleted' };
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const segment = (value: string): string => encodeURIComponent(value);

/** The key prefix of a room's archive, optionally narrowed to one day. */
export function archivePrefix(roomId: string, date?: string, cause: RemovalCause = 'expired'): string {
  return `${PREFIX[cause]}/room=${segment(roomId)}/date=${date === undefined ? '' : `${date}/`}`;
}

/** The key of the archive object whose first message (in stream order) is `firstMessageId`. */
export function archiveKey(cause: RemovalCause, roomId: string, date: string, firstMessageId: string): string {
  return `${archivePrefix(roomId, date, cause)}${segment(firstMessageId)}.jsonl.gz`;
}

/** The parts of an archive key, or undefined for keys of another shape. */
export function parseArchiveKey(
  key: string,
): { cause: RemovalCause; roomId: string; date: string; firstMessageId: string } | undefined {
  const match = /^(archive|deleted)\/room=([^/]+)\/date=(\d{4}-\d{2}-\d{2})\/([^/]+)\.jsonl\.gz$/.exec(key);
  if (!match) return undefined;
  const [, prefix, room, date, first] = match as unknown as [string, string, string, string, string];
  return {
    cause: prefix === 'archive' ? 'expired' : 'deleted',
    roomId: decodeURIComponent(room),
    date,
    firstMessageId: decodeURIComponent(first),
  };
}

const isoDay = (ms: number): string | undefined =>
  Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString().slice(0, 10) : undefined;

/**
 * The UTC day a message was sent: from its `createdAt`, else from the time
 * in its id, else the day it was removed. Bad data still gets archived.
 */
export function sentDay(message: Pick<RemovedMessage, 'item' | 'messageId' | 'removedAt'>): string {
  const createdAt = message.item['createdAt'];
  return (
    (typeof createdAt === 'string' ? isoDay(Date.parse(createdAt)) : undefined) ??
    isoDay(timeOfId(message.messageId)) ??
    message.removedAt.slice(0, 10)
  );
}

/**
 * Groups a batch's removed messages into archive objects, one per (cause,
 * room, day), in the order their first messages appear.
 */
export function planArchiveObjects(messages: readonly RemovedMessage[]): ArchiveObject[] {
  const groups = new Map<string, { first: RemovedMessage; date: string; messages: RemovedMessage[]; positions: number[] }>();
  messages.forEach((message, position) => {
    const date = sentDay(message);
    const id = `${message.cause}\u0000${message.roomId}\u0000${date}`;
    const group = groups.get(id) ?? { first: message, date, messages: [], positions: [] };
    group.messages.push(message);
    group.positions.push(position);
    groups.set(id, group);
  });
  return [...groups.values()].map(({ first, date, messages: grouped, positions }) => ({
    key: archiveKey(first.cause, first.roomId, date, first.messageId),
    cause: first.cause,
    roomId: first.roomId,
    date,
    messages: grouped,
    positions,
  }));
}

/** A value JSON can carry: sets become sorted arrays, binary becomes base64. */
function jsonSafe(value: unknown): unknown {
  if (value instanceof Set) return [...value].map(jsonSafe).sort();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (typeof value === 'bigint') return value.toString();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return value;
}

/**
 * The JSON Lines body of an archive object: one line per message, ordered by
 * message id, each the full item as stored plus `removal` (why and when it
 * left the table). The same messages always give the same bytes.
 */
export function toJsonLines(object: Pick<ArchiveObject, 'messages'>): string {
  const sorted = [...object.messages].sort(
    (a, b) => a.messageId.localeCompare(b.messageId) || a.sequenceNumber.localeCompare(b.sequenceNumber),
  );
  return sorted
    .map((m) => `${JSON.stringify({ ...(jsonSafe(m.item) as object), removal: { cause: m.cause, at: m.removedAt } })}\n`)
    .join('');
}

/** A unit of work over some positions of a batch, and whether it was done. */
export interface BatchUnit {
  readonly positions: readonly number[];
  readonly ok: boolean;
}

/**
 * The position from which a batch must be retried, or undefined when every
 * unit succeeded. A stream is retried from a position onwards, so the
 * position is the first failed record, moved back to the start of any
 * written unit that would otherwise be cut in two: a retry then sees that
 * unit whole again and rewrites the same object rather than a copy of its
 * tail under another key.
 *
 * @example
 * // Units A = [0, 2] written, B = [1, 3] failed: retrying from 1 would
 * // re-send 2 without 0, so the retry starts at 0.
 * retryPosition([{ positions: [0, 2], ok: true }, { positions: [1, 3], ok: false }]); // 0
 */
export function retryPosition(units: readonly BatchUnit[]): number | undefined {
  const failed = units.filter((u) => !u.ok && u.positions.length > 0);
  if (failed.length === 0) return undefined;
  let from = Math.min(...failed.map((u) => Math.min(...u.positions)));
  for (let moved = true; moved; ) {
    moved = false;
    for (const unit of units) {
      if (!unit.ok || unit.positions.length === 0) continue;
      const first = Math.min(...unit.positions);
      const last = Math.max(...unit.positions);
      if (first < from && last >= from) {
        from = first;
        moved = true;
      }
    }
  }
  return from;
}

/** True when `value` is a calendar day written `yyyy-mm-dd`. */
export function isArchiveDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** Whole days from `from` to `to`, both included; 0 or less when `to` comes first. */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}
