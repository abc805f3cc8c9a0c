import type { MemoryChange } from '../../domain/memory/changes';
import { isSummaryDue, lastDueSummary } from '../../domain/memory/summary';
import type { Embedder } from '../../domain/memory/ports';
import { quantize } from '../../domain/memory/vectors';
import { refreshSummary, type SummaryDeps, type SummaryResult } from './refresh-summary';

export type MemoryDeps = SummaryDeps;

export interface MemoryChangeResult {
  readonly kind: MemoryChange['kind'];
  /** What the store did: remembered, revised, forgotten or unchanged. */
  readonly status?: string;
  /** The summary refresh this change completed or repaired, if any. */
  readonly summary?: SummaryResult;
  /** Why the message could not be embedded, when it was remembered without its vector. */
  readonly embeddingFailure?: string;
}

/**
 * Applies one change of the messages table to the room's memory.
 *
 * - With an embedder, a remembered message carries its embedding, for
 *   semantic recall. When the embedder fails (its endpoint down, slow or
 *   refusing), the message is remembered without one, found lexically
 *   only, and the result says why: a message is never lost, nor a room's
 *   memory held back, for an optional ranking.
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
      const embedded = deps.embedder ? await embed(deps.embedder, text) : {};
      const message = embedded.vector !== undefined ? { ...change.message, vector: embedded.vector } : change.message;
      const failed = embedded.failure !== undefined ? { embeddingFailure: embedded.failure } : {};
      const outcome = await deps.store.remember(message, change.sequence, deps.policy);
      if (outcome.status === 'revised') {
        const rebuilt = await rebuildAfter(deps, roomId, outcome.seq, outcome.roomSeq);
        return { kind: 'remember', status: outcome.status, ...rebuilt, ...failed };
      }
      if (outcome.seq !== undefined && isSummaryDue(outcome.seq, deps.policy)) {
        return { kind: 'remember', status: outcome.status, summary: await refreshSummary(deps, roomId, outcome.seq), ...failed };
      }
      return { kind: 'remember', status: outcome.status, ...failed };
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

/** A message's quantized embedding, or why there is none. */
async function embed(embedder: Embedder, text: string): Promise<{ vector?: string; failure?: string }> {
  try {
    return { vector: quantize(await embedder.embed(text)) };
  } catch (error) {
    return { failure: error instanceof Error ? error.message : String(error) };
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
