import type { DeliveryReport } from '../../domain/delivery';
import { NotFoundError } from '../../domain/errors';
import { isInvitationLive } from '../../domain/people/invitation';
import type { RequestOf } from '../../domain/protocol';
import type { Identity, Membership } from '../../domain/types';
import { joinRoom } from '../join-room';
import type { RoomDeps } from '../room-deps';

/**
 * Accepts the caller's invitation to a room: joins it through joinRoom, so
 * every rule of joining (and its `memberJoined` and `roomAdded` frames)
 * applies, with the role the invitation grants. Without a live invitation
 * the answer is NOT_FOUND and nothing changes, even for a public room: a
 * plain joinRoom is the way in there.
 */
export async function acceptInvitation(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'acceptInvitation'>,
): Promise<{ membership: Membership; delivery?: DeliveryReport }> {
  const invitation = await deps.rooms.getInvitation(request.roomId, identity.userId);
  if (!invitation || !isInvitationLive(invitation, deps.clock.now())) {
    throw new NotFoundError(`You have no pending invitation to room "${request.roomId}" (it may have expired or been withdrawn).`);
  }
  const joined = await joinRoom(deps, identity, { roomId: request.roomId });
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `invitation.accepted:${identity.userId}:${invitation.invitedAt}`,
    occurredAt: joined.membership.joinedAt,
    actor: { type: 'user', id: identity.userId },
    action: 'invitation.accepted',
    target: { type: 'member', id: identity.userId },
    details: { role: joined.membership.role, invitedBy: invitation.invitedBy },
  });
  return { membership: joined.membership, ...(joined.delivery ? { delivery: joined.delivery } : {}) };
}
