/**
 * The room memory seam. An agent with `useMemory` on asks the room's memory
 * for what it remembers beyond the recent history; the memory feature
 * implements this port (lambdas/adapters/memory). A function without the
 * memory table's binding uses `noMemory`, and the prompt then simply has no
 * memory section.
 */
export interface RecalledMemory {
  /** A rolling summary of the room, covering the given message range. */
  summary?: { text: string; fromMessageId: string; toMessageId: string };
  /** Passages relevant to the query, best first. */
  passages: Array<{ messageIds: string[]; text: string; score: number }>;
}

export interface RoomMemory {
  /**
   * What the room's memory holds that is relevant to `query`. Messages in
   * `excludeMessageIds` (already in the prompt's history) are left out, and
   * so are those of `excludeSenderIds` (an agent's own replies, which echo
   * the questions they answered and would crowd out what people said).
   * Only moderated text (allowed, or the redacted version) is ever indexed.
   * With `now`, a query that names a time relative to it ("last week")
   * favours what was said then.
   */
  recall(
    roomId: string,
    query: string,
    options: { k: number; excludeMessageIds: ReadonlySet<string>; excludeSenderIds?: ReadonlySet<string>; now?: number },
  ): Promise<RecalledMemory>;
}

/** A memory that remembers nothing. */
export const noMemory: RoomMemory = {
  recall: async () => ({ passages: [] }),
};
