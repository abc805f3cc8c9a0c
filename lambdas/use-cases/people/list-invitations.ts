import { fitPage } from '../../domain/frame-budget';
import { invitationCursor, isInvitationLive } from '../../domain/people/invitation';
import type { Clock, RoomRepository } from '../../domain/ports';
import type { RequestOf } from '../../domain/protocol';
import type { Identity, Invitation } from '../../domain/types';

/**
 * The caller's pending invitations, in room id order, each with the room's
 * name and the inviter's so the list needs no other read; at most `limit`
 * and no more than fit in one WebSocket message. Expired invitations are
 * left out (the table's TTL removes them later), so a page may hold fewer
 * than `limit`: follow `nextCursor`.
 */
export async function listInvitations(
  deps: { readonly rooms: Pick<RoomRepository, 'pageInvitationsOfUser'>; readonly clock: Clock },
  identity: Identity,
  request: RequestOf<'listInvitations'>,
): Promise<{ invitations: Invitation[]; nextCursor?: string }> {
  const stored = await deps.rooms.pageInvitationsOfUser(identity.userId, {
    limit: request.limit,
    ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
  });
  const now = deps.clock.now();
  const live = stored.items.filter((invitation) => isInvitationLive(invitation, now));
  // An all-expired page still moves on: its cursor is where DynamoDB stopped.
  const page = fitPage({ items: live, ...(stored.nextCursor !== undefined ? { nextCursor: stored.nextCursor } : {}) }, invitationCursor);
  return { invitations: page.items, ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
}
