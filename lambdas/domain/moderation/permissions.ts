import { PermissionError } from '../errors';
import type { Membership } from '../types';
import { isModeratorRole } from '../message';

/** Throws unless `actor` moderates the room (its owner or a moderator). */
export function assertCanModerate(actor: Membership): void {
  if (!isModeratorRole(actor.role)) {
    throw new PermissionError('Only the room owner and moderators can moderate messages.');
  }
}

/** Throws unless `actor` may read the room's audit log. */
export function assertCanReadAudit(actor: Membership): void {
  if (!isModeratorRole(actor.role)) {
    throw new PermissionError('Only the room owner and moderators can read the audit log.');
  }
}

/** Throws unless `actor` may change the room's moderation settings: the owner only. */
export function assertCanConfigureModeration(actor: Membership): void {
  if (actor.role !== 'owner') throw new PermissionError('Only the room owner can change moderation settings.');
}
