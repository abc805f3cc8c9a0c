import { describe, expect, it } from 'vitest';
import { compareSequence, memoryChangeOf } from '../../../../lambdas/domain/memory/changes';
import type { MessageChange, ModeratedMessage, ModerationState } from '../../../../lambdas/domain/message';

const message = (
  moderation: ModerationState,
  text = 'The staging database moved to port 6543.',
  patch: Partial<ModeratedMessage> = {},
): ModeratedMessage => ({
  roomId: 'r1',
  messageId: 'm001',
  senderId: 'u-alice',
  senderName: 'Alice',
  senderType: 'human',
  text,
  createdAt: '2026-11-21T12:00:00.000Z',
  moderation,
  ...patch,
});

const change = (c: Omit<MessageChange, 'sequence'>): MessageChange => ({ sequence: '100', ...c });

describe('memoryChangeOf', () => {
  it('remembers an allowed message when it is inserted', () => {
    const result = memoryChangeOf(change({ eventName: 'INSERT', after: message('allowed') }));

    expect(result).toEqual({
      kind: 'remember',
      sequence: '100',
      message: {
        roomId: 'r1',
        messageId: 'm001',
        senderName: 'Alice',
        senderType: 'human',
        senderId: 'u-alice',
        text: 'The staging database moved to port 6543.',
        createdAt: '2026-11-21T12:00:00.000Z',
      },
    });
  });

  it('ignores a pending message', () => {
    expect(memoryChangeOf(change({ eventName: 'INSERT', after: message('pending') }))).toEqual({ kind: 'ignore' });
  });

  it('remembers only the redacted text of a message inserted already redacted', () => {
    const result = memoryChangeOf(change({ eventName: 'INSERT', after: message('redacted', 'Call me at [redacted].') }));

    expect(result).toMatchObject({ kind: 'remember', message: { text: 'Call me at [redacted].' } });
  });

  it('remembers only the redacted text when moderation redacts a pending message', () => {
    const result = memoryChangeOf(
      change({ eventName: 'MODIFY', before: message('pending'), after: message('redacted', 'Call me at [redacted].') }),
    );

    expect(result).toMatchObject({ kind: 'remember', message: { text: 'Call me at [redacted].' } });
  });

  it.each(['quarantined', 'blocked'] as const)('never remembers a %s message', (moderation) => {
    const result = memoryChangeOf(change({ eventName: 'MODIFY', before: message('pending'), after: message(moderation) }));

    expect(result).toEqual({ kind: 'ignore' });
  });

  it('remembers the new text of a message its sender edited, in place of the old', () => {
    const edited = message('allowed', 'The staging database moved to port 7654.', { editedAt: '2026-11-21T12:05:00.000Z' });

    const result = memoryChangeOf(change({ eventName: 'MODIFY', before: message('allowed'), after: edited }));

    expect(result).toMatchObject({ kind: 'remember', message: { messageId: 'm001', text: 'The staging database moved to port 7654.' } });
  });

  it('ignores a change that leaves a readable message’s text as it was, such as a new expiry', () => {
    const restamped = message('allowed', 'The staging database moved to port 7654.', { editedAt: '2026-11-21T12:05:00.000Z' });

    expect(memoryChangeOf(change({ eventName: 'MODIFY', before: restamped, after: restamped }))).toEqual({ kind: 'ignore' });
  });

  it('forgets a message whose edit moderation quarantined', () => {
    const edited = message('quarantined', 'something withheld', { editedAt: '2026-11-21T12:05:00.000Z' });

    expect(memoryChangeOf(change({ eventName: 'MODIFY', before: message('allowed'), after: edited }))).toMatchObject({ kind: 'forget' });
  });

  it('forgets a remembered message that is blocked afterwards', () => {
    const result = memoryChangeOf(change({ eventName: 'MODIFY', before: message('allowed'), after: message('blocked') }));

    expect(result).toEqual({ kind: 'forget', roomId: 'r1', messageId: 'm001', sequence: '100' });
  });

  it('forgets a remembered message a moderator hides, and never remembers it while hidden', () => {
    const hidden = message('redacted', 'Call me at [redacted].', { hidden: { by: 'u-mod', at: '2026-11-21T12:01:00.000Z' } });

    expect(memoryChangeOf(change({ eventName: 'MODIFY', before: message('redacted'), after: hidden }))).toEqual({
      kind: 'forget',
      roomId: 'r1',
      messageId: 'm001',
      sequence: '100',
    });
    expect(memoryChangeOf(change({ eventName: 'INSERT', after: hidden }))).toEqual({ kind: 'ignore' });
  });

  it('forgets a message that is deleted', () => {
    const result = memoryChangeOf(change({ eventName: 'REMOVE', before: message('allowed') }));

    expect(result).toEqual({ kind: 'forget', roomId: 'r1', messageId: 'm001', sequence: '100' });
  });

  it('ignores changes of items that are not messages', () => {
    expect(memoryChangeOf(change({ eventName: 'INSERT' }))).toEqual({ kind: 'ignore' });
    expect(memoryChangeOf(change({ eventName: 'REMOVE' }))).toEqual({ kind: 'ignore' });
  });
});

describe('compareSequence', () => {
  it('orders decimal strings longer than a double by value', () => {
    expect(compareSequence('400000000000000000000000009', '400000000000000000000000010')).toBeLessThan(0);
    expect(compareSequence('99', '100')).toBeLessThan(0);
    expect(compareSequence('0100', '100')).toBe(0);
    expect(compareSequence('101', '100')).toBeGreaterThan(0);
  });
});
