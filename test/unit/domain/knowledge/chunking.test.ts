import { describe, expect, it } from 'vitest';
import { chunkDocument, charactersOf, type ParsedDocument } from '../../../../lambdas/domain/knowledge/chunking';

const words = (n: number, prefix = 'word') => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');

describe('chunkDocument', () => {
  it('keeps a short section whole, with its heading path', () => {
    const chunks = chunkDocument({ sections: [{ path: ['Warranty', 'Returns'], paragraphs: ['Returns are free within 30 days.'] }] });

    expect(chunks).toEqual([{ chunk: 0, section: 'Warranty › Returns', text: 'Returns are free within 30 days.' }]);
  });

  it('names a page section by its page and keeps the page', () => {
    const chunks = chunkDocument({ sections: [{ path: [], page: 12, paragraphs: ['Text of page twelve.'] }] });

    expect(chunks).toEqual([{ chunk: 0, section: 'page 12', page: 12, text: 'Text of page twelve.' }]);
  });

  it('never lets a chunk span two sections', () => {
    const chunks = chunkDocument({
      sections: [
        { path: ['A'], paragraphs: ['alpha one.'] },
        { path: ['B'], paragraphs: ['beta two.'] },
      ],
    });

    expect(chunks.map((c) => [c.section, c.text])).toEqual([
      ['A', 'alpha one.'],
      ['B', 'beta two.'],
    ]);
  });

  it('gathers paragraphs up to the target size and cuts between them', () => {
    const paragraph = words(20); // about 150 characters
    const chunks = chunkDocument(
      { sections: [{ path: [], paragraphs: Array.from({ length: 10 }, () => paragraph) }] },
      { targetChars: 400, overlapChars: 0 },
    );

    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(400);
    expect(chunks.map((c) => c.chunk)).toEqual(chunks.map((_, i) => i));
  });

  it('cuts a long paragraph between words, never inside one, and overlaps the next chunk', () => {
    const text = words(600);
    const vocabulary = new Set(text.split(' '));
    const chunks = chunkDocument({ sections: [{ path: [], paragraphs: [text] }] }, { targetChars: 1_000, overlapChars: 150 });

    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(1_000);
      for (const w of c.text.split(/\s+/)) expect(vocabulary.has(w)).toBe(true);
    }
    for (let i = 1; i < chunks.length; i += 1) {
      const previous = (chunks[i - 1]?.text ?? '').split(/\s+/);
      const first = (chunks[i]?.text ?? '').split(/\s+/)[0] ?? '';
      // The chunk starts with a word of the previous chunk's last 150 characters.
      expect(previous.slice(-25)).toContain(first);
    }
    // Every word of the text is in some chunk.
    const covered = new Set(chunks.flatMap((c) => c.text.split(/\s+/)));
    expect(covered.size).toBe(vocabulary.size);
  });

  it('prefers to cut at a sentence end', () => {
    const sentence = `${words(10)}.`;
    const text = Array.from({ length: 12 }, () => sentence).join(' ');
    const chunks = chunkDocument({ sections: [{ path: [], paragraphs: [text] }] }, { targetChars: 300, overlapChars: 0 });

    for (const c of chunks) expect(c.text.endsWith('.')).toBe(true);
  });

  it('keeps a word longer than a chunk whole', () => {
    const url = `https://example.com/${'x'.repeat(1_500)}`;
    const chunks = chunkDocument({ sections: [{ path: [], paragraphs: [`see ${url} now`] }] });

    expect(chunks.some((c) => c.text.includes(url))).toBe(true);
  });

  it('is deterministic and gives no chunk for empty sections', () => {
    const document: ParsedDocument = {
      sections: [
        { path: ['Empty'], paragraphs: ['   ', ''] },
        { path: ['Full'], paragraphs: [words(300)] },
      ],
    };

    const first = chunkDocument(document);
    expect(chunkDocument(document)).toEqual(first);
    expect(first.every((c) => c.section === 'Full')).toBe(true);
  });

  it('cuts an overlong heading path', () => {
    const chunks = chunkDocument({ sections: [{ path: ['h'.repeat(500)], paragraphs: ['text'] }] });

    expect(chunks[0]?.section.length).toBe(200);
    expect(chunks[0]?.section.endsWith('…')).toBe(true);
  });
});

describe('charactersOf', () => {
  it('counts the characters of every paragraph', () => {
    expect(charactersOf({ sections: [{ path: [], paragraphs: ['abc', 'de'] }, { path: [], paragraphs: ['f'] }] })).toBe(6);
  });
});
