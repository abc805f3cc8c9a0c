import { describe, expect, it } from 'vitest';
import { canSee, isReadable, MODERATION_STATES, type ModeratedMessage, viewerOf } from '../../../../lambdas/domain/message';

const message = (patch: Partial<ModeratedMessage>): ModeratedMessage => ({
  roomId: 'r1',
  messageId: '01JD2Z8Q4M3V9X0K7F2B6C1N8R',
  senderId: 'sam',
  senderName: 'Sam',
  senderType: 'human',
  text: 'hi',
  createdAt: '2026-01-01T00:00:00.000Z',
  moderation: 'allowed',
  ...patch,
});
const sender = viewerOf({ userId: 'sam', role: 'member' });
const member = viewerOf({ userId: 'mia', role: 'member' });
const moderator = viewerOf({ userId: 'mo', role: 'moderator' });
const owner = viewerOf({ userId: 'olga', role: 'owner' });

describe('canSee', () => {
  it('shows allowed and redacted messages to everyone', () => {
    for (const state of ['allowed', 'redacted'] as const) {
      expect([sender, member, moderator].map((v) => canSee(message({ moderation: state }), v))).toEqual([true, true, true]);
    }
  });

  it('shows a pending message to its sender only', () => {
    expect([sender, member, moderator].map((v) => canSee(message({ moderation: 'pending' }), v))).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('shows quarantined, blocked and hidden messages to the sender and moderators only', () => {
    const withheld = [
      message({ moderation: 'quarantined' }),
      message({ moderation: 'blocked' }),
      message({ hidden: { by: 'mo', at: '2026-01-01T00:00:01.000Z' } }),
    ];

    for (const m of withheld) {
      expect([sender, member, moderator, owner].map((v) => canSee(m, v))).toEqual([true, false, true, true]);
    }
  });
});

describe('isReadable', () => {
  it('lets agents and memory read allowed and redacted text only', () => {
    const readable = MODERATION_STATES.filter((moderation) => isReadable(message({ moderation })));

    expect(readable).toEqual(['allowed', 'redacted']);
  });

  it('keeps a hidden message out, whatever its state', () => {
    const hidden = { by: 'mo', at: '2026-01-01T00:01:00.000Z' };

    expect(isReadable(message({ moderation: 'allowed', hidden }))).toBe(false);
    expect(isReadable(message({ moderation: 'redacted', hidden }))).toBe(false);
  });
});
