import { describe, expect, it } from 'vitest';
import { KIND_WEIGHT, SYNONYM_WEIGHT, expandTerms, relatedTerms } from '../../../../lambdas/domain/memory/lexicon';
import { termsOf } from '../../../../lambdas/domain/memory/terms';

const term = (word: string) => termsOf(word)[0] as string;

describe('relatedTerms', () => {
  it('meets kids and children, a sofa and a couch, a film and a movie, through WordNet synonyms', () => {
    expect(relatedTerms(term('children')).synonyms).toContain(term('kids'));
    expect(relatedTerms(term('couch')).synonyms).toContain(term('sofa'));
    expect(relatedTerms(term('movie')).synonyms).toContain(term('film'));
    expect(relatedTerms(term('doctor')).synonyms).toContain(term('physician'));
    expect(relatedTerms(term('grandma')).synonyms).toContain(term('grandmother'));
  });

  it('reads a word in its most frequent part of speech only: give as a verb, not the noun for elasticity', () => {
    expect(relatedTerms(term('give')).synonyms).not.toContain(term('elasticity'));
  });

  it('knows nothing of an unknown word', () => {
    expect(relatedTerms('kestrelcluster')).toEqual({ synonyms: [], kinds: [] });
  });
});

describe('expandTerms', () => {
  it('weighs the question\'s own terms at 1 and their synonyms below', () => {
    const weights = expandTerms(termsOf("What are Chen's children into these days?"));

    expect(weights.get(term('children'))).toBe(1);
    expect(weights.get(term('chen'))).toBe(1);
    expect(weights.get(term('kids'))).toBe(SYNONYM_WEIGHT);
    expect(SYNONYM_WEIGHT).toBeLessThan(1);
    expect(KIND_WEIGHT).toBeLessThan(SYNONYM_WEIGHT);
  });

  it('never lowers a term the question used when it is also another term\'s synonym', () => {
    const weights = expandTerms(termsOf('the kids and the children'));

    expect(weights.get(term('kids'))).toBe(1);
    expect(weights.get(term('children'))).toBe(1);
  });
});
