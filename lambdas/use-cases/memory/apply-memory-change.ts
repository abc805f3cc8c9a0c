import type { MemoryChange } from '../../domain/memory/changes';
import { isSummaryDue, lastDueSummary } from '../../domain/memory/summary';
import { quantize } from '../../domain/memory/vectors';
import { refreshSummary, type SummaryDeps, type SummaryResult } from './refresh-summary';

export type MemoryDeps = SummaryDeps;

export interface MemoryChangeResult {
  readonly kind: MemoryChange['kind'];
  /** What the store did: remembered, revised, forgotten or unchanged. */
  readonly status?: string;
  /** The summary refresh this change completed or repaired, if any. */
  readonly summary?: SummaryResult;
}

/**
 * Applies one change of the messages table to the room's memory.
 *
 * - With an embedder, a remembered message carries its embedding, for
 *   semantic recall.
 * - Remembering the message that completes a summary window (every
 *   `summaryEvery` messages) refreshes the summary. A redelivered record
 *   checks again, which repairs a refresh that failed after the message was
 *   stored, and otherwise finds the summary there and does nothing.
 * - Revising a remembered message (a late redaction) or forgetting one
 *   (blocked after the fact, deleted, expired) discards every summary that
 *   may quote its old text and rebuilds the latest one from what remains.
 */
export async function applyMemoryChange(deps: MemoryDeps, change: MemoryChange): Promise<MemoryChangeResult> {
  switch (change.kind) {
    case 'ignore':
      return { kind: 'ignore' };
    case 'remember': {
      const { roomId, text } = change.message;
      const message = deps.embedder
        ? { ...change.message, vector: quantize(await deps.embedder.embed(text)) }
        : change.message;
      const outcome = await deps.store.remember(message, change.sequence, deps.policy);
      if (outcome.status === 'revised') {
        const rebuilt = await rebuildAfter(deps, roomId, outcome.seq, outcome.roomSeq);
        return { kind: 'remember', status: outcome.status, ...rebuilt };
      }
      if (outcome.seq !== undefined && isSummaryDue(outcome.seq, deps.policy)) {
        return { kind: 'remember', status: outcome.status, summary: await refreshSummary(deps, roomId, outcome.seq) };
      }
      return { kind: 'remember', status: outcome.status };
    }
    case 'forget': {
      const outcome = await deps.store.forget(change.roomId, change.messageId, change.sequence);
      if (outcome.status === 'forgotten') {
        const rebuilt = await rebuildAfter(deps, change.roomId, outcome.seq, outcome.roomSeq);
        return { kind: 'forget', status: outcome.status, ...rebuilt };
      }
      return { kind: 'forget', status: outcome.status };
    }
  }
}

async function rebuildAfter(
  deps: MemoryDeps,
  roomId: string,
  seq: number,
  roomSeq: number,
): Promise<{ summary?: SummaryResult }> {
  const due = lastDueSummary(roomSeq, deps.policy);
  if (due < seq) return {}; // no summary reaches that message yet
  await deps.store.discardSummariesFrom(roomId, seq);
  return { summary: await refreshSummary(deps, roomId, due) };
}
