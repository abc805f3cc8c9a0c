import type { MemoryCursor, MemoryPolicy } from './types';

/** A room that has remembered nothing yet. */
export const EMPTY_CURSOR: MemoryCursor = { seq: 0, windowStart: 0, windowCount: 0, windowChars: 0 };

export interface Placement {
  /** The message's sequence number in the room's memory (1 for the first). */
  readonly seq: number;
  /** The window it belongs to, named by its first sequence number. */
  readonly windowStart: number;
  /** True when the message opens a new window. */
  readonly opensWindow: boolean;
  /** The cursor once the message is remembered. */
  readonly next: MemoryCursor;
}

/**
 * Where the next remembered message goes: the open window while it has room
 * (fewer than `windowSize` messages and under `windowMaxChars` characters),
 * else a new window it opens. A message is placed once; its window never
 * changes afterwards.
 */
export function placeMessage(cursor: MemoryCursor, chars: number, policy: MemoryPolicy): Placement {
  const seq = cursor.seq + 1;
  const fits =
    cursor.windowStart > 0 &&
    cursor.windowCount < policy.windowSize &&
    cursor.windowChars + chars <= policy.windowMaxChars;
  if (fits) {
    return {
      seq,
      windowStart: cursor.windowStart,
      opensWindow: false,
      next: {
        seq,
        windowStart: cursor.windowStart,
        windowCount: cursor.windowCount + 1,
        windowChars: cursor.windowChars + chars,
      },
    };
  }
  return { seq, windowStart: seq, opensWindow: true, next: { seq, windowStart: seq, windowCount: 1, windowChars: chars } };
}

/**
 * The earliest window start that can hold message `seq`: a window holds at
 * most `windowSize` messages, so it starts no earlier than that many back.
 */
export const earliestWindowFor = (seq: number, policy: MemoryPolicy): number => Math.max(1, seq - policy.windowSize + 1);
