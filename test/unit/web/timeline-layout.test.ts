import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../web/src/protocol';
import type { TimelineItem } from '../../../web/src/timeline';
import { dayLabel, fullTime, placeRows, shortTime } from '../../../web/src/timeline-layout';

const NOW = new Date('2026-12-06T15:00:00.000Z');

const message = (id: string, senderId: string, createdAt: string, extra: Partial<ChatMessage> = {}): TimelineItem => ({
  kind: 'message',
  key: `m:${id}`,
  message: { roomId: 'r1', messageId: id, senderId, senderName: senderId, senderType: 'human', text: 'hi', createdAt, ...extra },
});

const place = (items: TimelineItem[]) => placeRows(items, NOW, 'en-GB', 'UTC');

describe('placeRows', () => {
  it('groups a person’s consecutive messages under one name', () => {
    const places = place([
      message('01', 'u-ann', '2026-12-06T14:00:00.000Z'),
      message('02', 'u-ann', '2026-12-06T14:01:00.000Z'),
      message('03', 'u-ann', '2026-12-06T14:04:59.000Z'),
    ]);

    expect(places.map((p) => p.continues)).toEqual([false, true, true]);
  });

  it('breaks a group at another sender, and after five minutes of silence', () => {
    const places = place([
      message('01', 'u-ann', '2026-12-06T14:00:00.000Z'),
      message('02', 'u-bob', '2026-12-06T14:00:10.000Z'),
      message('03', 'u-ann', '2026-12-06T14:00:20.000Z'),
      message('04', 'u-ann', '2026-12-06T14:05:20.000Z'),
    ]);

    expect(places.map((p) => p.continues)).toEqual([false, false, false, false]);
  });

  it('starts a new group when the sender’s display name changed, so the new name shows', () => {
    const places = place([
      message('01', 'u-ann', '2026-12-06T14:00:00.000Z', { senderName: 'ann' }),
      message('02', 'u-ann', '2026-12-06T14:01:00.000Z', { senderName: 'Ann Smith' }),
    ]);

    expect(places.map((p) => p.continues)).toEqual([false, false]);
  });

  it('keeps an agent apart from a person of the same id, and a streaming reply on its own', () => {
    const reply: TimelineItem = { kind: 'reply', key: 'r:x', reply: { replyId: 'x', agent: 'Scout', chunks: [], text: '' } };
    const places = place([
      message('01', 'scout', '2026-12-06T14:00:00.000Z'),
      message('02', 'scout', '2026-12-06T14:00:01.000Z', { senderType: 'agent' }),
      reply,
    ]);

    expect(places.map((p) => p.continues)).toEqual([false, false, false]);
  });

  it('puts a separator above the first message of each day, and breaks the group there', () => {
    const places = place([
      message('01', 'u-ann', '2026-11-20T23:59:00.000Z'),
      message('02', 'u-ann', '2026-12-05T23:58:00.000Z'),
      message('03', 'u-ann', '2026-12-06T00:01:00.000Z'),
      message('04', 'u-ann', '2026-12-06T00:02:00.000Z'),
    ]);

    expect(places.map((p) => p.day?.label)).toEqual(['Friday 20 November', 'Yesterday', 'Today', undefined]);
    expect(places.map((p) => p.continues)).toEqual([false, false, false, true]);
  });

  it('continues a group with a message being sent by the same person', () => {
    const pending: TimelineItem = {
      kind: 'pending',
      key: 'p:c1',
      pending: { clientMessageId: 'c1', roomId: 'r1', text: 'more', senderId: 'u-ann', senderName: 'u-ann', createdAt: '2026-12-06T14:00:30.000Z', state: 'sending' },
    };

    expect(place([message('01', 'u-ann', '2026-12-06T14:00:00.000Z'), pending]).map((p) => p.continues)).toEqual([false, true]);
  });
});

describe('dayLabel', () => {
  it('says Today, Yesterday, a weekday within the week, then the date, with the year when not this one', () => {
    const label = (iso: string) => dayLabel(iso, NOW, 'en-GB', 'UTC');

    expect(label('2026-12-06T00:00:00.000Z')).toBe('Today');
    expect(label('2026-12-05T23:59:59.000Z')).toBe('Yesterday');
    expect(label('2026-12-01T10:00:00.000Z')).toBe('Tuesday');
    expect(label('2026-11-29T10:00:00.000Z')).toBe('Sunday 29 November');
    expect(label('2025-12-06T10:00:00.000Z')).toBe('Saturday, 6 December 2025');
  });

  it('counts days in the reader’s time zone', () => {
    expect(dayLabel('2026-12-06T02:00:00.000Z', NOW, 'en-GB', 'America/New_York')).toBe('Yesterday');
  });
});

describe('times', () => {
  it('shows the time of day compactly and the whole timestamp for the tooltip', () => {
    expect(shortTime('2026-12-06T14:05:09.000Z', 'en-GB', 'UTC')).toBe('14:05');
    expect(fullTime('2026-12-06T14:05:09.000Z', 'en-GB', 'UTC')).toBe('Sunday, 6 December 2026 at 14:05:09');
    expect(shortTime('not a date')).toBe('');
  });
});
