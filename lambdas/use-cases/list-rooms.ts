import type { RoomRepository } from '../domain/ports';
import type { RequestOf } from '../domain/protocol';
import type { Identity, Role, Room } from '../domain/types';

export interface ListedRoom extends Room {
  /** The caller's role, absent for public rooms the caller has not joined. */
  readonly role?: Role;
}

/**
 * The caller's rooms (on the first page) plus a page of public rooms. The
 * cursor pages through public rooms only.
 */
export async function listRooms(
  deps: { readonly rooms: RoomRepository },
  identity: Identity,
  request: RequestOf<'listRooms'>,
): Promise<{ rooms: ListedRoom[]; nextCursor?: string }> {
  const [mine, publicPage] = await Promise.all([
    request.cursor === undefined ? deps.rooms.listRoomsOfUser(identity.userId) : Promise.resolve([]),
    deps.rooms.listPublicRooms(50, request.cursor),
  ]);
  const byId = new Map<string, ListedRoom>();
  for (const { room, membership } of mine) byId.set(room.roomId, { ...room, role: membership.role });
  for (const room of publicPage.items) if (!byId.has(room.roomId)) byId.set(room.roomId, room);
  return {
    rooms: [...byId.values()],
    ...(publicPage.nextCursor !== undefined ? { nextCursor: publicPage.nextCursor } : {}),
  };
}
