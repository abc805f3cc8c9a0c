import type { DeliveryReport } from '../domain/delivery';
import { mergeReports } from '../domain/delivery';
import { NotFoundError } from '../domain/errors';
import { assertCanActOn } from '../domain/permissions';
import type { RequestOf } from '../domain/protocol';
import type { Identity } from '../domain/types';
import { requireMembership } from './access';
import { deliverToRoom } from './delivery/deliver-to-room';
import { deliverToUser } from './delivery/deliver-to-user';
import { isoNow, type RoomDeps } from './room-deps';

/**
 * Removes a member (owners and moderators, over lower roles). The removed
 * user's connections hear the removal, then stop receiving the room, and
 * each gets `roomRemoved` (every tab, whichever room it shows).
 */
export async function removeMember(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'removeMember'>,
): Promise<{ roomId: string; userId: string; delivery: DeliveryReport }> {
  const actor = await requireMembership(deps.rooms, request.roomId, identity.userId);
  const target = await deps.rooms.getMembership(request.roomId, request.userId);
  if (!target) throw new NotFoundError(`User "${request.userId}" is not a member of this room.`);
  assertCanActOn(actor, target);
  await deps.rooms.deleteMembership(request.roomId, request.userId);
  await deps.audit.record({
    roomId: request.roomId,
    // One membership is removed once: its join time tells it from a later one.
    idempotencyKey: `member.removed:${target.userId}:${target.joinedAt}`,
    occurredAt: isoNow(deps.clock),
    actor: { type: 'user', id: identity.userId },
    action: 'member.removed',
    target: { type: 'member', id: target.userId },
    details: { role: target.role },
  });
  const toRoom = await deliverToRoom(deps, request.roomId, {
    type: 'roomEvent',
    roomId: request.roomId,
    event: { kind: 'memberRemoved', userId: request.userId, by: identity.userId },
  });
  await deps.connections.unsubscribeUser(request.roomId, request.userId);
  const toRemoved = await deliverToUser(deps, request.userId, { type: 'roomRemoved', roomId: request.roomId, reason: 'removed' });
  return { roomId: request.roomId, userId: request.userId, delivery: mergeReports([toRoom, toRemoved]) };
}
