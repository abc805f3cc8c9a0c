import type { HttpCaller } from '../../domain/integrations/api-keys';
import type { RoomRepository } from '../../domain/ports';
import type { Role, Room } from '../../domain/types';

export interface CallerRoom extends Room {
  /** The user's role in it; absent for an API key's room. */
  readonly role?: Role;
}

/**
 * The rooms an HTTP API caller reaches: a user's own rooms (with their
 * role), newest first, by page (`cursor` continues after the last);
 * an API key's one room (none once the room is deleted).
 */
export async function listCallerRooms(
  deps: { readonly rooms: RoomRepository },
  caller: HttpCaller,
  request: { readonly limit: number; readonly cursor?: string | undefined },
): Promise<{ rooms: CallerRoom[]; nextCursor?: string }> {
  if (caller.kind === 'key') {
    const room = await deps.rooms.getRoom(caller.key.roomId);
    return { rooms: room === undefined ? [] : [room] };
  }
  const page = await deps.rooms.pageRoomsOfUser(caller.identity.userId, {
    limit: request.limit,
    ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
  });
  return {
    rooms: page.items.map(({ room, membership }) => ({ ...room, role: membership.role })),
    ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
  };
}
