import type { DeliveryReport } from '../../domain/delivery';
import { NotFoundError } from '../../domain/errors';
import type { RequestOf } from '../../domain/protocol';
import type { Identity } from '../../domain/types';
import { deliverToUser } from '../delivery/deliver-to-user';
import { isoNow, type RoomDeps } from '../room-deps';

/**
 * Declines the caller's invitation to a room: it is removed (an expired one
 * too, which is only tidying up) and the caller's other connections drop it
 * with `invitationDeclined`. Nobody else is told: declining is private.
 */
export async function declineInvitation(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'declineInvitation'>,
): Promise<{ roomId: string; delivery?: DeliveryReport }> {
  const invitation = await deps.rooms.getInvitation(request.roomId, identity.userId);
  if (!invitation) throw new NotFoundError(`You have no pending invitation to room "${request.roomId}".`);
  await deps.rooms.deleteInvitation(request.roomId, identity.userId);
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `invitation.declined:${identity.userId}:${invitation.invitedAt}`,
    occurredAt: isoNow(deps.clock),
    actor: { type: 'user', id: identity.userId },
    action: 'invitation.declined',
    target: { type: 'member', id: identity.userId },
    details: { invitedBy: invitation.invitedBy },
  });
  const delivery = await deliverToUser(deps, identity.userId, { type: 'invitationDeclined', roomId: request.roomId });
  return { roomId: request.roomId, delivery };
}
