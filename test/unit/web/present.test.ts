import { describe, expect, it } from 'vitest';
import { formatTime, grantableRoles, invitableRoles, presentMessage, presentPending, roleAbilities } from '../../../web/src/present';
import { message } from '../../support/fakes/web';

const now = new Date('2026-11-21T15:00:00.000Z');

describe('presentMessage', () => {
  const member = { userId: 'u-alice', moderator: false };
  const moderator = { userId: 'u-mod', moderator: true };

  it('shows sender, kind and text of a plain message', () => {
    const view = presentMessage(message('r1', 'hello', { senderName: 'Bob', senderType: 'agent' }), member, now, 'en-GB', 'UTC');

    expect(view).toMatchObject({ author: 'Bob', senderType: 'agent', senderLabel: 'Agent', text: 'hello', badges: [], mine: false, actions: [] });
    expect(view.concealed).toBeUndefined();
  });

  it('labels a message posted with an API key as an integration’s', () => {
    const view = presentMessage(message('r1', 'Build 42 passed', { senderName: 'CI bot', senderType: 'integration' }), member, now, 'en-GB', 'UTC');

    expect(view).toMatchObject({ author: 'CI bot', senderType: 'integration', senderLabel: 'integration' });
  });

  it('shows a redacted message with its redacted text and a badge', () => {
    const view = presentMessage(message('r1', 'call [phone]', { moderation: 'redacted', redacted: true }), member, now);

    expect(view).toMatchObject({ text: 'call [phone]', badges: ['redacted'] });
    expect(view.concealed).toBeUndefined();
  });

  it('folds away a message withheld from the room, saying who can see it', () => {
    const quarantined = message('r1', 'something awful', { moderation: 'quarantined', senderId: 'u-alice' });
    const hidden = message('r1', 'spam', { moderation: 'allowed', hidden: { by: 'u-mod', at: '' } });

    expect(presentMessage(quarantined, member, now)).toMatchObject({
      badges: ['held for review'],
      concealed: 'Held for review: only you and the room’s moderators can see it.',
    });
    expect(presentMessage(hidden, moderator, now)).toMatchObject({
      badges: ['hidden'],
      concealed: 'Hidden by a moderator: only moderators and its sender can see it.',
    });
  });

  it('offers moderators the actions that fit the message’s state', () => {
    const allowed = message('r1', 'x', { moderation: 'allowed' });
    const quarantined = message('r1', 'x', { moderation: 'quarantined' });
    const hidden = message('r1', 'x', { moderation: 'allowed', hidden: { by: 'u-mod', at: '' } });

    expect(presentMessage(allowed, moderator, now).actions).toEqual(['hideMessage', 'deleteMessage']);
    expect(presentMessage(quarantined, moderator, now).actions).toEqual(['releaseMessage', 'hideMessage', 'deleteMessage']);
    expect(presentMessage(hidden, moderator, now).actions).toEqual(['unhideMessage', 'deleteMessage']);
    expect(presentMessage(allowed, member, now).actions).toEqual([]);
  });

  it('marks messages still being checked and agent replies cut short', () => {
    expect(presentMessage(message('r1', 'x', { moderation: 'pending' }), member, now).badges).toEqual(['checking']);
    expect(presentMessage(message('r1', 'x', { incomplete: true }), member, now).badges).toEqual(['incomplete']);
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
