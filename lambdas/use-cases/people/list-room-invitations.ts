import { fitPage } from '../../domain/frame-budget';
import { isInvitationLive } from '../../domain/people/invitation';
import { assertCanManageMembers } from '../../domain/permissions';
import type { Clock, RoomRepository } from '../../domain/ports';
import type { RequestOf } from '../../domain/protocol';
import type { Identity, Invitation } from '../../domain/types';
import { requireMembership } from '../access';

/**
 * A room's pending invitations, for its owner and moderators: whom they
 * invited, with which role and until when, so one can be withdrawn
 * (revokeInvitation). In invitee id order, at most `limit` and no more than
 * fit in one WebSocket message; expired invitations are left out, so a page
 * may hold fewer than `limit`: follow `nextCursor`. Checks come first: a
 * non-member learns nothing of a private room, a member without the right
 * nothing of its invitations.
 */
export async function listRoomInvitations(
  deps: { readonly rooms: RoomRepository; readonly clock: Clock },
  identity: Identity,
  request: RequestOf<'listRoomInvitations'>,
): Promise<{ invitations: Invitation[]; nextCursor?: string }> {
  const actor = await requireMembership(deps.rooms, request.roomId, identity.userId);
  assertCanManageMembers(actor);
  const stored = await deps.rooms.pageInvitationsOfRoom(request.roomId, {
    limit: request.limit,
    ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
  });
  const now = deps.clock.now();
  const live = stored.items.filter((invitation) => isInvitationLive(invitation, now));
  const page = fitPage(
    { items: live, ...(stored.nextCursor !== undefined ? { nextCursor: stored.nextCursor } : {}) },
    (invitation) => invitation.userId,
  );
  return { invitations: page.items, ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
}
