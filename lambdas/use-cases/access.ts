import { NotFoundError, PermissionError } from '../domain/errors';
import type { RoomRepository } from '../domain/ports';
import type { Membership } from '../domain/types';

/**
 * The caller's membership of a room. A private room the caller does not
 * belong to is reported as not found, so its existence does not leak.
 */
export async function requireMembership(
  rooms: RoomRepository,
  roomId: string,
  userId: string,
): Promise<Membership> {
  const membership = await rooms.getMembership(roomId, userId);
  if (membership) return membership;
  const room = await rooms.getRoom(roomId);
  if (!room || room.visibility === 'private') throw new NotFoundError(`Room "${roomId}" not found.`);
  throw new PermissionError('You are not a member of this room; join it first.');
}
