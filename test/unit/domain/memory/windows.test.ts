import { describe, expect, it } from 'vitest';
import { EMPTY_CURSOR, earliestWindowFor, placeMessage } from '../../../../lambdas/domain/memory/windows';
import type { MemoryPolicy } from '../../../../lambdas/domain/memory/types';

const policy: MemoryPolicy = { windowSize: 3, windowMaxChars: 100, summaryEvery: 20 };

describe('placeMessage', () => {
  it('opens the first window with the first message', () => {
    const placement = placeMessage(EMPTY_CURSOR, 10, policy);

    expect(placement).toEqual({
      seq: 1,
      windowStart: 1,
      opensWindow: true,
      next: { seq: 1, windowStart: 1, windowCount: 1, windowChars: 10 },
    });
  });

  it('fills the open window up to its size, then opens the next one', () => {
    let cursor = EMPTY_CURSOR;
    const starts: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const placement = placeMessage(cursor, 10, policy);
      starts.push(placement.windowStart);
      cursor = placement.next;
    }

    expect(starts).toEqual([1, 1, 1, 4, 4, 4, 7]);
  });

  it('closes a window early when the next text would pass the character limit', () => {
    const first = placeMessage(EMPTY_CURSOR, 60, policy);

    const second = placeMessage(first.next, 50, policy);

    expect(second).toMatchObject({ seq: 2, windowStart: 2, opensWindow: true });
  });
});

describe('earliestWindowFor', () => {
  it('goes back at most a window size, never before the first message', () => {
    expect(earliestWindowFor(10, policy)).toBe(8);
    expect(earliestWindowFor(2, policy)).toBe(1);
  });
});
