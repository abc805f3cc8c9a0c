import type { RateLimit } from '../rate-limit';

/**
 * Typing notices: never stored, sent to the room's other members, shown for
 * TYPING_EXPIRES_MS unless a newer one renews it. A client sends one at most
 * every TYPING_RESEND_MS while its person types.
 */
export const TYPING_EXPIRES_MS = 6_000;

/** How often a client repeats a typing notice while its person keeps typing. */
export const TYPING_RESEND_MS = 3_000;

/**
 * Per person and room: a burst of 3, then one every 2 seconds. A client
 * that follows TYPING_RESEND_MS never meets it; a client that sends on
 * every keystroke is refused after the third.
 */
export const TYPING_LIMIT: RateLimit = { perSecond: 0.5, burst: 3 };

/** The rate-limit key of a person typing in a room. */
export const typingKey = (roomId: string, userId: string): string => `TYPING#${roomId}#${userId}`;
