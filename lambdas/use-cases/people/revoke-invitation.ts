import type { DeliveryReport } from '../../domain/delivery';
import { NotFoundError, PermissionError } from '../../domain/errors';
import type { RequestOf } from '../../domain/protocol';
import type { Identity } from '../../domain/types';
import { deliverToUser } from '../delivery/deliver-to-user';
import { isoNow, type RoomDeps } from '../room-deps';

/**
 * Withdraws an invitation. The room's owner and moderators may withdraw any
 * invitation to it, anyone else only one they sent. The invitee's
 * connections drop it at once (`invitationRevoked`); the caller gets the ack.
 * Someone who is not a member of a private room learns nothing about it: the
 * answer is NOT_FOUND, as for a room that does not exist.
 */
export async function revokeInvitation(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'revokeInvitation'>,
): Promise<{ roomId: string; userId: string; delivery?: DeliveryReport }> {
  const [actor, invitation, room] = await Promise.all([
    deps.rooms.getMembership(request.roomId, identity.userId),
    deps.rooms.getInvitation(request.roomId, request.userId),
    deps.rooms.getRoom(request.roomId),
  ]);
  if (!room || (room.visibility === 'private' && !actor && invitation?.invitedBy !== identity.userId)) {
    throw new NotFoundError(`Room "${request.roomId}" not found.`);
  }
  const manages = actor?.role === 'owner' || actor?.role === 'moderator';
  if (!manages && invitation?.invitedBy !== identity.userId) {
    throw new PermissionError("Only the room's owner, its moderators or whoever sent an invitation can withdraw it.");
  }
  if (!invitation) throw new NotFoundError(`User "${request.userId}" has no pending invitation to this room.`);

  await deps.rooms.deleteInvitation(request.roomId, request.userId);
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `invitation.revoked:${request.userId}:${invitation.invitedAt}`,
    occurredAt: isoNow(deps.clock),
    actor: { type: 'user', id: identity.userId },
    action: 'invitation.revoked',
    target: { type: 'member', id: request.userId },
    details: { invitedBy: invitation.invitedBy },
  });
  const delivery = await deliverToUser(deps, request.userId, {
    type: 'invitationRevoked',
    roomId: request.roomId,
    by: identity.userId,
  });
  return { roomId: request.roomId, userId: request.userId, delivery };
}
