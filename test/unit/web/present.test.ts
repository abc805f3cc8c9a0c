import { describe, expect, it } from 'vitest';
import { formatTime, grantableRoles, invitableRoles, presentMessage, presentPending, roleAbilities } from '../../../web/src/present';
import { message } from './fakes';

const now = new Date('2026-11-21T15:00:00.000Z');

describe('presentMessage', () => {
  it('shows sender, kind and text of a plain message', () => {
    const view = presentMessage(message('r1', 'hello', { senderName: 'Bob', senderType: 'agent' }), 'u-alice', now, 'en-GB', 'UTC');

    expect(view).toMatchObject({ author: 'Bob', senderType: 'agent', senderLabel: 'Agent', text: 'hello', badges: [], mine: false });
  });

  it('shows a redacted message with its redacted text and a badge', () => {
    const view = presentMessage(message('r1', 'call [phone]', { moderation: 'redacted' }), 'u-alice', now);

    expect(view).toMatchObject({ text: 'call [phone]', badges: ['redacted'] });
  });

  it.each(['quarantined', 'blocked'] as const)('hides the text of a %s message entirely', (moderation) => {
    const view = presentMessage(message('r1', 'something awful', { moderation }), 'u-alice', now);

    expect(view.text).toBeUndefined();
    expect(JSON.stringify(view)).not.toContain('something awful');
    expect(view).toMatchObject({ placeholder: 'This message was hidden by moderation.', badges: ['hidden'] });
  });

  it('marks messages still being checked and agent replies cut short', () => {
    expect(presentMessage(message('r1', 'x', { moderation: 'pending' }), 'u', now).badges).toEqual(['checking']);
    expect(presentMessage(message('r1', 'x', { incomplete: true }), 'u', now).badges).toEqual(['incomplete']);
  });

  it('offers a retry for a message that was not sent', () => {
    const view = presentPending(
      { clientMessageId: 'c-1', roomId: 'r1', text: 'x', senderId: 'u', senderName: 'U', createdAt: now.toISOString(), state: 'failed', error: 'Slow down.' },
      now,
    );

    expect(view).toMatchObject({ badges: ['not sent'], failed: { error: 'Slow down.', clientMessageId: 'c-1' } });
  });
});

describe('formatTime', () => {
  it('shows the time today and the date too on other days', () => {
    expect(formatTime('2026-11-21T09:05:00.000Z', now, 'en-GB', 'UTC')).toBe('09:05');
    expect(formatTime('2026-11-20T09:05:00.000Z', now, 'en-GB', 'UTC')).toBe('20 Nov, 09:05');
    expect(formatTime('garbage', now)).toBe('');
  });
});

describe('role abilities', () => {
  it('follows the domain’s rules for posting, managing and granting', () => {
    expect(roleAbilities('guest')).toEqual({ canPost: false, canManage: false, canLeave: true });
    expect(roleAbilities('owner')).toEqual({ canPost: true, canManage: true, canLeave: false });
    expect(invitableRoles('owner')).toEqual(['moderator', 'member', 'guest']);
    expect(invitableRoles('moderator')).toEqual(['member', 'guest']);
    expect(invitableRoles('member')).toEqual([]);
    expect(grantableRoles('moderator', 'member', false)).toEqual(['member', 'guest']);
    expect(grantableRoles('moderator', 'moderator', false)).toEqual([]);
    expect(grantableRoles('owner', 'owner', true)).toEqual([]);
  });
});
