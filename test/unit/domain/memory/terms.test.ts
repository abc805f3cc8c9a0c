import { describe, expect, it } from 'vitest';
import { baseForm, normalizeTerm, termsOf, tokenize } from '../../../../lambdas/domain/memory/terms';

describe('tokenize', () => {
  it('splits on anything but letters and digits and lower-cases', () => {
    expect(tokenize('The Staging-DB moved to port 6543!')).toEqual(['the', 'staging', 'db', 'moved', 'to', 'port', '6543']);
  });

  it('keeps words with accents and inner apostrophes, dropping a possessive', () => {
    expect(tokenize("Zoë's café isn't open")).toEqual(['zoë', 'café', "isn't", 'open']);
  });
});

describe('normalizeTerm', () => {
  it('drops stopwords and single letters', () => {
    expect([normalizeTerm('the'), normalizeTerm('what'), normalizeTerm('x')]).toEqual([null, null, null]);
  });

  it('stems words so inflections match', () => {
    expect(normalizeTerm('deployments')).toBe(normalizeTerm('deployment'));
    expect(normalizeTerm('moved')).toBe(normalizeTerm('moving'));
  });

  it('meets irregular forms with their base form, through WordNet’s exception lists', () => {
    for (const [form, base] of [
      ['made', 'make'],
      ['bought', 'buy'],
      ['went', 'go'],
      ['children', 'child'],
      ['mice', 'mouse'],
      ['better', 'good'],
      ['taught', 'teaching'],
    ]) {
      expect(normalizeTerm(form as string), form).toBe(normalizeTerm(base as string));
    }
  });

  it('leaves regular forms to the stemmer and unknown words as they are', () => {
    expect(baseForm('attended')).toBe('attended');
    expect(normalizeTerm('attended')).toBe(normalizeTerm('attend'));
    expect(baseForm('parley')).toBe('parley');
    expect(baseForm('constructor')).toBe('constructor');
    expect(baseForm('__proto__')).toBe('__proto__');
  });

  it('keeps numbers whole', () => {
    expect(normalizeTerm('6543')).toBe('6543');
    expect(normalizeTerm('7')).toBe('7');
  });
});

describe('termsOf', () => {
  it('returns the index terms of a text in order', () => {
    expect(termsOf('Where is the staging database now?')).toEqual(['stage', 'databas', 'now']);
  });
});
