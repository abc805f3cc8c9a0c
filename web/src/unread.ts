import { unreadAfter } from './presence-state';
import { timelineOf, type AppState } from './state';

/** A room's unread count as shown: exact, or a lower bound (`atLeast`) when older messages are not loaded. */
export interface UnreadCount {
  readonly count: number;
  readonly atLeast: boolean;
}

/**
 * A room's unread messages. With the server's read mark: messages from
 * others after it among those the client holds (exact once the room's
 * history reaches back to the mark). Without one (a room never marked):
 * the messages from others that arrived while the room was not on screen.
 */
export function unreadOf(state: AppState, roomId: string): UnreadCount {
  const lastRead = state.presence.lastRead.get(roomId);
  if (lastRead === undefined) return { count: state.unread.get(roomId) ?? 0, atLeast: false };
  const timeline = timelineOf(state, roomId);
  const unread = unreadAfter(timeline.messages, lastRead, state.me.userId);
  return timeline.history === 'complete' ? { count: unread.count, atLeast: false } : unread;
}

/** "3", or "3+" when there may be more. */
export const unreadText = ({ count, atLeast }: UnreadCount): string => `${count}${atLeast ? '+' : ''}`;

/** The newest message of a room the client holds (sent ones only): what reading to the bottom marks. */
export const newestMessageId = (state: AppState, roomId: string): string | undefined =>
  timelineOf(state, roomId).messages.at(-1)?.messageId;
