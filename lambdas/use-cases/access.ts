import { NotFoundError, PermissionError } from '../domain/errors';
import type { RoomRepository } from '../domain/ports';
import type { Membership, Room } from '../domain/types';

/** What a deleted room answers, for good: its id is never reused. */
export const roomDeletedError = (roomId: string): NotFoundError =>
  new NotFoundError(`Room "${roomId}" has been deleted.`);

const roomNotFoundError = (roomId: string): NotFoundError => new NotFoundError(`Room "${roomId}" not found.`);

/**
 * The caller's membership of a room. A private room the caller does not
 * belong to is reported as not found, so its existence does not leak; a
 * deleted room as deleted (its memberships go with it).
 */
export async function requireMembership(
  rooms: RoomRepository,
  roomId: string,
  userId: string,
): Promise<Membership> {
  const membership = await rooms.getMembership(roomId, userId);
  return membership ?? refuseNonMember(rooms, roomId);
}

/**
 * Refuses a caller who has no membership of the room, saying why as
 * requireMembership does (it reads the room to tell which): for a use case
 * that read the membership along with other items.
 */
export async function refuseNonMember(rooms: RoomRepository, roomId: string): Promise<never> {
  const room = await rooms.getRoom(roomId);
  if (room?.deletedAt !== undefined) throw roomDeletedError(roomId);
  if (!room || room.visibility === 'private') throw roomNotFoundError(roomId);
  throw new PermissionError('You are not a member of this room; join it first.');
}

/** The room, unless it is unknown (NOT_FOUND) or deleted (NOT_FOUND, saying so). */
export async function requireLiveRoom(rooms: RoomRepository, roomId: string): Promise<Room> {
  const room = await rooms.getRoom(roomId);
  if (!room) throw roomNotFoundError(roomId);
  if (room.deletedAt !== undefined) throw roomDeletedError(roomId);
  return room;
}
