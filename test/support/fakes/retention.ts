import { gunzipSync } from 'node:zlib';
import type { AuditEntry, AuditLog } from '../../../lambdas/domain/audit';
import { parseArchiveKey, type RemovalCause, type RemovedMessage } from '../../../lambdas/domain/retention/archive';
import type { EffectiveRetention, RoomRetention } from '../../../lambdas/domain/retention/policy';
import type {
  ArchiveEntry,
  ArchiveReader,
  ArchiveWriter,
  FailedBatch,
  FailedBatchStore,
  RetentionLookup,
  RetentionRepository,
} from '../../../lambdas/domain/retention/ports';
import type { Page } from '../../../lambdas/domain/types';

/** Policies in memory; counts reads. */
export class FakeRetention implements RetentionRepository {
  readonly policies = new Map<string, RoomRetention>();
  reads = 0;
  failing = false;

  async getRetention(roomId: string) {
    this.reads += 1;
    if (this.failing) throw new Error('unavailable');
    return this.policies.get(roomId);
  }
  async putRetention(retention: RoomRetention) {
    this.policies.set(retention.roomId, retention);
  }
}

/** A lookup answering from a table of rooms, the rest with the default. */
export class FakeLookup implements RetentionLookup {
  readonly failingRooms = new Set<string>();
  constructor(
    readonly rooms: Map<string, Partial<EffectiveRetention>> = new Map(),
    readonly fallback: EffectiveRetention = { days: 30, archiveDeletions: false, source: 'default' },
  ) {}
  async retentionOf(roomId: string): Promise<EffectiveRetention> {
    if (this.failingRooms.has(roomId)) throw new Error('unavailable');
    const room = this.rooms.get(roomId);
    return room ? { ...this.fallback, ...room, source: 'room' } : this.fallback;
  }
}

/** An archive bucket in memory: writes overwrite, like S3; keys in `failingKeys` or rooms in `failingRooms` fail. */
export class FakeArchive implements ArchiveWriter, ArchiveReader {
  readonly objects = new Map<string, string>();
  readonly writes: string[] = [];
  readonly failingRooms = new Set<string>();
  /** Fails this many writes, then succeeds. */
  failNext = 0;
  /** Fails the writes it returns true for. */
  failWhen: (key: string) => boolean = () => false;

  async writeObject(key: string, jsonLines: string) {
    const parsed = parseArchiveKey(key);
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw Object.assign(new Error('slow down'), { name: 'SlowDown' });
    }
    if (this.failWhen(key)) throw Object.assign(new Error('internal'), { name: 'InternalError' });
    if (parsed && this.failingRooms.has(parsed.roomId)) throw Object.assign(new Error('no'), { name: 'AccessDenied' });
    this.writes.push(key);
    this.objects.set(key, jsonLines);
  }

  async list(roomId: string, range: { from: string; to: string }, page: { limit: number; cursor?: string }) {
    const keys = [...this.objects.keys()]
      .filter((k) => {
        const p = parseArchiveKey(k);
        return p && p.roomId === roomId && p.cause === 'expired' && p.date >= range.from && p.date <= range.to;
      })
      .sort()
      .filter((k) => page.cursor === undefined || k > page.cursor);
    const items: ArchiveEntry[] = keys.slice(0, page.limit).map((key) => ({
      key,
      date: parseArchiveKey(key)!.date,
      bytes: this.objects.get(key)!.length,
    }));
    return keys.length > page.limit ? { items, nextCursor: items.at(-1)!.key } : { items };
  }

  async downloadLink(key: string, expiresInSeconds: number) {
    return `https://archive.example/${key}?expires=${expiresInSeconds}`;
  }

  /** Every archived line, parsed, across all current objects. */
  lines(cause?: RemovalCause): Array<Record<string, unknown>> {
    return [...this.objects.entries()]
      .filter(([key]) => cause === undefined || parseArchiveKey(key)?.cause === cause)
      .flatMap(([, body]) =>
        body
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      );
  }
}

/** Parses a gzip JSON Lines body. */
export const gunzipLines = (body: Uint8Array): Array<Record<string, unknown>> =>
  gunzipSync(body)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

export class FakeAudit implements AuditLog {
  readonly entries = new Map<string, AuditEntry>();
  failing = false;
  async record(entry: AuditEntry) {
    if (this.failing) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    const key = `${entry.roomId}|${entry.idempotencyKey}`;
    if (!this.entries.has(key)) this.entries.set(key, entry);
  }
}

export class FakeFailedBatches implements FailedBatchStore {
  readonly batches = new Map<string, FailedBatch>();
  readonly removed: string[] = [];
  async list(limit: number, cursor?: string): Promise<Page<string>> {
    const ids = [...this.batches.keys()].sort().filter((id) => cursor === undefined || id > cursor);
    const items = ids.slice(0, limit);
    return ids.length > limit ? { items, nextCursor: items.at(-1)! } : { items };
  }
  async read(id: string) {
    const batch = this.batches.get(id);
    if (!batch) throw new Error('NoSuchKey');
    return batch;
  }
  async remove(id: string) {
    this.batches.delete(id);
    this.removed.push(id);
  }
}

let sequence = 0;

/** A removed message with a fresh, increasing sequence number. */
export function removed(
  messageId: string,
  options: { roomId?: string; createdAt?: string; cause?: RemovalCause; text?: string } = {},
): RemovedMessage {
  sequence += 1;
  const roomId = options.roomId ?? 'room-1';
  return {
    sequenceNumber: String(sequence).padStart(21, '0'),
    cause: options.cause ?? 'expired',
    roomId,
    messageId,
    removedAt: '2026-11-21T12:00:00.000Z',
    item: {
      roomId,
      sk: `MSG#${messageId}`,
      entity: 'message',
      messageId,
      senderId: 'u-alice',
      senderName: 'Alice',
      senderType: 'human',
      text: options.text ?? `text of ${messageId}`,
      createdAt: options.createdAt ?? '2026-11-01T10:00:00.000Z',
      expiresAt: 1_793_000_000,
    },
  };
}
