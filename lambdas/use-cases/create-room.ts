import type { RequestOf } from '../domain/protocol';
import type { Identity, Membership, Room } from '../domain/types';
import { isoNow, type RoomDeps } from './room-deps';

/** Creates a room owned by the caller and subscribes the caller's connections to it. */
export async function createRoom(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'createRoom'>,
): Promise<{ room: Room; membership: Membership }> {
  const now = isoNow(deps.clock);
  const room: Room = {
    roomId: deps.nextId(deps.clock.now()).toLowerCase(),
    name: request.name,
    visibility: request.visibility,
    ownerId: identity.userId,
    createdAt: now,
  };
  const membership: Membership = {
    roomId: room.roomId,
    userId: identity.userId,
    displayName: identity.displayName,
    role: 'owner',
    joinedAt: now,
  };
  await deps.rooms.createRoom(room, membership);
  await deps.connections.subscribeUser(room.roomId, identity.userId);
  return { room, membership };
}
