import { PermissionError } from './errors';
import type { Membership, Role } from './types';

const RANK: Record<Role, number> = { owner: 3, moderator: 2, member: 1, guest: 0 };

export const outranks = (a: Role, b: Role): boolean => RANK[a] > RANK[b];

export const canManageMembers = (role: Role): boolean => RANK[role] >= RANK.moderator;

export const canPost = (role: Role): boolean => RANK[role] >= RANK.member;

/** Throws unless `actor` may post messages in the room. */
export function assertCanPost(actor: Membership): void {
  if (!canPost(actor.role)) throw new PermissionError('Guests can read this room but not post in it.');
}

/** Throws unless `actor` may manage the room's members. */
export function assertCanManageMembers(actor: Membership): void {
  if (!canManageMembers(actor.role)) {
    throw new PermissionError('Only the room owner and moderators can manage members.');
  }
}

/**
 * Throws unless `actor` may give `role` to someone. Nobody can hand out
 * ownership; a moderator can hand out only roles below its own.
 */
export function assertCanGrant(actor: Membership, role: Role): void {
  assertCanManageMembers(actor);
  if (role === 'owner') throw new PermissionError('Ownership cannot be granted.');
  if (actor.role !== 'owner' && !outranks(actor.role, role)) {
    throw new PermissionError(`A ${actor.role} cannot grant the ${role} role.`);
  }
}

/** Throws unless `actor` may change or remove `target`'s membership. */
export function assertCanActOn(actor: Membership, target: Membership): void {
  assertCanManageMembers(actor);
  if (actor.userId === target.userId) {
    throw new PermissionError('Use leaveRoom to leave; you cannot change your own role.');
  }
  if (!outranks(actor.role, target.role)) {
    throw new PermissionError(`A ${actor.role} cannot change a ${target.role}.`);
  }
}

/** Throws unless `actor` owns the room: settings, deletion and ownership are the owner's alone. */
export function assertOwner(actor: Membership, doing: string): void {
  if (actor.role !== 'owner') throw new PermissionError(`Only the room owner can ${doing}.`);
}

/**
 * Throws unless `actor` may ban `userId` (whose membership, if any, is
 * `target`): owners and moderators, never themselves, and only people of a
 * lower role, so a moderator cannot ban the owner or another moderator.
 */
export function assertCanBan(actor: Membership, userId: string, target: Membership | undefined): void {
  assertCanManageMembers(actor);
  if (actor.userId === userId) throw new PermissionError('You cannot ban yourself.');
  if (target && !outranks(actor.role, target.role)) {
    throw new PermissionError(`A ${actor.role} cannot ban a ${target.role}.`);
  }
}
