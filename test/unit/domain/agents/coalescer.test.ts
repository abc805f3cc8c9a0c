import { describe, expect, it } from 'vitest';
import { DeltaCoalescer } from '../../../../lambdas/domain/agents/coalescer';

describe('DeltaCoalescer', () => {
  it('sends the first delta at once and holds the next ones until the interval has passed', () => {
    const coalescer = new DeltaCoalescer({ minIntervalMs: 100, maxChars: 1000 });

    const first = coalescer.offer('Hel', 0);
    const held = [coalescer.offer('lo', 30), coalescer.offer(' wor', 60)];
    const due = coalescer.due(100);

    expect(first).toBe('Hel');
    expect(held).toEqual([undefined, undefined]);
    expect(due).toBe('lo wor');
  });

  it('tells when held text becomes due', () => {
    const coalescer = new DeltaCoalescer({ minIntervalMs: 100, maxChars: 1000 });
    coalescer.offer('a', 1000);
    expect(coalescer.nextFlushAt()).toBeUndefined();

    coalescer.offer('b', 1020);

    expect(coalescer.nextFlushAt()).toBe(1100);
    expect(coalescer.due(1099)).toBeUndefined();
  });

  it('flushes a long buffer at once, before the interval', () => {
    const coalescer = new DeltaCoalescer({ minIntervalMs: 100, maxChars: 10 });
    coalescer.offer('x', 0);

    const chunk = coalescer.offer('0123456789', 5);

    expect(chunk).toBe('0123456789');
  });

  it('drains what is held at the end, and nothing when empty', () => {
    const coalescer = new DeltaCoalescer({ minIntervalMs: 100, maxChars: 1000 });
    coalescer.offer('a', 0);
    coalescer.offer('b', 10);

    expect(coalescer.drain(20)).toBe('b');
    expect(coalescer.drain(30)).toBeUndefined();
  });

  it('keeps a fast token stream to about ten flushes per second, losing no text', () => {
    const coalescer = new DeltaCoalescer({ minIntervalMs: 100, maxChars: 4000 });
    const tokens = Array.from({ length: 400 }, (_, i) => `t${i} `);
    const chunks: string[] = [];

    tokens.forEach((token, i) => {
      const chunk = coalescer.offer(token, i * 5); // 200 tokens per second for 2 s
      if (chunk !== undefined) chunks.push(chunk);
    });
    const last = coalescer.drain(2000);
    if (last !== undefined) chunks.push(last);

    expect(chunks.join('')).toBe(tokens.join(''));
    expect(chunks.length).toBeLessThanOrEqual(21);
    expect(coalescer.flushes).toBe(chunks.length);
  });
});
