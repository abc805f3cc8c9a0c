import type { DeliveryReport } from '../domain/delivery';
import type { RequestOf } from '../domain/protocol';
import type { Identity, Membership, Room, RoomMode } from '../domain/types';
import { announceRoomAdded } from './people/room-added';
import { isoNow, type RoomDeps } from './room-deps';

/**
 * Creates a room owned by the caller, records it in the audit trail (which
 * the `room.created` domain event is published from), subscribes the caller's
 * connections to it and tells each of them with `roomAdded` (the caller's
 * other tabs list it at once; the tab that asked also has the ack).
 */
export async function createRoom(
  deps: RoomDeps,
  identity: Identity,
  request: Omit<RequestOf<'createRoom'>, 'mode'> & { readonly mode?: RoomMode },
): Promise<{ room: Room; membership: Membership; delivery?: DeliveryReport }> {
  const now = isoNow(deps.clock);
  const mode = request.mode ?? 'chat';
  const room: Room = {
    roomId: deps.nextId(deps.clock.now()).toLowerCase(),
    name: request.name,
    visibility: request.visibility,
    ownerId: identity.userId,
    createdAt: now,
    // A chat room stores no mode, like every room made before modes.
    ...(mode === 'chat' ? {} : { mode }),
  };
  const membership: Membership = {
    roomId: room.roomId,
    userId: identity.userId,
    displayName: identity.displayName,
    role: 'owner',
    joinedAt: now,
  };
  await deps.rooms.createRoom(room, membership);
  await deps.audit.record({
    roomId: room.roomId,
    // A room is created once: its id, never reused, is the key.
    idempotencyKey: `room.created:${room.roomId}`,
    occurredAt: now,
    actor: { type: 'user', id: identity.userId },
    action: 'room.created',
    target: { type: 'room', id: room.roomId },
    // The name is free text and stays out of the trail; the event reads it from the room.
    details: { visibility: room.visibility, mode },
  });
  await deps.connections.subscribeUser(room.roomId, identity.userId);
  const delivery = await announceRoomAdded(deps, room, membership);
  return { room, membership, delivery };
}
