import type { DeliveryReport } from '../domain/delivery';
import { ParleyError, ValidationError } from '../domain/errors';
import { assertOwner } from '../domain/permissions';
import type { RequestOf } from '../domain/protocol';
import { firstPurgeJob, type RoomPurgeQueue } from '../domain/room-purge';
import type { Identity } from '../domain/types';
import { requireMembership } from './access';
import { deliverToRoom } from './delivery/deliver-to-room';
import { isoNow, type RoomDeps } from './room-deps';

/** deleteRoom's ports: the membership ones, and the queue of the purge that archives and removes the messages. */
export interface DeleteRoomDeps extends RoomDeps {
  readonly purges: RoomPurgeQueue;
}

/**
 * Deletes a room for good. The owner confirms by repeating the room's name.
 *
 * First the room becomes a tombstone, so from that moment every join and
 * getRoom answers "deleted" and the directory no longer lists it; the id is
 * never reused. Then every connection of every member hears `roomRemoved`
 * (reason `deleted`), the connections stop receiving the room, and the
 * memberships, invitations, bans and agents are removed: before this
 * answers, every member action (posts, history) answers "deleted" too.
 * Messages are unreachable from the tombstone on; a purge job, enqueued
 * before anything is removed, then gives each of them the deletion time as
 * its expiry (so TTL removes it and the archive keeps it) and deletes the
 * room's memory, out of the request (purgeDeletedRoom; docs/architecture.md,
 * "Deleting a room").
 *
 * A retry after a failure part-way (the owner's membership still there)
 * finishes the cleanup instead of failing on the tombstone.
 */
export async function deleteRoom(
  deps: DeleteRoomDeps,
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
  // Enqueued before the memberships go, so a failed enqueue leaves the
  // owner able to retry, and the retry enqueues again (a purge run twice is harmless).
  try {
    await deps.purges.enqueue(firstPurgeJob(request.roomId, deletedAt));
  } catch (cause) {
    throw new ParleyError('The deleted room’s purge could not be queued.', { cause });
  }
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
