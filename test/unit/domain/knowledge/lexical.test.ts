import { describe, expect, it } from 'vitest';
import { bm25Scores, termStats } from '../../../../lambdas/domain/knowledge/lexical';
import { searchableVersion } from '../../../../lambdas/domain/knowledge/visibility';

describe('termStats', () => {
  it('counts the index terms memory uses: stems, stopwords dropped', () => {
    const stats = termStats('The refunds were refunded quickly');

    expect(stats.length).toBe(3);
    expect(stats.counts.get('refund')).toBe(2);
    expect(stats.counts.has('the')).toBe(false);
  });
});

describe('bm25Scores', () => {
  const corpus = [termStats('warranty covers two years'), termStats('shipping takes three days'), termStats('warranty warranty claims')];

  it('scores only the candidates that hold a query term', () => {
    const scores = bm25Scores(corpus, new Map([['warranti', 1]]));

    expect([...scores.keys()].sort()).toEqual([0, 2]);
  });

  it('favours a rare term over a common one', () => {
    const scores = bm25Scores(corpus, new Map([['warranti', 1], ['ship', 1]]));

    expect(scores.get(1)).toBeGreaterThan(scores.get(0) ?? 0);
  });

  it('weighs each query term by its expansion weight', () => {
    const full = bm25Scores(corpus, new Map([['ship', 1]]));
    const half = bm25Scores(corpus, new Map([['ship', 0.5]]));

    expect(half.get(1)).toBeCloseTo((full.get(1) ?? 0) / 2);
  });

  it('gives nothing for an empty corpus or query', () => {
    expect(bm25Scores([], new Map([['a', 1]])).size).toBe(0);
    expect(bm25Scores(corpus, new Map()).size).toBe(0);
  });
});

describe('searchableVersion', () => {
  const shared = { documentId: 'd1', name: 'Handbook', status: 'ready', indexedVersion: 2 };

  it('serves the indexed version of a shared document to any agent', () => {
    expect(searchableVersion(shared, 'a1')).toBe(2);
    expect(searchableVersion(shared, undefined)).toBe(2);
  });

  it('serves an agent its own documents only', () => {
    expect(searchableVersion({ ...shared, agentId: 'a1' }, 'a1')).toBe(2);
    expect(searchableVersion({ ...shared, agentId: 'a1' }, 'a2')).toBeUndefined();
    expect(searchableVersion({ ...shared, agentId: 'a1' }, undefined)).toBeUndefined();
  });

  it('keeps the indexed version searchable while a replacement indexes', () => {
    expect(searchableVersion({ ...shared, status: 'indexing' }, 'a1')).toBe(2);
  });

  it('serves nothing before a version is indexed, or once the document is being deleted', () => {
    expect(searchableVersion({ documentId: 'd1', name: 'x', status: 'uploaded' }, 'a1')).toBeUndefined();
    expect(searchableVersion({ ...shared, status: 'deleting' }, 'a1')).toBeUndefined();
  });
});
