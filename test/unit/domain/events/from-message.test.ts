import { describe, expect, it } from 'vitest';
import { domainEventSchema } from '../../../../lambdas/domain/events/domain-events';
import { eventOfPostedMessage, postedBy } from '../../../../lambdas/domain/events/from-message';
import type { ModeratedMessage } from '../../../../lambdas/domain/message';
import type { Room } from '../../../../lambdas/domain/types';

const message: ModeratedMessage = {
  roomId: 'r-1',
  messageId: 'm-1',
  senderId: 'u-bob',
  senderName: 'Bob',
  senderType: 'human',
  text: 'héllo 👋',
  createdAt: '2026-12-06T10:00:00.000Z',
  moderation: 'allowed',
};
const room: Room = { roomId: 'r-1', name: 'Lobby', visibility: 'public', ownerId: 'u-alice', createdAt: '2026-12-06T09:00:00.000Z' };
const sharing: Room = { ...room, shareMessageTextInEvents: true, shareMessageTextInEventsSince: '2026-12-06T09:30:00.000Z' };

describe('eventOfPostedMessage', () => {
  it('carries ids and the length in code points, without the text by default', () => {
    const event = eventOfPostedMessage(message, room);
    expect(event).toEqual({
      id: 'm-1',
      type: 'message.posted',
      version: 1,
      occurredAt: '2026-12-06T10:00:00.000Z',
      roomId: 'r-1',
      actor: { type: 'user', id: 'u-bob' },
      data: { messageId: 'm-1', senderId: 'u-bob', senderType: 'user', length: 7 },
    });
    expect(domainEventSchema('message.posted').safeParse(event).success).toBe(true);
  });

  it('carries the text when the room opts in', () => {
    expect(eventOfPostedMessage(message, sharing).data.text).toBe('héllo 👋');
  });

  it('never carries the text of a message posted before the room opted in, whenever its event goes out', () => {
    expect(eventOfPostedMessage({ ...message, createdAt: '2026-12-06T09:29:59.999Z' }, sharing).data).not.toHaveProperty('text');
    expect(eventOfPostedMessage(message, { ...room, shareMessageTextInEvents: true }).data).not.toHaveProperty('text');
  });

  it.each(['quarantined', 'blocked'] as const)('never carries the text of a %s message', (moderation) => {
    expect(eventOfPostedMessage({ ...message, moderation }, sharing).data).not.toHaveProperty('text');
  });

  it('never carries the text of a hidden message, nor when the room is unknown', () => {
    expect(eventOfPostedMessage({ ...message, hidden: { by: 'u-alice', at: message.createdAt } }, sharing).data).not.toHaveProperty('text');
    expect(eventOfPostedMessage(message, undefined).data).not.toHaveProperty('text');
  });

  it('names an agent’s reply as the agent’s', () => {
    const event = eventOfPostedMessage({ ...message, senderType: 'agent', senderId: 'sage' }, room);
    expect(event.actor).toEqual({ type: 'agent', id: 'sage' });
  });
});

describe('postedBy', () => {
  it('posts a message inserted moderated, and an agent reply once moderation decides it', () => {
    expect(postedBy({ eventName: 'INSERT', sequence: '1', after: message })).toBe(message);
    const pending = { ...message, moderation: 'pending' as const };
    expect(postedBy({ eventName: 'INSERT', sequence: '1', after: pending })).toBeUndefined();
    expect(postedBy({ eventName: 'MODIFY', sequence: '2', before: pending, after: message })).toBe(message);
  });

  it('posts nothing for an edit, a hide or a removal', () => {
    expect(postedBy({ eventName: 'MODIFY', sequence: '2', before: message, after: { ...message, text: 'edited' } })).toBeUndefined();
    expect(postedBy({ eventName: 'REMOVE', sequence: '3', before: message })).toBeUndefined();
  });
});
