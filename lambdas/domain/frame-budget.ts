import type { Page } from './types';

/**
 * API Gateway's limit on one WebSocket message: a route response and a
 * PostToConnection alike (128 KB; the 32 KB frames a message is split into
 * are the client library's business).
 */
export const MAX_FRAME_BYTES = 128 * 1024;

/**
 * What the items of one page may take once serialized. The rest of the
 * 128 KB is headroom for the envelope around them (`type`, `action`,
 * `requestId`, `roomId`, `nextCursor`…), which is small and bounded.
 */
export const PAGE_BUDGET_BYTES = 96 * 1024;

const encoder = new TextEncoder();

/** The UTF-8 size of a string: what it weighs on the wire. */
export const utf8Bytes = (text: string): number => encoder.encode(text).byteLength;

export interface Fitted<T> {
  readonly items: T[];
  /** True when items were left out to stay within the budget. */
  readonly cut: boolean;
  /** The bytes the kept items take inside a JSON array, brackets and commas included. */
  readonly bytes: number;
}

/**
 * The longest prefix of `items` whose JSON array stays within
 * `budgetBytes` of UTF-8. The first item is always kept, so paging always
 * moves on; an item too large for any frame is then refused at the edge.
 *
 * @example
 * const { items, cut } = fitToBudget(messages, JSON.stringify, PAGE_BUDGET_BYTES);
 */
export function fitToBudget<T>(
  items: readonly T[],
  serialize: (item: T) => string = JSON.stringify,
  budgetBytes: number = PAGE_BUDGET_BYTES,
): Fitted<T> {
  let bytes = 2; // [ and ]
  let kept = 0;
  for (const item of items) {
    const size = utf8Bytes(serialize(item)) + (kept > 0 ? 1 : 0); // the comma before it
    if (kept > 0 && bytes + size > budgetBytes) return { items: items.slice(0, kept), cut: true, bytes };
    bytes += size;
    kept += 1;
  }
  return { items: [...items], cut: false, bytes };
}

/**
 * A page cut to the budget. When items had to be left out, the next cursor
 * is the cursor of the last item kept (`cursorOf`), so the next page starts
 * exactly after it; otherwise the page keeps its own cursor. Items are in
 * reading order: the last one is where the next page continues.
 */
export function fitPage<T>(
  page: Page<T>,
  cursorOf: (item: T) => string,
  budgetBytes: number = PAGE_BUDGET_BYTES,
  serialize: (item: T) => string = JSON.stringify,
): Page<T> {
  const fitted = fitToBudget(page.items, serialize, budgetBytes);
  if (!fitted.cut) return page;
  return { items: fitted.items, nextCursor: cursorOf(fitted.items.at(-1)!) };
}
