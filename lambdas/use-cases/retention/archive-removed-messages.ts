import type { AuditLog } from '../../domain/audit';
import { settleWithConcurrency } from '../../domain/concurrency';
import {
  planArchiveObjects,
  retryPosition,
  toJsonLines,
  type BatchUnit,
  type RemovedMessage,
} from '../../domain/retention/archive';
import type { ArchiveWriter, RetentionLookup } from '../../domain/retention/ports';

export interface ArchiveRemovedDeps {
  readonly archive: ArchiveWriter;
  /** Read for rooms whose messages were deleted: their policy says whether deletions are archived. */
  readonly retention: RetentionLookup;
  readonly audit: AuditLog;
  /** Objects written at once (default 8). */
  readonly concurrency?: number;
}

export interface ArchiveOutcome {
  /** Sequence numbers to report as failed: the stream retries from the first of them. */
  readonly failedSequenceNumbers: string[];
  readonly objectsWritten: number;
  readonly messagesArchived: number;
  /** Deletions seen (recorded in the audit log whether or not they were archived). */
  readonly deletions: number;
  /** Why units failed, for logs: error names only, never contents. */
  readonly failures: string[];
}

const errorName = (reason: unknown): string =>
  reason instanceof Error ? reason.name : typeof reason === 'string' ? reason : 'Error';

/**
 * Archives the messages a batch of stream records removed from the table.
 * Expired messages (TTL) are always archived. Deleted ones are recorded in
 * the audit log and archived only when their room's policy says so.
 *
 * Each (cause, room, day) group becomes one object, written whole or not at
 * all; every group and audit entry is a unit of work. When a unit fails, the
 * outcome names the records to retry, from the first failed one, moved back
 * so that no written object is split by the retry (see retryPosition). The
 * objects' keys depend only on the records, so rewriting is harmless.
 */
export async function archiveRemovedMessages(
  deps: ArchiveRemovedDeps,
  messages: readonly RemovedMessage[],
): Promise<ArchiveOutcome> {
  const units: BatchUnit[] = [];
  const failures: string[] = [];
  const concurrency = deps.concurrency ?? 8;

  // Deletions follow their room's policy; a room whose policy cannot be read fails its deletions.
  const deletionRooms = [...new Set(messages.filter((m) => m.cause === 'deleted').map((m) => m.roomId))];
  const policies = new Map<string, boolean>();
  const policyReads = await settleWithConcurrency(deletionRooms, concurrency, (roomId) =>
    deps.retention.retentionOf(roomId),
  );
  policyReads.forEach((read, index) => {
    const roomId = deletionRooms[index] as string;
    if (read.status === 'fulfilled') policies.set(roomId, read.value.archiveDeletions);
    else failures.push(`retention:${errorName(read.reason)}`);
  });

  const toArchive: Array<{ message: RemovedMessage; position: number }> = [];
  const deletions: Array<{ message: RemovedMessage; position: number }> = [];
  messages.forEach((message, position) => {
    if (message.cause === 'expired') {
      toArchive.push({ message, position });
      return;
    }
    deletions.push({ message, position });
    const archiveDeletions = policies.get(message.roomId);
    if (archiveDeletions === undefined) units.push({ positions: [position], ok: false });
    else if (archiveDeletions) toArchive.push({ message, position });
  });

  const objects = planArchiveObjects(toArchive.map((entry) => entry.message));
  const writes = await settleWithConcurrency(objects, concurrency, (object) =>
    deps.archive.writeObject(object.key, toJsonLines(object)),
  );
  let objectsWritten = 0;
  let messagesArchived = 0;
  writes.forEach((write, index) => {
    const object = objects[index];
    if (!object) return;
    const positions = object.positions.map((i) => toArchive[i]?.position ?? -1);
    units.push({ positions, ok: write.status === 'fulfilled' });
    if (write.status === 'fulfilled') {
      objectsWritten += 1;
      messagesArchived += object.messages.length;
    } else {
      failures.push(`archive:${errorName(write.reason)}`);
    }
  });

  const audits = await settleWithConcurrency(deletions, concurrency, ({ message }) =>
    deps.audit.record({
      roomId: message.roomId,
      // The same key as the deleting request's own entry: the trail keeps one entry per deletion.
      idempotencyKey: `message:${message.messageId}:deleted`,
      occurredAt: message.removedAt,
      actor: { type: 'system', id: 'retention' },
      action: 'message.deleted',
      target: { type: 'message', id: message.messageId },
      details: { archived: policies.get(message.roomId) === true },
    }),
  );
  audits.forEach((audit, index) => {
    const position = deletions[index]?.position ?? -1;
    units.push({ positions: [position], ok: audit.status === 'fulfilled' });
    if (audit.status === 'rejected') failures.push(`audit:${errorName(audit.reason)}`);
  });

  const from = retryPosition(units);
  return {
    failedSequenceNumbers: from === undefined ? [] : messages.slice(from).map((m) => m.sequenceNumber),
    objectsWritten,
    messagesArchived,
    deletions: deletions.length,
    failures,
  };
}
