import { describe, expect, it } from 'vitest';
import { citationLabel, citedIn, citePassages, MAX_CITATIONS, type Citation } from '../../../../lambdas/domain/knowledge/citations';
import { utf8Bytes } from '../../../../lambdas/domain/frame-budget';
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

describe('citePassages numbering', () => {
  it('goes on from a reply’s earlier passages, and gives a passage found again its number', () => {
    const first = citePassages([hit(), hit({ chunk: 4 })]);

    const second = citePassages([hit({ chunk: 9 }), hit()], { earlier: first.citations });

    expect(second.prompt).toMatch(/^\[3\] Handbook › Warranty: .*\n\n\[1\] Handbook › Warranty: /su);
    expect(second.citations.map((c) => [c.n, c.chunk])).toEqual([[3, 9]]);
  });
});

describe('citedIn', () => {
  const offered: Citation[] = [1, 2, 3].map((n) => ({ n, documentId: `d${n}`, version: 1, chunk: n, name: `Doc ${n}`, section: 'S' }));

  it('keeps the citations whose number the text uses, in number order', () => {
    expect(citedIn('Free returns [3], for two years [1][3].', offered).map((c) => c.n)).toEqual([1, 3]);
  });

  it('keeps none when the text cites nothing, or only numbers never offered', () => {
    expect(citedIn('No sources here.', offered)).toEqual([]);
    expect(citedIn('See [7].', offered)).toEqual([]);
  });

  it('bounds the citations a reply carries in count and field length, so they fit a frame', () => {
    const huge = '😀'.repeat(1_000);
    const many: Citation[] = Array.from({ length: 40 }, (_, i) => ({ n: i + 1, documentId: '01JABCDEFGHJKMNPQRSTVWXYZ0', version: 999_999, chunk: 999_999, name: huge, section: huge, page: 99_999 }));
    const text = many.map((c) => `[${c.n}]`).join(' ');

    const kept = citedIn(text, many);

    expect(kept).toHaveLength(MAX_CITATIONS);
    expect(Array.from(kept[0]!.name).length).toBeLessThanOrEqual(120);
    expect(utf8Bytes(JSON.stringify(kept))).toBeLessThan(16 * 1024);
  });
});
