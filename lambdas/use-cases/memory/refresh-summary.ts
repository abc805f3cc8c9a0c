import type { Clock } from '../../domain/ports';
import type { Embedder, MemoryStore, Summarizer } from '../../domain/memory/ports';
import { summaryRange } from '../../domain/memory/summary';
import type { MemoryPolicy, RoomSummaryRecord } from '../../domain/memory/types';

export interface SummaryDeps {
  readonly store: MemoryStore;
  readonly summarizer: Summarizer;
  readonly policy: MemoryPolicy;
  readonly clock: Clock;
  /** Embeds each remembered message for semantic recall; absent, recall is lexical only. */
  readonly embedder?: Embedder;
}

/**
 * `exists`: a summary through that message was already there (a redelivered
 * record); `created`: this call wrote it; `lost-race`: another writer stored
 * one for the same window first; `empty`: every message of the window has
 * been forgotten, so there is nothing to summarize.
 */
export type SummaryResult = 'exists' | 'created' | 'lost-race' | 'empty';

/**
 * Makes sure the room has a summary through its `throughSeq`-th remembered
 * message, rolling the previous summary forward over the messages since.
 * The summarizer runs only when no summary of that window exists, and the
 * write is conditional on the window, so a window is never summarized twice.
 */
export async function refreshSummary(deps: SummaryDeps, roomId: string, throughSeq: number): Promise<SummaryResult> {
  const latest = await deps.store.latestSummary(roomId, throughSeq);
  if (latest?.throughSeq === throughSeq) return 'exists';
  const { fromSeq, toSeq } = summaryRange(throughSeq, latest, deps.policy);
  const messages = await deps.store.messagesBetween(roomId, fromSeq, toSeq, deps.policy);
  const first = messages[0];
  const last = messages.at(-1);
  if (first === undefined || last === undefined) return 'empty';

  const draft = await deps.summarizer.summarize({ ...(latest ? { previous: latest } : {}), messages });
  // The previous summary rolls forward, so the new one covers what it covered.
  const summary: RoomSummaryRecord = {
    roomId,
    text: draft.text,
    fromMessageId: latest?.fromMessageId ?? first.messageId,
    toMessageId: last.messageId,
    fromSeq: latest?.fromSeq ?? first.seq,
    throughSeq,
    ...(draft.lines ? { lines: draft.lines } : {}),
    producedBy: draft.producedBy,
    createdAt: new Date(deps.clock.now()).toISOString(),
  };
  return (await deps.store.saveSummary(summary)) ? 'created' : 'lost-race';
}
