import { describe, expect, it } from 'vitest';
import { fitPage, fitToBudget, utf8Bytes } from '../../../lambdas/domain/frame-budget';

const item = (id: number, size: number) => ({ id: String(id), text: 'x'.repeat(size) });

describe('fitToBudget', () => {
  it('keeps every item when their JSON array fits', () => {
    const items = [item(1, 10), item(2, 10)];

    const fitted = fitToBudget(items, JSON.stringify, 1000);

    expect(fitted).toEqual({ items, cut: false, bytes: utf8Bytes(JSON.stringify(items)) });
  });

  it('stops before the item that would go over the budget, counting brackets and commas', () => {
    const items = [item(1, 100), item(2, 100), item(3, 100)];
    const twoItems = utf8Bytes(JSON.stringify(items.slice(0, 2)));

    const exact = fitToBudget(items, JSON.stringify, twoItems);
    const oneShort = fitToBudget(items, JSON.stringify, twoItems - 1);

    expect(exact.items).toEqual(items.slice(0, 2));
    expect(exact).toMatchObject({ cut: true, bytes: twoItems });
    expect(oneShort.items).toEqual(items.slice(0, 1));
  });

  it('counts UTF-8 bytes, not characters', () => {
    const items = [{ text: 'é'.repeat(40) }, { text: 'é'.repeat(40) }];
    // 40 characters but 80 bytes each: two do not fit in 150 bytes.
    expect(fitToBudget(items, JSON.stringify, 150).items).toHaveLength(1);
    expect(fitToBudget(items.map(() => ({ text: 'e'.repeat(40) })), JSON.stringify, 150).items).toHaveLength(2);
  });

  it('always keeps the first item, so paging moves on', () => {
    expect(fitToBudget([item(1, 500), item(2, 1)], JSON.stringify, 100)).toMatchObject({ items: [item(1, 500)], cut: true });
  });

  it('measures what the given serializer produces', () => {
    const fitted = fitToBudget([1, 2, 3], () => 'x'.repeat(10), 2 + 10 + 1 + 10);
    expect(fitted.items).toEqual([1, 2]);
  });
});

describe('fitPage', () => {
  it('keeps the page and its cursor when everything fits', () => {
    const page = { items: [item(1, 10)], nextCursor: 'more' };
    expect(fitPage(page, (i) => i.id, 1000)).toBe(page);
  });

  it('continues after the last item kept when it had to cut', () => {
    const page = { items: [item(1, 100), item(2, 100), item(3, 100)] };

    const fitted = fitPage(page, (i) => `after-${i.id}`, 250);

    expect(fitted).toEqual({ items: [item(1, 100), item(2, 100)], nextCursor: 'after-2' });
  });
});
