import { describe, expect, it } from 'vitest';
import { citationPlace, citationsOf, citedParts, type Citation } from '../../../web/src/citations';

const c1: Citation = { n: 1, documentId: 'd1', version: 2, chunk: 3, name: 'Handbook', section: 'Warranty' };
const c2: Citation = { n: 2, documentId: 'd2', version: 1, chunk: 0, name: 'Manual', section: 'page 4', page: 4 };
const page = (n: number) => `page ${n}`;

describe('citedParts', () => {
  it('splits a reply at the markers of its citations', () => {
    expect(citedParts('Two years [1], free returns [2].', [c1, c2])).toEqual(['Two years ', c1, ', free returns ', c2, '.']);
  });

  it('keeps a marker the reply has no citation for as the text it is', () => {
    expect(citedParts('See [7] and [1]', [c1])).toEqual(['See [7] and ', c1]);
  });

  it('leaves a text without markers whole', () => {
    expect(citedParts('Nothing cited.', [c1])).toEqual(['Nothing cited.']);
    expect(citedParts('[1][1]', [c1])).toEqual([c1, c1]);
  });
});

describe('citationPlace', () => {
  it('names the document and section, and the page alone when the section is the page', () => {
    expect(citationPlace(c1, page)).toBe('Handbook › Warranty');
    expect(citationPlace(c2, page)).toBe('Manual (page 4)');
    expect(citationPlace({ ...c1, section: '' }, page)).toBe('Handbook');
    expect(citationPlace({ ...c1, page: 9 }, page)).toBe('Handbook › Warranty (page 9)');
  });
});

describe('citationsOf', () => {
  it('reads a message’s citations, none for a message without', () => {
    expect(citationsOf({ citations: [c1] })).toEqual([c1]);
    expect(citationsOf({})).toEqual([]);
    expect(citationsOf(undefined)).toEqual([]);
  });
});
