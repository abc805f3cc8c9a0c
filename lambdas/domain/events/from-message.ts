import { isReadable, type MessageChange, type ModeratedMessage, type SenderType } from '../message';
import { sharesTextPostedAt } from '../room-settings';
import type { Room } from '../types';
import { EVENT_VERSION, type DomainEvent } from './domain-events';

const ACTOR_OF_SENDER: Readonly<Record<SenderType, 'user' | 'agent' | 'integration' | 'system'>> = {
  human: 'user',
  agent: 'agent',
  integration: 'integration',
  system: 'system',
};

/**
 * The message a stream change posts, if any: a message inserted in a final
 * state (a person's, moderated at send), or an agent's reply leaving
 * `pending` (moderation decided it). Every message is posted once; its
 * edits, hides and removals post nothing. lib/event-functions.ts filters
 * the stream with the same rule.
 */
export function postedBy(change: MessageChange): ModeratedMessage | undefined {
  const { after, before } = change;
  if (after === undefined || after.moderation === 'pending') return undefined;
  if (change.eventName === 'INSERT') return after;
  if (change.eventName === 'MODIFY' && before?.moderation === 'pending') return after;
  return undefined;
}

/**
 * The `message.posted` event of a message the messages stream reports
 * posted: a person's, stored moderated; an agent's reply, once moderation
 * decided it. Its id is the message's id, so a retried batch republishes the
 * same id. The text goes along only when the room shares text, and did
 * when the message was posted (`shareMessageTextInEvents` and its
 * `Since`), and the message is readable: a quarantined, blocked or hidden
 * message never carries it.
 *
 * @example
 * eventOfPostedMessage(message, room); // { type: 'message.posted', data: { messageId, length, ... } }
 */
export function eventOfPostedMessage(message: ModeratedMessage, room: Room | undefined): DomainEvent<'message.posted'> {
  const shareText = room !== undefined && sharesTextPostedAt(room, message.createdAt) && isReadable(message);
  return {
    id: message.messageId,
    type: 'message.posted',
    version: EVENT_VERSION['message.posted'],
    occurredAt: message.createdAt,
    roomId: message.roomId,
    actor: { type: ACTOR_OF_SENDER[message.senderType], id: message.senderId },
    data: {
      messageId: message.messageId,
      senderId: message.senderId,
      senderType: ACTOR_OF_SENDER[message.senderType],
      length: [...message.text].length,
      ...(shareText ? { text: message.text } : {}),
    },
  };
}
