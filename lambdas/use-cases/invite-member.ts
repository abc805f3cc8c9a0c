import { ConflictError } from '../domain/errors';
import { assertCanGrant } from '../domain/permissions';
import type { RequestOf } from '../domain/protocol';
import type { Identity, Invitation } from '../domain/types';
import { requireMembership } from './access';
import { isoNow, type RoomDeps } from './room-deps';

/**
 * Invites a user to a room with a role (member by default). The invitee
 * becomes a member on joinRoom. Owners and moderators invite; a moderator
 * cannot invite moderators. A banned user cannot be invited until unbanned.
 */
export async function inviteMember(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'inviteMember'>,
): Promise<{ invitation: Invitation }> {
  const actor = await requireMembership(deps.rooms, request.roomId, identity.userId);
  assertCanGrant(actor, request.role);
  if (await deps.rooms.getMembership(request.roomId, request.userId)) {
    throw new ConflictError(`User "${request.userId}" is already a member; use setRole to change the role.`);
  }
  if (await deps.rooms.getBan(request.roomId, request.userId)) {
    throw new ConflictError(`User "${request.userId}" is banned from this room; unban them first.`);
  }
  const invitation: Invitation = {
    roomId: request.roomId,
    userId: request.userId,
    role: request.role,
    invitedBy: identity.userId,
    invitedAt: isoNow(deps.clock),
  };
  await deps.rooms.putInvitation(invitation);
  await deps.audit.record({
    roomId: invitation.roomId,
    idempotencyKey: `member.invited:${invitation.userId}:${request.requestId ?? invitation.invitedAt}`,
    occurredAt: invitation.invitedAt,
    actor: { type: 'user', id: identity.userId },
    action: 'member.invited',
    target: { type: 'member', id: invitation.userId },
    details: { role: invitation.role },
  });
  return { invitation };
}
