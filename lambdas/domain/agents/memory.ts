/**
 * A room's long-term memory, as an agent sees it: a rolling summary of the
 * conversation so far and the passages of older history that best match
 * what it is being asked. Only moderated text is ever remembered. The agent
 * puts these in its prompt next to the recent messages it already has.
 *
 * @example
 * const { summary, passages } = await memory.recall(roomId, question, {
 *   k: 4,
 *   excludeMessageIds: new Set(recent.map((m) => m.messageId)),
 * });
 */
export interface RoomMemory {
  recall(
    roomId: string,
    query: string,
    options: { k: number; excludeMessageIds: ReadonlySet<string> },
  ): Promise<{
    summary?: { text: string; fromMessageId: string; toMessageId: string };
    passages: Array<{ messageIds: string[]; text: string; score: number }>;
  }>;
}

/** The memory of an agent that has none: no summary, no passages. */
export const noMemory: RoomMemory = {
  recall: async () => ({ passages: [] }),
};
