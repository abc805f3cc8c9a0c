import type { DeliveryReport } from '../domain/delivery';
import { ParleyError, ValidationError } from '../domain/errors';
import { assertOwner } from '../domain/permissions';
import type { RequestOf } from '../domain/protocol';
import type { Identity } from '../domain/types';
import { requireMembership } from './access';
import { deliverToRoom } from './delivery/deliver-to-room';
import { isoNow, type RoomDeps } from './room-deps';

/**
 * Deletes a room for good. The owner confirms by repeating the room's name.
 *
 * First the room becomes a tombstone, so from that moment every join and
 * getRoom answers "deleted" and the directory no longer lists it; the id is
 * never reused. Then every connection of every member hears `roomRemoved`
 * (reason `deleted`), the connections stop receiving the room, and the
 * memberships, invitations, bans and agents are removed: before this
 * answers, every member action (posts, history) answers "deleted" too.
 * Messages are then unreachable and leave the table by the room's retention
 * (docs/architecture.md, "Deleting a room").
 *
 * A retry after a failure part-way (the owner's membership still there)
 * finishes the cleanup instead of failing on the tombstone.
 */
export async function deleteRoom(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'deleteRoom'>,
): Promise<{ roomId: string; deletedAt: string; removedItems: number; delivery: DeliveryReport }> {
  const actor = await requireMembership(deps.rooms, request.roomId, identity.userId);
  assertOwner(actor, 'delete the room');
  const room = await deps.rooms.getRoom(request.roomId);
  if (!room) throw new ParleyError(`Room "${request.roomId}" has a member but no room item.`);
  if (request.confirm !== room.name) {
    throw new ValidationError('To delete the room, repeat its name exactly in "confirm".');
  }

  const deletedAt = room.deletedAt ?? isoNow(deps.clock);
  if (room.deletedAt === undefined) await deps.rooms.markDeleted(request.roomId, deletedAt);
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `room.deleted:${request.roomId}`,
    occurredAt: deletedAt,
    actor: { type: 'user', id: identity.userId },
    action: 'room.deleted',
    target: { type: 'room', id: request.roomId },
  });
  // Every member's every connection receives the room, so the room's
  // connections are exactly the people to tell: one Query, not one per member.
  const delivery = await deliverToRoom(deps, request.roomId, {
    type: 'roomRemoved',
    roomId: request.roomId,
    reason: 'deleted',
  });
  try {
    await deps.connections.unsubscribeRoom(request.roomId);
  } catch (cause) {
    // Memberships stay until every connection is unsubscribed, so a retry finds the room to finish.
    throw new ParleyError('Some connections still receive the deleted room.', { cause });
  }
  const removedItems = await deps.rooms.purgeRoom(request.roomId);
  return { roomId: request.roomId, deletedAt, removedItems, delivery };
}
