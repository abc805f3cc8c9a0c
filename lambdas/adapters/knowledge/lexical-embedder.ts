import type { Embedder } from '../../domain/memory/ports';
import { normalizeTerm, tokenize } from '../../domain/memory/terms';

/** How lexical vectors are named on the chunks they embed: never compared with a model's vectors. */
export const LEXICAL_EMBEDDER_MODEL = 'lexical-hash-512';

const DIMENSIONS = 512;
/** Letters of the word pieces hashed beside whole terms. */
const GRAM = 4;
/** How much a word piece or a pair of terms counts against a whole term. */
const GRAM_WEIGHT = 0.35;
const PAIR_WEIGHT = 0.5;

/** FNV-1a, 32 bits: fast, stable across runs and platforms. */
function hash(feature: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < feature.length; i += 1) {
    h ^= feature.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A deterministic embedder that needs no model: it is LEXICAL, NOT
 * SEMANTIC. It hashes a text's features into a fixed number of dimensions
 * (the "hashing trick"), each with a sign from its hash so collisions
 * cancel rather than pile up: index terms (the stems memory's lexical
 * ranking uses), pairs of neighbouring terms, and the four-letter pieces of
 * each word, which let other forms of a word the stemmer does not join
 * ("delivery", "delivered") share most of their features. Counts are
 * dampened (1 + ln n) and the vector normalised to unit length.
 *
 * It knows no synonyms beyond shared spelling: "refund" and "money back"
 * stay apart. It serves offline runs and deployments without an
 * embeddings model; with one configured, Titan's vectors replace it.
 */
export class LexicalEmbedder implements Embedder {
  readonly model = LEXICAL_EMBEDDER_MODEL;

  async embed(text: string): Promise<number[]> {
    return this.vector(text);
  }

  /** The vector, synchronously (the benchmark embeds thousands of chunks). */
  vector(text: string): number[] {
    const counts = new Map<string, { weight: number; n: number }>();
    const add = (feature: string, weight: number) => counts.set(feature, { weight, n: (counts.get(feature)?.n ?? 0) + 1 });
    let previous: string | undefined;
    for (const word of tokenize(text)) {
      const term = normalizeTerm(word);
      if (term === null) {
        previous = undefined;
        continue;
      }
      add(`t:${term}`, 1);
      if (previous !== undefined) add(`p:${previous} ${term}`, PAIR_WEIGHT);
      previous = term;
      const padded = `^${word}$`;
      for (let i = 0; i + GRAM <= padded.length; i += 1) add(`g:${padded.slice(i, i + GRAM)}`, GRAM_WEIGHT);
    }
    const values = new Array<number>(DIMENSIONS).fill(0);
    for (const [feature, { weight, n }] of counts) {
      const h = hash(feature);
      const sign = h & 0x80000000 ? -1 : 1;
      const at = h % DIMENSIONS;
      values[at] = (values[at] as number) + sign * weight * (1 + Math.log(n));
    }
    const norm = Math.hypot(...values);
    return norm === 0 ? values : values.map((v) => v / norm);
  }
}
