import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../web/src/protocol';
import { tabTitle, unseenAfter } from '../../../web/src/unseen';

const message = (id: string, senderId: string): ChatMessage => ({
  roomId: 'r1',
  messageId: id,
  senderId,
  senderName: senderId,
  senderType: 'human',
  text: 'hi',
  createdAt: '2026-12-06T14:00:00.000Z',
});

describe('unseenAfter', () => {
  const messages = [message('01', 'u-bob'), message('02', 'u-me'), message('03', 'u-bob'), message('04', 'u-cid')];

  it('counts others’ messages after the newest one seen', () => {
    expect(unseenAfter(messages, '01', 'u-me')).toBe(2);
    expect(unseenAfter(messages, '04', 'u-me')).toBe(0);
  });

  it('counts nothing before the reader has seen the room', () => {
    expect(unseenAfter(messages, undefined, 'u-me')).toBe(0);
  });
});

describe('tabTitle', () => {
  it('puts the unseen count first, the room, then Parley', () => {
    expect(tabTitle('Lobby', 3)).toBe('(3) Lobby · Parley');
    expect(tabTitle('Lobby', 0)).toBe('Lobby · Parley');
    expect(tabTitle(undefined, 0)).toBe('Parley');
    expect(tabTitle('Lobby', 250)).toBe('(99+) Lobby · Parley');
  });
});
