import { describe, expect, it } from 'vitest';
import { chatter } from '../../../scripts/chatter';
import { random } from '../../../scripts/generate-conversation';

describe('chatter', () => {
  it('is the same for the same seed', () => {
    const a = random(7);
    const b = random(7);
    expect(Array.from({ length: 20 }, () => chatter(a))).toEqual(Array.from({ length: 20 }, () => chatter(b)));
  });

  it('seldom repeats a line word for word, and fills every placeholder', () => {
    const next = random(1);
    const lines = Array.from({ length: 600 }, () => chatter(next));

    expect(new Set(lines).size).toBeGreaterThan(500);
    expect(lines.filter((line) => /[{}]/.test(line))).toEqual([]);
  });
});
