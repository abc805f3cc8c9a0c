import type { AuditArchive, AuditRecord } from '../../domain/audit';

export interface ArchiveBatch {
  /** Stream sequence numbers of the first and last record: the same batch always gets the same key. */
  readonly firstSequence: string;
  readonly lastSequence: string;
  /** When the first record entered the stream. */
  readonly firstRecordAt: Date;
  readonly records: readonly AuditRecord[];
}

/** `audit/2026/11/05/<first>-<last>.jsonl`: by day, then by stream position. */
export const archiveKey = (batch: ArchiveBatch): string => {
  const day = batch.firstRecordAt.toISOString().slice(0, 10).replace(/-/g, '/');
  return `audit/${day}/${batch.firstSequence}-${batch.lastSequence}.jsonl`;
};

/**
 * Copies a batch of audit entries to the archive as one JSON Lines object.
 * A retried batch meets the object its first attempt wrote and writes
 * nothing; a batch the stream splits differently on retry (bisection) may
 * repeat entries across objects, which readers collapse by `entryId`.
 */
export async function archiveAuditRecords(
  archive: AuditArchive,
  batch: ArchiveBatch,
): Promise<{ key: string; outcome: 'written' | 'exists' | 'empty' }> {
  const key = archiveKey(batch);
  if (batch.records.length === 0) return { key, outcome: 'empty' };
  const body = batch.records.map((record) => JSON.stringify(record)).join('\n') + '\n';
  return { key, outcome: await archive.putOnce(key, body) };
}
