import { describe, expect, it } from 'vitest';
import { createIdGenerator, isMessageId, timeOfId } from '../../../lambdas/domain/ids';

describe('createIdGenerator', () => {
  it('makes 26-character ids that encode their time', () => {
    const nextId = createIdGenerator();
    const t = Date.UTC(2026, 10, 21, 9, 30);
    const id = nextId(t);
    expect(id).toHaveLength(26);
    expect(isMessageId(id)).toBe(true);
    expect(timeOfId(id)).toBe(t);
  });

  it('sorts ids by time as plain strings', () => {
    const nextId = createIdGenerator();
    const ids = [1_000, 5_000, 2_000_000_000_000].map((t) => nextId(t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('stays strictly increasing within one millisecond and under clock skew', () => {
    const nextId = createIdGenerator(() => new Uint8Array(16).fill(31));
    const ids = [nextId(10), nextId(10), nextId(10), nextId(9)];
    for (let i = 1; i < ids.length; i += 1) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  it('rejects strings that are not ids', () => {
    expect(isMessageId('not-an-id')).toBe(false);
    expect(isMessageId('01JD2Z8Q4M3V9X0K7F2B6C1N8U')).toBe(false); // U is not Crockford
  });
});
