import { isReadable, type MessageChange, type ModeratedMessage } from '../message';
import type { RememberedMessage } from './types';

/** What room memory does with a change. */
export type MemoryChange =
  | { readonly kind: 'remember'; readonly message: RememberedMessage; readonly sequence: string }
  | { readonly kind: 'forget'; readonly roomId: string; readonly messageId: string; readonly sequence: string }
  | { readonly kind: 'ignore' };

const toRemembered = (message: ModeratedMessage): RememberedMessage => ({
  roomId: message.roomId,
  messageId: message.messageId,
  senderName: message.senderName,
  senderType: message.senderType,
  senderId: message.senderId,
  text: message.text,
  createdAt: message.createdAt,
});

/**
 * Decides what memory does with a change of the messages table. It applies,
 * in code, the rule the event source mapping's filter applies (`isReadable`),
 * so text that is not readable is never remembered even if the filter were
 * loosened:
 * - a message that becomes readable (allowed or redacted, not hidden) is
 *   remembered, with its new text (the redacted text for a redacted message);
 * - a remembered message that stops being readable (quarantined, blocked,
 *   hidden) or is deleted (including by TTL) is forgotten;
 * - a change that leaves a readable message's text as it was (a deleted
 *   room's purge moving its expiry) is ignored: there is nothing new to
 *   remember, and remembering it again could bring back memory the purge
 *   removed;
 * - anything else is ignored.
 */
export function memoryChangeOf(change: MessageChange): MemoryChange {
  const { eventName, before, after, sequence } = change;
  if (
    eventName === 'MODIFY' &&
    before !== undefined &&
    after !== undefined &&
    isReadable(before) &&
    isReadable(after) &&
    before.text === after.text
  ) {
    return { kind: 'ignore' };
  }
  if ((eventName === 'INSERT' || eventName === 'MODIFY') && after !== undefined && isReadable(after)) {
    return { kind: 'remember', message: toRemembered(after), sequence };
  }
  const gone =
    (eventName === 'REMOVE' && before !== undefined) ||
    (eventName === 'MODIFY' && before !== undefined && isReadable(before) && after !== undefined);
  if (gone && before !== undefined) {
    return { kind: 'forget', roomId: before.roomId, messageId: before.messageId, sequence };
  }
  return { kind: 'ignore' };
}

/**
 * Orders two stream sequence numbers (decimal strings of up to 40 digits,
 * too long for a double): negative when `a` comes first.
 */
export function compareSequence(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}
