import { termsOf } from '../memory/terms';

/**
 * Lexical ranking of document chunks: BM25+ over the index terms room
 * memory uses (`termsOf`: stems of base forms, stopwords dropped), with the
 * query's terms weighted by `expandTerms` (WordNet synonyms and kinds count
 * less than the question's own words). A chunk's term counts are computed
 * once, when it is indexed, and stored with it, so a search does not
 * tokenize the corpus again.
 */

/** How often each index term occurs in a chunk, and how many terms it has. */
export interface TermStats {
  readonly length: number;
  readonly counts: ReadonlyMap<string, number>;
}

export function termStats(text: string): TermStats {
  const counts = new Map<string, number>();
  const terms = termsOf(text);
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return { length: terms.length, counts };
}

/** BM25+'s parameters: term saturation, length normalisation and the floor of a matched term (MiniSearch's defaults, as memory uses). */
export const BM25 = { k1: 1.2, b: 0.7, delta: 0.5 } as const;

/**
 * BM25+ scores of the candidates that hold at least one query term, keyed
 * by their position in `candidates`. Each query term's contribution is
 * multiplied by its weight.
 */
export function bm25Scores(candidates: readonly TermStats[], queryTerms: ReadonlyMap<string, number>): Map<number, number> {
  const scores = new Map<number, number>();
  if (candidates.length === 0 || queryTerms.size === 0) return scores;
  const df = new Map<string, number>();
  let totalLength = 0;
  for (const c of candidates) {
    totalLength += c.length;
    for (const term of queryTerms.keys()) if (c.counts.has(term)) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const n = candidates.length;
  const avgLength = totalLength / n || 1;
  const idf = new Map([...df].map(([term, d]) => [term, Math.log(1 + (n - d + 0.5) / (d + 0.5))]));
  candidates.forEach((c, i) => {
    let score = 0;
    for (const [term, weight] of queryTerms) {
      const tf = c.counts.get(term);
      if (tf === undefined) continue;
      const norm = BM25.k1 * (1 - BM25.b + (BM25.b * c.length) / avgLength);
      score += weight * (idf.get(term) ?? 0) * ((tf * (BM25.k1 + 1)) / (tf + norm) + BM25.delta);
    }
    if (score > 0) scores.set(i, score);
  });
  return scores;
}
