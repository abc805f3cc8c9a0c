import { stemmer } from 'stemmer';
import adjectiveExceptions from 'wink-lexicon/src/wn-adjective-exceptions.js';
import nounExceptions from 'wink-lexicon/src/wn-noun-exceptions.js';
import verbExceptions from 'wink-lexicon/src/wn-verb-exceptions.js';

/**
 * Words too common to tell passages apart. Short on purpose: question words
 * such as "when" or "where" are dropped, but words that carry meaning in chat
 * ("not", "new", "next") are kept.
 */
const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself just let me more most my myself of off on once only or other ought our ' +
    'ours ourselves out over own same she should so some such than that the their theirs them themselves then there these ' +
    'they this those through to too under until up very was we were what when where which while who whom why will with ' +
    'would you your yours yourself yourselves ok okay yeah yes yep hey hi hello lol haha thanks thank please oh um uh ' +
    'really actually anyone someone something anything again still got get gonna wanna know think say said tell told'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Splits text into lower-case words (letters and digits, with inner apostrophes). */
export function tokenize(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(WORD) ?? []).map((w) => w.replace(/['’]s$/u, ''));
}

/**
 * The base form of an irregular word (`went` → `go`, `bought` → `buy`,
 * `children` → `child`, `better` → `good`), from WordNet's exception lists:
 * the ones its own morphology uses, about 5,600 forms. Regular inflection
 * (`attended`, `kids`) is left to the stemmer. Without a part of speech a
 * form is read as a verb first, then a noun, then an adjective; the few
 * forms that are also other words (`left`, `ground`, `found`) are read the
 * same way in questions and in history, so they still meet each other.
 */
export const baseForm = (word: string): string =>
  (Object.hasOwn(verbExceptions, word) ? verbExceptions[word] : undefined) ??
  (Object.hasOwn(nounExceptions, word) ? nounExceptions[word] : undefined) ??
  (Object.hasOwn(adjectiveExceptions, word) ? adjectiveExceptions[word] : undefined) ??
  word;

/**
 * The index term for a word: the Porter stem of its base form, or null for
 * stopwords and single letters. Numbers are kept whole ("6543" stays "6543").
 * `bought` and `buying` both give `bui`, so a question in one tense finds a
 * message in another.
 */
export function normalizeTerm(word: string): string | null {
  const w = word.toLowerCase().replace(/['’]/gu, '');
  if (w.length === 0 || STOPWORDS.has(w)) return null;
  if (/^\p{N}+$/u.test(w)) return w;
  if (w.length < 2) return null;
  return stemmer(baseForm(w));
}

/** The index terms of a text, in order, repeats kept. */
export function termsOf(text: string): string[] {
  const terms: string[] = [];
  for (const word of tokenize(text)) {
    const term = normalizeTerm(word);
    if (term !== null) terms.push(term);
  }
  return terms;
}
