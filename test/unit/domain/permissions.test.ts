import { describe, expect, it } from 'vitest';
import { PermissionError } from '../../../lambdas/domain/errors';
import { assertCanActOn, assertCanGrant, assertCanPost, canManageMembers } from '../../../lambdas/domain/permissions';
import type { Membership, Role } from '../../../lambdas/domain/types';

const member = (userId: string, role: Role): Membership => ({
  roomId: 'r1',
  userId,
  displayName: userId,
  role,
  joinedAt: '2026-11-21T00:00:00.000Z',
});

describe('permissions', () => {
  it('lets members and above post, not guests', () => {
    expect(() => assertCanPost(member('a', 'member'))).not.toThrow();
    expect(() => assertCanPost(member('a', 'owner'))).not.toThrow();
    expect(() => assertCanPost(member('a', 'guest'))).toThrow(PermissionError);
  });

  it('lets only owners and moderators manage members', () => {
    expect(canManageMembers('owner')).toBe(true);
    expect(canManageMembers('moderator')).toBe(true);
    expect(canManageMembers('member')).toBe(false);
    expect(canManageMembers('guest')).toBe(false);
  });

  it('never grants ownership', () => {
    expect(() => assertCanGrant(member('o', 'owner'), 'owner')).toThrow(/Ownership/);
  });

  it('lets an owner grant moderator but not a moderator', () => {
    expect(() => assertCanGrant(member('o', 'owner'), 'moderator')).not.toThrow();
    expect(() => assertCanGrant(member('m', 'moderator'), 'moderator')).toThrow(PermissionError);
    expect(() => assertCanGrant(member('m', 'moderator'), 'guest')).not.toThrow();
  });

  it('lets an actor change only lower roles, and never itself', () => {
    expect(() => assertCanActOn(member('o', 'owner'), member('m', 'moderator'))).not.toThrow();
    expect(() => assertCanActOn(member('m', 'moderator'), member('m2', 'moderator'))).toThrow(PermissionError);
    expect(() => assertCanActOn(member('m', 'moderator'), member('o', 'owner'))).toThrow(PermissionError);
    expect(() => assertCanActOn(member('o', 'owner'), member('o', 'owner'))).toThrow(/leaveRoom/);
  });
});
