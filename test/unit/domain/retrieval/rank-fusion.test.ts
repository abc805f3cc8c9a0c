import { describe, expect, it } from 'vitest';
import { RRF_K, fuseByRank, rankPositions } from '../../../../lambdas/domain/retrieval/rank-fusion';

const byName = (a: string, b: string) => a.localeCompare(b);

describe('rankPositions', () => {
  it('ranks by descending score, ties by the tie-break', () => {
    const ranks = rankPositions(new Map([['b', 1], ['a', 1], ['c', 5]]), byName);

    expect([...ranks]).toEqual([['c', 0], ['a', 1], ['b', 2]]);
  });
});

describe('fuseByRank', () => {
  it('scores each candidate 1 / (k + rank) summed over the rankings that hold it', () => {
    const fused = fuseByRank(
      [
        new Map([['a', 9], ['b', 3]]),
        new Map([['b', 0.9], ['c', 0.1]]),
      ],
      byName,
    );

    expect(fused.get('a')).toBeCloseTo(1 / RRF_K);
    expect(fused.get('b')).toBeCloseTo(1 / (RRF_K + 1) + 1 / RRF_K);
    expect(fused.get('c')).toBeCloseTo(1 / (RRF_K + 1));
  });

  it('puts a candidate near the top of both rankings above one first in only one', () => {
    const fused = fuseByRank(
      [
        new Map([['lexical-only', 10], ['both', 9]]),
        new Map([['semantic-only', 0.9], ['both', 0.8]]),
      ],
      byName,
    );

    const best = [...fused].sort(([, a], [, b]) => b - a)[0]?.[0];
    expect(best).toBe('both');
  });

  it('ignores score scales: only the order counts', () => {
    const small = fuseByRank([new Map([['a', 0.002], ['b', 0.001]])], byName);
    const large = fuseByRank([new Map([['a', 2_000], ['b', 1_000]])], byName);

    expect(small).toEqual(large);
  });

  it('weighs each ranking by its weight', () => {
    const fused = fuseByRank([new Map([['a', 1]]), new Map([['b', 1]])], byName, { weights: [1, 0.5] });

    expect(fused.get('a')).toBeCloseTo(1 / RRF_K);
    expect(fused.get('b')).toBeCloseTo(0.5 / RRF_K);
  });
});
