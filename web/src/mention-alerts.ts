import { mentionsReader } from './own-messages';
import type { ChatMessage } from './protocol';

/**
 * Which messages deserve a desktop notification: those that mention the
 * reader (by the mentions Parley stored), from someone else, newer than the
 * newest message already looked at, so history loading or catching up on
 * old mentions never rings.
 */
export function mentionsToNotify(messages: readonly ChatMessage[], after: string, userId: string): ChatMessage[] {
  const found: ChatMessage[] = [];
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i] as ChatMessage;
    if (message.messageId <= after) break;
    if (message.senderId !== userId && mentionsReader(message, userId)) found.unshift(message);
  }
  return found;
}

/** A notification's body: the start of the text, on one line. */
export const notificationBody = (text: string, max = 140): string => {
  const line = [...text.replace(/\s+/g, ' ').trim()];
  // Whole code points, never half an emoji.
  return line.length <= max ? line.join('') : `${line.slice(0, max - 1).join('')}…`;
};
