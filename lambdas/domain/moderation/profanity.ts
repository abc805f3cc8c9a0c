import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import type { Finding } from './findings';

/**
 * Profanity and slurs with obscenity's English word list: maintained,
 * dependency-free, and it sees through the usual disguises (`fuuuck`,
 * `sh1t`, look-alike Unicode letters) while whitelisting the classic false
 * positives (`Scunthorpe`, `assassin`, `cocktail`).
 */
const matcher = new RegExpMatcher({
  ...englishDataset.build(),
  ...englishRecommendedTransformers,
});

/**
 * @handles are names, not speech, and the leetspeak transformer reads their
 * `@` as an `a` (`@assistant` would match a listed word): they are blanked
 * out, keeping every offset, before matching.
 */
const blankMentions = (text: string): string =>
  text.replace(/(^|[^\w@])(@[\w.-]+)/g, (_, before: string, mention: string) => before + ' '.repeat(mention.length));

export function findProfanity(text: string): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const match of matcher.getAllMatches(blankMentions(text), true)) {
    // obscenity's end index is inclusive.
    const key = `${match.startIndex}:${match.endIndex}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({ check: 'profanity', kind: 'word', span: { start: match.startIndex, end: match.endIndex + 1 } });
  }
  return findings;
}
