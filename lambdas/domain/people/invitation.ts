import type { Invitation } from '../types';

/**
 * Invitations: how long they last and when one still counts. An expired
 * invitation is refused and not listed even before the table's TTL removes
 * it (TTL deletes within days, not at the second).
 */

/** How long an invitation lasts unless the deployment says otherwise. */
export const DEFAULT_INVITATION_DAYS = 7;

export const DAY_MS = 24 * 60 * 60 * 1000;

/** When an invitation made at `invitedAtMs` expires (ISO-8601). */
export const invitationExpiry = (invitedAtMs: number, lifetimeMs: number): string =>
  new Date(invitedAtMs + lifetimeMs).toISOString();

/** True while the invitation can still be accepted. */
export const isInvitationLive = (invitation: Pick<Invitation, 'expiresAt'>, nowMs: number): boolean =>
  Date.parse(invitation.expiresAt) > nowMs;

/** The invitations of one user, in room id order: the last invitation's room id. */
export const invitationCursor = (invitation: Pick<Invitation, 'roomId'>): string => invitation.roomId;
