/**
 * Reciprocal rank fusion: several rankings of the same candidates (lexical,
 * by vector similarity) made into one, with no need for their scores to be
 * comparable. Each candidate scores the sum of 1 / (k + rank) over the
 * rankings it appears in (rank 0 = best), so a candidate near the top of
 * both beats one first in only one. Shared by every retrieval in Parley:
 * documents and room memory.
 */

/** The damping constant of the original paper (Cormack, Clarke and Büttcher, 2009). */
export const RRF_K = 60;

/**
 * Rank positions (0 = best) by descending score; among equal scores,
 * `tieBreak` orders (negative = `a` first), so the result is deterministic.
 */
export function rankPositions<Id>(scores: ReadonlyMap<Id, number>, tieBreak: (a: Id, b: Id) => number): Map<Id, number> {
  return new Map(
    [...scores]
      .sort(([ia, a], [ib, b]) => b - a || tieBreak(ia, ib))
      .map(([id], rank) => [id, rank]),
  );
}

export interface FusionOptions {
  /** The damping constant (default RRF_K). */
  readonly k?: number;
  /** Each ranking's weight, in the order given (default 1 each). */
  readonly weights?: readonly number[];
}

/**
 * Fuses rankings given as scores (each ranked with `tieBreak`) into one
 * score per candidate: the sum of weight / (k + rank) over the rankings
 * that hold it (weight 1 unless `options.weights` says otherwise).
 *
 * @example
 * fuseByRank([new Map([['a', 9], ['b', 3]]), new Map([['b', 0.8]])], (x, y) => x.localeCompare(y))
 * // Map { 'a' => 1/60, 'b' => 1/61 + 1/60 }
 */
export function fuseByRank<Id>(
  rankings: readonly ReadonlyMap<Id, number>[],
  tieBreak: (a: Id, b: Id) => number,
  options: FusionOptions = {},
): Map<Id, number> {
  const k = options.k ?? RRF_K;
  const fused = new Map<Id, number>();
  rankings.forEach((scores, r) => {
    const weight = options.weights?.[r] ?? 1;
    for (const [id, rank] of rankPositions(scores, tieBreak)) {
      fused.set(id, (fused.get(id) ?? 0) + weight / (k + rank));
    }
  });
  return fused;
}
