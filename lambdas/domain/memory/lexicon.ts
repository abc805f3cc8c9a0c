import { RELATED_TERMS } from './lexicon-table';

/**
 * How much a synonym of a query word counts against the word itself
 * ("kids" for "children"): below it, so a message with the asked word
 * still ranks first, but enough that a message that only says it another
 * way can be found.
 */
export const SYNONYM_WEIGHT = 0.5;
/** How much a word of the kind just above or below counts ("hatchback" for "car"): less than a synonym. */
export const KIND_WEIGHT = 0.3;

interface Related {
  readonly synonyms: readonly string[];
  readonly kinds: readonly string[];
}

let table: Map<string, Related> | undefined;

/** The table, parsed on first use (about 10,000 lines), not at cold start. */
function related(): Map<string, Related> {
  if (table) return table;
  table = new Map();
  for (const line of RELATED_TERMS.split('\n')) {
    const [head = '', tail = ''] = line.split('|');
    const [term = '', ...synonyms] = head.trim().split(' ');
    table.set(term, { synonyms, kinds: tail.trim() === '' ? [] : tail.trim().split(' ') });
  }
  return table;
}

/** The synonyms and kinds WordNet gives an index term (see scripts/generate-lexicon.ts), none for an unknown one. */
export const relatedTerms = (term: string): Related => related().get(term) ?? { synonyms: [], kinds: [] };

/**
 * Query terms with the weight each counts for: the terms themselves at 1,
 * their synonyms at `SYNONYM_WEIGHT` and their kinds at `KIND_WEIGHT`. A
 * word reached several ways keeps its highest weight, so expansion never
 * lowers a term the question used.
 *
 * @example
 * expandTerms(['children']) // Map { 'children' => 1, 'kid' => 0.5, 'youngster' => 0.5, …, 'juvenil' => 0.3 }
 */
export function expandTerms(terms: Iterable<string>): Map<string, number> {
  const weights = new Map<string, number>();
  const raise = (term: string, weight: number) => {
    if ((weights.get(term) ?? 0) < weight) weights.set(term, weight);
  };
  const exact = [...new Set(terms)];
  for (const term of exact) raise(term, 1);
  for (const term of exact) {
    const { synonyms, kinds } = relatedTerms(term);
    for (const s of synonyms) raise(s, SYNONYM_WEIGHT);
    for (const k of kinds) raise(k, KIND_WEIGHT);
  }
  return weights;
}
