import { describe, expect, it } from 'vitest';
import { DAY_MS, invitationExpiry, isInvitationLive } from '../../../../lambdas/domain/people/invitation';

describe('invitation expiry', () => {
  const invitedAt = Date.UTC(2026, 10, 21, 12, 0, 0);

  it('expires the given time after it was made', () => {
    expect(invitationExpiry(invitedAt, 7 * DAY_MS)).toBe('2026-11-28T12:00:00.000Z');
  });

  it('counts until its expiry and not at or after it', () => {
    const invitation = { expiresAt: invitationExpiry(invitedAt, DAY_MS) };

    expect(isInvitationLive(invitation, invitedAt + DAY_MS - 1)).toBe(true);
    expect(isInvitationLive(invitation, invitedAt + DAY_MS)).toBe(false);
  });
});
