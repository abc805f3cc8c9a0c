import type { DeliveryReport } from '../domain/delivery';
import { mergeReports } from '../domain/delivery';
import { PermissionError } from '../domain/errors';
import type { RequestOf } from '../domain/protocol';
import type { Identity } from '../domain/types';
import { requireMembership } from './access';
import { deliverToRoom } from './delivery/deliver-to-room';
import { deliverToUser } from './delivery/deliver-to-user';
import { isoNow, type RoomDeps } from './room-deps';

/**
 * Leaves a room. The owner cannot leave: a room always has its owner, who
 * hands it over first (transferOwnership) or deletes it. Every connection of
 * the leaver hears `roomRemoved`, so their other tabs drop the room too.
 */
export async function leaveRoom(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'leaveRoom'>,
): Promise<{ roomId: string; delivery: DeliveryReport }> {
  const membership = await requireMembership(deps.rooms, request.roomId, identity.userId);
  if (membership.role === 'owner') {
    throw new PermissionError('The owner cannot leave the room: hand it over with transferOwnership first, or delete it.');
  }
  await deps.rooms.deleteMembership(request.roomId, identity.userId);
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `member.left:${identity.userId}:${membership.joinedAt}`,
    occurredAt: isoNow(deps.clock),
    actor: { type: 'user', id: identity.userId },
    action: 'member.left',
    target: { type: 'member', id: identity.userId },
    details: { role: membership.role },
  });
  await deps.connections.unsubscribeUser(request.roomId, identity.userId);
  const toRoom = await deliverToRoom(deps, request.roomId, {
    type: 'roomEvent',
    roomId: request.roomId,
    event: { kind: 'memberLeft', userId: identity.userId },
  });
  const toLeaver = await deliverToUser(deps, identity.userId, { type: 'roomRemoved', roomId: request.roomId, reason: 'left' });
  return { roomId: request.roomId, delivery: mergeReports([toRoom, toLeaver]) };
}
