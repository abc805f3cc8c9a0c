import type { Invitation } from '../../lambdas/domain/types';

/**
 * The invitations addressed to the person using the client, by room id:
 * loaded with `listInvitations` on every connect and kept current by the
 * `invitation`, `invitationRevoked`, `invitationDeclined` and `roomAdded`
 * frames. Pure: state.ts holds the map and calls these.
 */
export type { Invitation };

export type Invitations = ReadonlyMap<string, Invitation>;

/** The invitations in the order they are shown: newest first. */
export const invitationsInOrder = (invitations: Invitations): Invitation[] =>
  [...invitations.values()].sort((a, b) => (a.invitedAt < b.invitedAt ? 1 : a.invitedAt > b.invitedAt ? -1 : 0));

/** Adds or renews an invitation (a renewed one replaces the earlier). */
export function withInvitation(invitations: Invitations, invitation: Invitation): Invitations {
  const next = new Map(invitations);
  next.set(invitation.roomId, invitation);
  return next;
}

/** Drops the invitation to a room (accepted, declined, withdrawn or expired); the same map when there was none. */
export function withoutInvitation(invitations: Invitations, roomId: string): Invitations {
  if (!invitations.has(roomId)) return invitations;
  const next = new Map(invitations);
  next.delete(roomId);
  return next;
}

/** The complete list from `listInvitations`, replacing what was known (some may have expired while offline). */
export const listedInvitations = (invitations: readonly Invitation[]): Invitations =>
  new Map(invitations.map((invitation) => [invitation.roomId, invitation]));

/** True when the invitation can still be accepted at `nowMs`. */
export const isPending = (invitation: Invitation, nowMs: number): boolean => Date.parse(invitation.expiresAt) > nowMs;
