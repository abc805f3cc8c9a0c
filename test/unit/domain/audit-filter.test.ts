import { describe, expect, it } from 'vitest';
import { isOfKind, matchesAuditFilter } from '../../../lambdas/domain/audit';

const entry = { action: 'member.roleChanged', actor: { type: 'user', id: 'olga' } } as const;

describe('isOfKind', () => {
  it('matches a family by the part before the dot and an action exactly', () => {
    expect(isOfKind('member.roleChanged', 'member')).toBe(true);
    expect(isOfKind('member.roleChanged', 'member.roleChanged')).toBe(true);
    expect(isOfKind('member.roleChanged', 'member.joined')).toBe(false);
    expect(isOfKind('message.hidden', 'moderation')).toBe(false);
  });
});

describe('matchesAuditFilter', () => {
  it('keeps every entry without a filter', () => {
    expect(matchesAuditFilter(entry, {})).toBe(true);
  });

  it('keeps an entry of any of the kinds, done by the actor', () => {
    expect(matchesAuditFilter(entry, { kinds: ['room', 'member'] })).toBe(true);
    expect(matchesAuditFilter(entry, { kinds: ['room'] })).toBe(false);
    expect(matchesAuditFilter(entry, { kinds: ['member'], actorId: 'olga' })).toBe(true);
    expect(matchesAuditFilter(entry, { kinds: ['member'], actorId: 'mo' })).toBe(false);
    expect(matchesAuditFilter(entry, { actorId: 'Olga' })).toBe(false);
  });
});
