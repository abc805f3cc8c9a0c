import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LEXICON_PATH, generateLexicon } from '../../../../scripts/generate-lexicon';

// Each generation reads WordNet's 34 MB: seconds on an idle machine, more on a busy one.
const GENERATION_TIMEOUT_MS = 180_000;

describe('generateLexicon', () => {
  it('produces exactly the committed table from WordNet', () => {
    expect(generateLexicon() === readFileSync(LEXICON_PATH, 'utf8')).toBe(true);
  }, GENERATION_TIMEOUT_MS);

  it('offers no kinds by default, and at most as many as asked otherwise', () => {
    const lines = (table: string) => (JSON.parse(table.slice(table.indexOf('= ') + 2, table.lastIndexOf(';'))) as string).split('\n');
    const withKinds = lines(generateLexicon({ maxKinds: 3, commonRelated: true }));
    const car = withKinds.find((line) => line.startsWith('car '));

    expect(lines(readFileSync(LEXICON_PATH, 'utf8')).some((line) => line.includes('|'))).toBe(false);
    expect(car?.split('|')[1]?.trim().split(' ').length).toBeLessThanOrEqual(3);
  }, GENERATION_TIMEOUT_MS);
});
