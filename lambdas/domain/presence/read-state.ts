import { isMessageId, timeOfId } from '../ids';

/** A member's last-read message in a room: the newest message they have seen. */
export interface ReadState {
  readonly roomId: string;
  readonly messageId: string;
  /** When it was last moved (ISO 8601). */
  readonly readAt: string;
}

/** How far ahead of the server's clock a message id's time may be (clocks differ a little). */
export const READ_CLOCK_SKEW_MS = 60_000;

/**
 * Whether `messageId` can name a message of now or before: shaped like a
 * message id and not from the future. A read mark is never moved backwards,
 * so a mark on an id from the future would freeze the member's read state;
 * it is refused instead.
 */
export const isReadableMessageId = (messageId: string, nowMs: number): boolean =>
  isMessageId(messageId) && timeOfId(messageId) <= nowMs + READ_CLOCK_SKEW_MS;

/** Message ids sort by time as strings: `a` is later than `b`. */
export const isLaterMessage = (a: string, b: string | undefined): boolean => b === undefined || a > b;
