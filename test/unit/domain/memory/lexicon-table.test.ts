import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LEXICON_PATH, generateLexicon } from '../../../../scripts/generate-lexicon';

describe('generateLexicon', () => {
  it('produces exactly the committed table from WordNet', () => {
    expect(generateLexicon() === readFileSync(LEXICON_PATH, 'utf8')).toBe(true);
  });

  it('offers kinds only when asked, the most frequent first and at most as many as asked', () => {
    const lines = (table: string) => (JSON.parse(table.slice(table.indexOf('= ') + 2, table.lastIndexOf(';'))) as string).split('\n');
    const withKinds = lines(generateLexicon({ maxKinds: 3, commonRelated: true }));
    const car = withKinds.find((line) => line.startsWith('car '));

    expect(lines(generateLexicon()).some((line) => line.includes('|'))).toBe(false);
    expect(car?.split('|')[1]?.trim().split(' ').length).toBeLessThanOrEqual(3);
  });
});
