import type { ChatMessage } from './protocol';
import { t } from './i18n';

/**
 * Messages that arrived since the reader last saw the newest one: what the
 * "jump to newest" button and the tab title count. Others' messages only:
 * one's own never need catching up on.
 */
export function unseenAfter(messages: readonly ChatMessage[], seenThrough: string | undefined, userId: string): number {
  if (seenThrough === undefined) return 0;
  let count = 0;
  // Messages are sorted by id: walk back from the newest until the seen one.
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i] as ChatMessage;
    if (message.messageId <= seenThrough) break;
    if (message.senderId !== userId) count += 1;
  }
  return count;
}

/** The tab's title: "(3) Lobby · Parley" with unseen messages, "Lobby · Parley" without, "Parley" with no room open. */
export function tabTitle(roomName: string | undefined, unseen: number): string {
  const base = roomName === undefined ? t().app.brand : `${roomName} · ${t().app.brand}`;
  return unseen > 0 ? `(${unseen > 99 ? '99+' : unseen}) ${base}` : base;
}
