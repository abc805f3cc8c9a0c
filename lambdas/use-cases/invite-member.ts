import type { DeliveryReport } from '../domain/delivery';
import { ConflictError, NotFoundError } from '../domain/errors';
import { invitationExpiry, isInvitationLive } from '../domain/people/invitation';
import type { ProfileRepository } from '../domain/people/ports';
import { assertCanGrant } from '../domain/permissions';
import type { RequestOf } from '../domain/protocol';
import type { Identity, Invitation } from '../domain/types';
import { requireMembership } from './access';
import { deliverToUser } from './delivery/deliver-to-user';
import { isoNow, type RoomDeps } from './room-deps';

export interface InviteDeps extends RoomDeps {
  readonly profiles: Pick<ProfileRepository, 'getProfile'>;
  /** How long an invitation lasts, in milliseconds. */
  readonly invitationLifetimeMs: number;
}

/**
 * Invites a user to a room with a role (member by default). Owners and
 * moderators invite; a moderator cannot invite moderators. The invitee must
 * have a profile (anyone who has ever connected has one), so an invitation
 * never goes to a mistyped id; a member cannot be invited. Inviting someone
 * already invited renews the invitation: the new role, a new expiry, and the
 * invitee hears of it again. The invitation reaches every live connection of
 * the invitee at once as an `invitation` frame; it waits in their
 * `listInvitations` otherwise.
 *
 * Checks come before writes: an unknown user, a member or a role the caller
 * cannot grant change nothing, and a banned user cannot be invited until
 * unbanned.
 */
export async function inviteMember(
  deps: InviteDeps,
  identity: Identity,
  request: RequestOf<'inviteMember'>,
): Promise<{ invitation: Invitation; renewed: boolean; delivery?: DeliveryReport }> {
  const actor = await requireMembership(deps.rooms, request.roomId, identity.userId);
  assertCanGrant(actor, request.role);
  const [invitee, membership, room, earlier] = await Promise.all([
    deps.profiles.getProfile(request.userId),
    deps.rooms.getMembership(request.roomId, request.userId),
    deps.rooms.getRoom(request.roomId),
    deps.rooms.getInvitation(request.roomId, request.userId),
  ]);
  if (!invitee) {
    throw new NotFoundError(`No user with id "${request.userId}": people can be invited once they have signed in to Parley.`);
  }
  if (membership) {
    throw new ConflictError(`User "${request.userId}" is already a member; use setRole to change the role.`);
  }
  // The caller is a member, so the room exists unless it was deleted in between.
  if (!room) throw new NotFoundError(`Room "${request.roomId}" not found.`);

  if (await deps.rooms.getBan(request.roomId, request.userId)) {
    throw new ConflictError(`User "${request.userId}" is banned from this room; unban them first.`);
  }

  const now = deps.clock.now();
  const invitation: Invitation = {
    roomId: room.roomId,
    userId: invitee.userId,
    role: request.role,
    invitedBy: identity.userId,
    invitedByName: actor.displayName,
    inviteeName: invitee.displayName,
    invitedAt: isoNow(deps.clock),
    roomName: room.name,
    // A private game room is NOT_FOUND to a non-member: the invitation is where the invitee learns what it is.
    ...(room.mode !== undefined ? { roomMode: room.mode } : {}),
    expiresAt: invitationExpiry(now, deps.invitationLifetimeMs),
  };
  const renewed = earlier !== undefined && isInvitationLive(earlier, now);
  await deps.rooms.putInvitation(invitation);
  await deps.audit.record({
    roomId: invitation.roomId,
    idempotencyKey: `member.invited:${invitation.userId}:${request.requestId ?? invitation.invitedAt}`,
    occurredAt: invitation.invitedAt,
    actor: { type: 'user', id: identity.userId },
    action: 'member.invited',
    target: { type: 'member', id: invitation.userId },
    details: { role: invitation.role, ...(renewed ? { renewed } : {}) },
  });
  const delivery = await deliverToUser(deps, invitation.userId, { type: 'invitation', invitation });
  return { invitation, renewed, delivery };
}
