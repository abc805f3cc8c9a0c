import type { ChatMessage, HistoryPage, HistoryRequest } from './protocol';

/** Messages per page when opening a room or scrolling up. */
export const HISTORY_PAGE_SIZE = 50;
/** Messages per page when catching up (the protocol's maximum). */
export const CATCH_UP_PAGE_SIZE = 100;
/** Beyond this many pages missed, the client reloads the latest page instead. */
export const MAX_CATCH_UP_PAGES = 10;

export type FetchHistory = (request: HistoryRequest) => Promise<HistoryPage>;

export type CatchUpResult =
  /** Everything after the last seen message, oldest first. */
  | { readonly kind: 'caught-up'; readonly items: ChatMessage[] }
  /**
   * Too much was missed (or nothing was ever loaded): the latest page, to
   * replace what the timeline holds; older pages load as the user scrolls up.
   */
  | { readonly kind: 'latest'; readonly page: HistoryPage };

/**
 * What a client missed while it was disconnected: `getHistory` forward from
 * the id of the last message it has, page after page, until no cursor is
 * left. Catching up is idempotent: merging by messageId drops anything that
 * also arrived live, so nothing shows twice.
 *
 * @example
 * const result = await catchUp(roomId, lastSeenId(timeline), (r) => client.request('getHistory', r));
 */
export async function catchUp(
  roomId: string,
  lastSeen: string | undefined,
  fetchHistory: FetchHistory,
  maxPages = MAX_CATCH_UP_PAGES,
): Promise<CatchUpResult> {
  const latest = async (): Promise<CatchUpResult> => ({
    kind: 'latest',
    page: await fetchHistory({ roomId, limit: HISTORY_PAGE_SIZE, direction: 'backward' }),
  });
  if (lastSeen === undefined) return latest();

  const items: ChatMessage[] = [];
  let cursor: string | undefined = lastSeen;
  for (let pages = 0; cursor !== undefined; pages += 1) {
    if (pages === maxPages) return latest();
    const page: HistoryPage = await fetchHistory({ roomId, limit: CATCH_UP_PAGE_SIZE, direction: 'forward', cursor });
    items.push(...page.items);
    // A cursor that does not move would loop forever; treat it as the end.
    cursor = page.nextCursor === cursor ? undefined : page.nextCursor;
  }
  return { kind: 'caught-up', items };
}
