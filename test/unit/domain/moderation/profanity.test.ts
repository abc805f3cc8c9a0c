import { describe, expect, it } from 'vitest';
import { findProfanity } from '../../../../lambdas/domain/moderation/profanity';

const matched = (text: string) => findProfanity(text).map((f) => text.slice(f.span!.start, f.span!.end));

describe('findProfanity', () => {
  it('finds profanity and its disguised spellings with their spans', () => {
    expect(matched('well shit')).toEqual(['shit']);
    expect(matched('fuuuuck off')).toEqual(['fuuuuck']);
    expect(matched('sh1t happens')).toEqual(['sh1t']);
  });

  it('reports spans in UTF-16 offsets of the original text', () => {
    const text = '😀 what the fuck';

    expect(matched(text)).toEqual(['fuck']);
  });

  it('does not read an @handle as speech', () => {
    expect(findProfanity('@assistant please help')).toEqual([]);
    expect(matched('@bot you are shit')).toEqual(['shit']);
  });

  it('leaves words that merely contain a listed word alone', () => {
    expect(findProfanity('Scunthorpe has a cocktail bar; the assassin read an analysis')).toEqual([]);
  });
});
