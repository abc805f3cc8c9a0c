import type { DeliveryReport } from '../domain/delivery';
import { mergeReports } from '../domain/delivery';
import { NotFoundError, ValidationError } from '../domain/errors';
import { assertOwner } from '../domain/permissions';
import type { RequestOf } from '../domain/protocol';
import type { Identity, Membership, Room } from '../domain/types';
import { requireLiveRoom, requireMembership } from './access';
import { deliverToRoom } from './delivery/deliver-to-room';
import { isoNow, type RoomDeps } from './room-deps';

/**
 * Hands the room to another member. In one transaction the member becomes
 * owner, the former owner a moderator (who may then leave), and the room
 * names its new owner. The room hears both role changes and `roomUpdated`.
 */
export async function transferOwnership(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'transferOwnership'>,
): Promise<{ room: Room; owner: Membership; former: Membership; delivery: DeliveryReport }> {
  const actor = await requireMembership(deps.rooms, request.roomId, identity.userId);
  assertOwner(actor, 'hand the room over');
  if (request.userId === identity.userId) throw new ValidationError('You already own this room.');
  await requireLiveRoom(deps.rooms, request.roomId);
  const target = await deps.rooms.getMembership(request.roomId, request.userId);
  if (!target) {
    throw new NotFoundError(`User "${request.userId}" is not a member of this room; only a member can take it over.`);
  }

  const room = await deps.rooms.transferOwnership(request.roomId, actor, target);
  const owner: Membership = { ...target, role: 'owner' };
  const former: Membership = { ...actor, role: 'moderator' };
  const at = isoNow(deps.clock);
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `room.ownershipTransferred:${actor.userId}:${target.userId}:${request.requestId ?? at}`,
    occurredAt: at,
    actor: { type: 'user', id: identity.userId },
    action: 'room.ownershipTransferred',
    target: { type: 'member', id: target.userId },
    details: { from: actor.userId, to: target.userId, previousRole: target.role },
  });
  const reports: DeliveryReport[] = [];
  for (const member of [owner, former]) {
    reports.push(
      await deliverToRoom(deps, request.roomId, {
        type: 'roomEvent',
        roomId: request.roomId,
        event: { kind: 'roleChanged', member, by: identity.userId },
      }),
    );
  }
  reports.push(await deliverToRoom(deps, request.roomId, { type: 'roomUpdated', room }));
  return { room, owner, former, delivery: mergeReports(reports) };
}
