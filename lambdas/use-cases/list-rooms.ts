import { publicRoomCursor, roomOfUserCursor } from '../domain/cursors';
import { ValidationError } from '../domain/errors';
import { fitPage } from '../domain/frame-budget';
import type { RoomRepository } from '../domain/ports';
import type { RequestOf } from '../domain/protocol';
import type { Identity, Role, Room } from '../domain/types';

export interface ListedRoom extends Room {
  /** The caller's role, absent for public rooms the caller has not joined. */
  readonly role?: Role;
}

/** The caller's rooms come first (`mine:`), then the public rooms (`public:`). */
const MINE = 'mine:';
const PUBLIC = 'public:';

type Position = { readonly part: 'mine' | 'public'; readonly after?: string };

function positionOf(cursor: string | undefined): Position {
  if (cursor === undefined) return { part: 'mine' };
  const part = cursor.startsWith(MINE) ? 'mine' : cursor.startsWith(PUBLIC) ? 'public' : undefined;
  if (part === undefined) throw new ValidationError('The cursor is not one Parley issued.');
  const after = cursor.slice(part === 'mine' ? MINE.length : PUBLIC.length);
  return after.length > 0 ? { part, after } : { part };
}

/**
 * A page of rooms: first the caller's own (with their `role`), then the
 * public rooms, newest first, at most `limit` in all and no more than fit
 * in one WebSocket message. `nextCursor` continues after the last room of
 * the page. A public room the caller belongs to is listed once with its role
 * on the page that lists both; on a later page it may appear again without.
 */
export async function listRooms(
  deps: { readonly rooms: RoomRepository },
  identity: Identity,
  request: RequestOf<'listRooms'>,
): Promise<{ rooms: ListedRoom[]; nextCursor?: string }> {
  const position = positionOf(request.cursor);
  const listed: Array<{ room: ListedRoom; cursor: string }> = [];
  let nextCursor: string | undefined;

  if (position.part === 'mine') {
    const mine = await deps.rooms.pageRoomsOfUser(identity.userId, {
      limit: request.limit,
      ...(position.after !== undefined ? { cursor: position.after } : {}),
    });
    for (const { room, membership } of mine.items) {
      listed.push({ room: { ...room, role: membership.role }, cursor: MINE + roomOfUserCursor(room) });
    }
    if (mine.nextCursor !== undefined) nextCursor = MINE + mine.nextCursor;
  }
  if (nextCursor === undefined) {
    const left = request.limit - listed.length;
    if (left === 0) {
      nextCursor = PUBLIC;
    } else {
      const publicPage = await deps.rooms.listPublicRooms(left, position.part === 'public' ? position.after : undefined);
      const listedIds = new Set(listed.map((l) => l.room.roomId));
      for (const publicRoom of publicPage.items) {
        if (!listedIds.has(publicRoom.roomId)) listed.push({ room: publicRoom, cursor: PUBLIC + publicRoomCursor(publicRoom) });
      }
      if (publicPage.nextCursor !== undefined) nextCursor = PUBLIC + publicPage.nextCursor;
    }
  }

  const page = fitPage(
    { items: listed, ...(nextCursor !== undefined ? { nextCursor } : {}) },
    (l) => l.cursor,
    undefined,
    (l) => JSON.stringify(l.room),
  );
  return {
    rooms: page.items.map((l) => l.room),
    ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
  };
}
