import { roomNameCursor } from '../domain/cursors';
import { fitPage } from '../domain/frame-budget';
import { modeNoticesOf } from '../domain/games/modes';
import type { RoomRepository } from '../domain/ports';
import type { RequestOf } from '../domain/protocol';
import type { Page, Room, RoomMode } from '../domain/types';

/**
 * The public directory, searched by name: public rooms whose name starts
 * with `query`, ignoring case, width and repeated spaces
 * (room-settings.ts: foldName), in name order, at most `limit` and no
 * more than fit in one WebSocket message. `nextCursor` continues after the
 * last room of the page. Private and deleted rooms are never found. Each
 * game room carries its `mode`, and `modeNotices` holds the notice of every
 * game mode on the page, once (absent when the page has only chat rooms), so
 * the notice shows before anyone joins.
 */
export async function searchRooms(
  deps: { readonly rooms: RoomRepository },
  request: RequestOf<'searchRooms'>,
): Promise<{ rooms: Room[]; nextCursor?: string; modeNotices?: Partial<Record<RoomMode, string>> }> {
  const page = await deps.rooms.searchPublicRooms(request.query, {
    limit: request.limit,
    ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
  });
  const fitted: Page<Room> = fitPage(page, roomNameCursor);
  const modeNotices = modeNoticesOf(fitted.items);
  return {
    rooms: fitted.items,
    ...(fitted.nextCursor !== undefined ? { nextCursor: fitted.nextCursor } : {}),
    ...(Object.keys(modeNotices).length > 0 ? { modeNotices } : {}),
  };
}
