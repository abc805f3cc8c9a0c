import type { FailedBatchStore } from '../../domain/retention/ports';
import { archiveRemovedMessages, type ArchiveRemovedDeps } from './archive-removed-messages';

export interface ReplayDeps extends ArchiveRemovedDeps {
  readonly failures: FailedBatchStore;
}

export interface ReplayReport {
  /** Batches archived and removed from the failure destination. */
  readonly replayed: Array<{ id: string; messages: number; objects: number }>;
  /** Batches that failed again and stay where they are. */
  readonly failed: Array<{ id: string; reasons: string[] }>;
  /** True when more batches are waiting than this call took. */
  readonly more: boolean;
}

/**
 * Archives the batches the archive consumer gave up on, as kept by its
 * failure destination, and removes each one once all its messages are
 * archived. A batch that fails again stays for the next replay. Archive keys
 * come from the records, so a batch whose objects were partly written before
 * it failed overwrites them rather than duplicating them.
 */
export async function replayFailedBatches(
  deps: ReplayDeps,
  options: { readonly limit?: number } = {},
): Promise<ReplayReport> {
  const limit = options.limit ?? 100;
  const replayed: ReplayReport['replayed'] = [];
  const failed: ReplayReport['failed'] = [];
  let cursor: string | undefined;
  let more = false;
  let taken = 0;
  do {
    const page = await deps.failures.list(Math.min(limit - taken, 100), cursor);
    for (const id of page.items) {
      taken += 1;
      try {
        const batch = await deps.failures.read(id);
        const outcome = await archiveRemovedMessages(deps, batch.messages);
        if (outcome.failedSequenceNumbers.length > 0) {
          failed.push({ id, reasons: outcome.failures });
          continue;
        }
        await deps.failures.remove(id);
        replayed.push({ id, messages: batch.messages.length, objects: outcome.objectsWritten });
      } catch (error) {
        failed.push({ id, reasons: [error instanceof Error ? error.name : 'Error'] });
      }
    }
    cursor = page.nextCursor;
    more = cursor !== undefined;
  } while (cursor !== undefined && taken < limit);
  return { replayed, failed, more };
}
