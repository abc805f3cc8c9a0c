import type { DeliveryReport } from '../domain/delivery';
import { NotFoundError } from '../domain/errors';
import { assertCanActOn, assertCanGrant } from '../domain/permissions';
import type { RequestOf } from '../domain/protocol';
import type { Identity, Membership } from '../domain/types';
import { requireMembership } from './access';
import { deliverToRoom } from './delivery/deliver-to-room';
import { isoNow, type RoomDeps } from './room-deps';

/** Changes a member's role; the actor must outrank both the old and the new role. */
export async function setRole(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'setRole'>,
): Promise<{ membership: Membership; delivery: DeliveryReport }> {
  const actor = await requireMembership(deps.rooms, request.roomId, identity.userId);
  const target = await deps.rooms.getMembership(request.roomId, request.userId);
  if (!target) throw new NotFoundError(`User "${request.userId}" is not a member of this room.`);
  assertCanActOn(actor, target);
  assertCanGrant(actor, request.role);
  const membership: Membership = { ...target, role: request.role };
  await deps.rooms.putMembership(membership);
  const at = isoNow(deps.clock);
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `member.roleChanged:${target.userId}:${target.role}:${request.role}:${request.requestId ?? at}`,
    occurredAt: at,
    actor: { type: 'user', id: identity.userId },
    action: 'member.roleChanged',
    target: { type: 'member', id: target.userId },
    details: { from: target.role, to: request.role },
  });
  const delivery = await deliverToRoom(deps, request.roomId, {
    type: 'roomEvent',
    roomId: request.roomId,
    event: { kind: 'roleChanged', member: membership, by: identity.userId },
  });
  return { membership, delivery };
}
