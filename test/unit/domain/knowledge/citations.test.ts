import { describe, expect, it } from 'vitest';
import { citationLabel, citePassages } from '../../../../lambdas/domain/knowledge/citations';
import type { DocumentHit } from '../../../../lambdas/domain/knowledge/indexing';

const hit = (overrides: Partial<DocumentHit> = {}): DocumentHit => ({
  documentId: 'd1',
  version: 2,
  name: 'Handbook',
  section: 'Warranty',
  chunk: 3,
  text: 'Returns are free\nwithin 30 days.',
  score: 0.5,
  ...overrides,
});

describe('citePassages', () => {
  it('numbers hits in order, one prompt block each, and lists the matching citations', () => {
    const cited = citePassages([hit(), hit({ documentId: 'd2', name: 'Manual', section: 'page 4', page: 4, chunk: 0, text: 'Press the red button.' })]);

    expect(cited.prompt).toBe('[1] Handbook › Warranty: Returns are free within 30 days.\n\n[2] Manual, page 4: Press the red button.');
    expect(cited.citations).toEqual([
      { n: 1, documentId: 'd1', version: 2, chunk: 3, name: 'Handbook', section: 'Warranty' },
      { n: 2, documentId: 'd2', version: 2, chunk: 0, name: 'Manual', section: 'page 4', page: 4 },
    ]);
  });

  it('cuts a passage to the given length', () => {
    const cited = citePassages([hit({ text: 'x'.repeat(100) })], { maxPassageChars: 10 });

    expect(cited.prompt).toBe(`[1] Handbook › Warranty: ${'x'.repeat(9)}…`);
  });

  it('gives an empty block and no citation for no hits', () => {
    expect(citePassages([])).toEqual({ prompt: '', citations: [] });
  });
});

describe('citationLabel', () => {
  it('names the document alone when the passage precedes every heading', () => {
    expect(citationLabel({ name: 'Notes', section: '' })).toBe('Notes');
  });

  it('adds the page to a heading path when both are known', () => {
    expect(citationLabel({ name: 'Guide', section: 'Setup', page: 2 })).toBe('Guide › Setup (page 2)');
  });
});
