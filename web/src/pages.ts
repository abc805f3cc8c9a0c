/** One page of a listing as Parley answers it: `nextCursor` is absent on the last page. */
export interface ListingPage<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

/**
 * Beyond this many pages the listing stops: a guard against a server that
 * keeps issuing cursors, far above any real room (100 items a page).
 */
export const MAX_LISTING_PAGES = 200;

/**
 * Every item of a listing: asks page after page, each from the previous
 * page's `nextCursor`, until a page has none. Parley cuts pages by count and
 * by bytes (each answer fits in one WebSocket message), so a list is only
 * whole once its cursors run out.
 *
 * @example
 * const members = await allPages(async (cursor) => {
 *   const { members, nextCursor } = await transport.request('listMembers', { roomId, ...(cursor ? { cursor } : {}) });
 *   return { items: members, nextCursor };
 * });
 */
export async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<ListingPage<T>>,
  maxPages = MAX_LISTING_PAGES,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < maxPages; pages += 1) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    // A cursor that does not move would loop forever; treat it as the end.
    if (page.nextCursor === undefined || page.nextCursor === cursor) break;
    cursor = page.nextCursor;
  }
  return items;
}
