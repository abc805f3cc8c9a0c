import { describe, expect, it } from 'vitest';
import { itemBytes } from '../../../scripts/bench/knowledge';
import { FACTS, groundingRoom } from '../../../scripts/bench/knowledge-corpus';
import { termsOf } from '../../../lambdas/domain/memory/terms';

describe('the grounding set', () => {
  it('plants every fact exactly once in a room', () => {
    const text = groundingRoom(1)
      .map((d) => d.markdown)
      .join('\n');

    for (const { fact } of FACTS) expect(text.split(fact).length - 1).toBe(1);
  });

  it('is the same for the same seed and differs between seeds', () => {
    expect(groundingRoom(2)).toEqual(groundingRoom(2));
    expect(groundingRoom(2)).not.toEqual(groundingRoom(3));
  });

  it('asks questions that paraphrase their fact: never half of its index terms', () => {
    for (const { fact, question } of FACTS) {
      const factTerms = new Set(termsOf(fact));
      const shared = new Set(termsOf(question).filter((t) => factTerms.has(t)));
      expect(shared.size, question).toBeLessThan(factTerms.size / 2);
    }
  });
});

describe('itemBytes', () => {
  it('counts attribute names and UTF-8 string values, numbers by their digits', () => {
    expect(itemBytes({ sk: 'abc', text: 'é', n: 1234 })).toBe(2 + 3 + 4 + 2 + 1 + 3);
  });
});
