import { KIND_WEIGHT, SYNONYM_WEIGHT, relatedTerms } from '../../domain/memory/lexicon';
import type { Embedder } from '../../domain/memory/ports';
import { termsOf } from '../../domain/memory/terms';

/** How lexical vectors are named on the chunks they embed: never compared with a model's vectors. */
export const LEXICAL_EMBEDDER_MODEL = 'lexical-hash-512';

const DIMENSIONS = 512;

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
 * SEMANTIC. It hashes a text's index terms (the stems of base forms that
 * memory's and the documents' lexical ranking use) into a fixed number of
 * dimensions (the "hashing trick"), each with a sign from its hash so
 * collisions cancel rather than pile up, together with each term's WordNet
 * synonyms (at SYNONYM_WEIGHT) and kinds (at KIND_WEIGHT), so two texts
 * that say a thing with related words share some features on both sides.
 * Repeats are dampened (1 + ln n) and the vector normalised to unit length.
 *
 * It knows only words and WordNet's relations between them, never what a
 * sentence means: "money back" and "refund" stay apart. It serves offline
 * runs and deployments without an embeddings model; docs/knowledge.md gives
 * what it adds to the lexical ranking (measured: nothing; see there).
 */
export class LexicalEmbedder implements Embedder {
  readonly model = LEXICAL_EMBEDDER_MODEL;

  async embed(text: string): Promise<number[]> {
    const features = new Map<string, { weight: number; n: number }>();
    const add = (term: string, weight: number) => {
      const seen = features.get(term);
      features.set(term, { weight: Math.max(weight, seen?.weight ?? 0), n: (seen?.n ?? 0) + 1 });
    };
    for (const term of termsOf(text)) {
      add(term, 1);
      const related = relatedTerms(term);
      for (const synonym of related.synonyms) add(synonym, SYNONYM_WEIGHT);
      for (const kind of related.kinds) add(kind, KIND_WEIGHT);
    }
    const values = new Array<number>(DIMENSIONS).fill(0);
    for (const [feature, { weight, n }] of features) {
      const h = hash(feature);
      const sign = h & 0x80000000 ? -1 : 1;
      const at = h % DIMENSIONS;
      values[at] = (values[at] as number) + sign * weight * (1 + Math.log(n));
    }
    const norm = Math.hypot(...values);
    return norm === 0 ? values : values.map((v) => v / norm);
  }
}
