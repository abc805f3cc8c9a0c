import { describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../../../lambdas/domain/ids';
import { isLaterMessage, isReadableMessageId, READ_CLOCK_SKEW_MS } from '../../../../lambdas/domain/presence/read-state';
import { typingKey } from '../../../../lambdas/domain/presence/typing';

const NOW = Date.UTC(2026, 11, 6, 12);
const nextId = createIdGenerator();

describe('isReadableMessageId', () => {
  it('accepts a message id of now or before, within the clock skew', () => {
    expect(isReadableMessageId(nextId(NOW - 1000), NOW)).toBe(true);
    expect(isReadableMessageId(nextId(NOW + READ_CLOCK_SKEW_MS), NOW)).toBe(true);
  });

  it('refuses an id from the future, which would freeze the mark', () => {
    expect(isReadableMessageId(nextId(NOW + READ_CLOCK_SKEW_MS + 1), NOW)).toBe(false);
    expect(isReadableMessageId('ZZZZZZZZZZZZZZZZZZZZZZZZZZ', NOW)).toBe(false);
  });

  it('refuses what is not shaped like a message id', () => {
    expect(isReadableMessageId('hello', NOW)).toBe(false);
  });
});

describe('isLaterMessage', () => {
  it('orders message ids by time, and anything is later than no mark', () => {
    const older = nextId(NOW);
    const newer = nextId(NOW + 1);
    expect(isLaterMessage(newer, older)).toBe(true);
    expect(isLaterMessage(older, newer)).toBe(false);
    expect(isLaterMessage(older, undefined)).toBe(true);
  });
});

describe('typingKey', () => {
  it('keys the limit by room and person', () => {
    expect(typingKey('r1', 'u-bob')).toBe('TYPING#r1#u-bob');
  });
});
