import { describe, expect, it } from 'vitest';
import { compareSequence, memoryChangeOf, type StoredChange } from '../../../../lambdas/domain/memory/changes';

const message = (moderation: string | undefined, text = 'The staging database moved to port 6543.') => ({
  roomId: 'r1',
  sk: 'MSG#m001',
  entity: 'message',
  messageId: 'm001',
  senderId: 'u-alice',
  senderName: 'Alice',
  senderType: 'human',
  text,
  createdAt: '2026-11-21T12:00:00.000Z',
  ...(moderation === undefined ? {} : { moderation }),
});

const change = (c: Omit<StoredChange, 'sequence'>): StoredChange => ({ sequence: '100', ...c });

describe('memoryChangeOf', () => {
  it('remembers an allowed message when it is inserted', () => {
    const result = memoryChangeOf(change({ eventName: 'INSERT', newImage: message('allowed') }));

    expect(result).toEqual({
      kind: 'remember',
      sequence: '100',
      message: {
        roomId: 'r1',
        messageId: 'm001',
        senderName: 'Alice',
        senderType: 'human',
        text: 'The staging database moved to port 6543.',
        createdAt: '2026-11-21T12:00:00.000Z',
      },
    });
  });

  it('ignores a pending message and one without a moderation state', () => {
    expect(memoryChangeOf(change({ eventName: 'INSERT', newImage: message('pending') }))).toEqual({ kind: 'ignore' });
    expect(memoryChangeOf(change({ eventName: 'INSERT', newImage: message(undefined) }))).toEqual({ kind: 'ignore' });
  });

  it('remembers only the redacted text of a message inserted already redacted', () => {
    const result = memoryChangeOf(change({ eventName: 'INSERT', newImage: message('redacted', 'Call me at [redacted].') }));

    expect(result).toMatchObject({ kind: 'remember', message: { text: 'Call me at [redacted].' } });
  });

  it('remembers only the redacted text when moderation redacts a pending message', () => {
    const result = memoryChangeOf(
      change({ eventName: 'MODIFY', oldImage: message('pending'), newImage: message('redacted', 'Call me at [redacted].') }),
    );

    expect(result).toMatchObject({ kind: 'remember', message: { text: 'Call me at [redacted].' } });
  });

  it.each(['quarantined', 'blocked'])('never remembers a %s message', (moderation) => {
    const result = memoryChangeOf(change({ eventName: 'MODIFY', oldImage: message('pending'), newImage: message(moderation) }));

    expect(result).toEqual({ kind: 'ignore' });
  });

  it('forgets a remembered message that is blocked afterwards', () => {
    const result = memoryChangeOf(change({ eventName: 'MODIFY', oldImage: message('allowed'), newImage: message('blocked') }));

    expect(result).toEqual({ kind: 'forget', roomId: 'r1', messageId: 'm001', sequence: '100' });
  });

  it('forgets a message that is deleted', () => {
    const result = memoryChangeOf(change({ eventName: 'REMOVE', oldImage: message('allowed') }));

    expect(result).toEqual({ kind: 'forget', roomId: 'r1', messageId: 'm001', sequence: '100' });
  });

  it('ignores items that are not messages', () => {
    const dedupe = { roomId: 'r1', sk: 'DEDUP#u-alice#c1', entity: 'dedupe', messageId: 'm001' };

    expect(memoryChangeOf(change({ eventName: 'INSERT', newImage: dedupe }))).toEqual({ kind: 'ignore' });
    expect(memoryChangeOf(change({ eventName: 'REMOVE', oldImage: dedupe }))).toEqual({ kind: 'ignore' });
  });

  it('throws on a visible message image without text, so the record is retried and reaches the failure destination', () => {
    const { text: _text, ...broken } = message('allowed');

    expect(() => memoryChangeOf(change({ eventName: 'INSERT', newImage: broken }))).toThrow(/no "text"/);
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
