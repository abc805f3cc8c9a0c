import { describe, expect, it } from 'vitest';
import { allPages } from '../../../web/src/pages';

describe('allPages', () => {
  it('follows nextCursor until a page has none', async () => {
    const asked: Array<string | undefined> = [];
    const pages: Record<string, { items: number[]; nextCursor?: string }> = {
      first: { items: [1, 2], nextCursor: 'a' },
      a: { items: [3], nextCursor: 'b' },
      b: { items: [4, 5] },
    };

    const items = await allPages(async (cursor) => {
      asked.push(cursor);
      return pages[cursor ?? 'first']!;
    });

    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([undefined, 'a', 'b']);
  });

  it('stops on a cursor that does not move', async () => {
    let calls = 0;
    const items = await allPages(async () => {
      calls += 1;
      return { items: [calls], nextCursor: 'same' };
    });

    expect(items).toEqual([1, 2]);
  });

  it('stops after the page limit', async () => {
    let calls = 0;
    const items = await allPages(async () => ({ items: [calls], nextCursor: String(++calls) }), 3);

    expect(items).toEqual([0, 1, 2]);
  });
});
