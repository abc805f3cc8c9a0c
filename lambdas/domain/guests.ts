import * as z from 'zod/mini';
import { displayNameProblem } from './display-name';
import { PermissionError, ValidationError } from './errors';
import { wireString } from './protocol-fields';
import type { GuestAccess, Room } from './types';

/**
 * Guests: people without an account who enter one public room through the
 * embeddable widget (docs/widget.md). A room chooses whether they may come
 * in (`guestAccess`); a guest token, signed by Parley and short-lived, lets
 * its holder connect to that one room only. docs/protocol.md, "Guests",
 * describes it for clients.
 */

/** The `iss` of every guest token: the authorizer tells guest tokens from user tokens by it. */
export const GUEST_ISSUER = 'parley-guest';
/** How long a guest token (and the guest's membership) lasts. */
export const GUEST_TOKEN_TTL_SECONDS = 30 * 60;
/** Every guest's user id starts with it, so a guest is recognisable anywhere an id is. */
export const GUEST_ID_PREFIX = 'guest-';
/** The longest name a guest may choose, in characters (before the guest mark). */
export const GUEST_NAME_MAX = 40;
/** What marks a guest's name to everyone else. */
export const GUEST_MARK = ' (guest)';

/** A room lets no guests in unless its owner says so. */
export const GUEST_ACCESS_DEFAULT: GuestAccess = 'off';

/** What a room lets guests do now: nothing in a private (or deleted) room, whatever was stored. */
export const guestAccessOf = (room: Room): GuestAccess =>
  room.visibility === 'public' && room.deletedAt === undefined ? (room.guestAccess ?? GUEST_ACCESS_DEFAULT) : 'off';

/** Whether `userId` is a guest's. */
export const isGuestId = (userId: string): boolean => userId.startsWith(GUEST_ID_PREFIX);

/** The name a guest is shown by: the name chosen, marked as a guest's. */
export const guestDisplayName = (name: string): string => `${name.trim()}${GUEST_MARK}`;

/** A guest's chosen name, checked like any display name but shorter; ValidationError when unusable. */
export function guestName(name: string): string {
  const problem = displayNameProblem(name);
  if (problem !== undefined) throw new ValidationError(problem);
  const trimmed = name.trim();
  if ([...trimmed].length > GUEST_NAME_MAX) throw new ValidationError(`A guest name has at most ${GUEST_NAME_MAX} characters.`);
  return trimmed;
}

/** The body of a guest token request. */
export const guestTokenRequestSchema = z.object({
  displayName: wireString().check(z.maxLength(200)),
  /** The guest's current token, to renew it and stay the same guest. */
  renew: z.optional(wireString().check(z.maxLength(4096))),
});

/** What a guest token says, once verified. */
export interface GuestClaims {
  /** The guest's user id (GUEST_ID_PREFIX and a random part). */
  readonly sub: string;
  /** The one room the token admits to. */
  readonly room: string;
  /** The name the guest chose, unmarked. */
  readonly name: string;
  /** Epoch seconds. */
  readonly exp: number;
}

/** Signs and verifies guest tokens (a JWT signed by Parley with a secret only it holds). */
export interface GuestTokenSigner {
  /** A signed token for `claims`, issued at `nowMs`. */
  sign(claims: GuestClaims, nowMs: number): Promise<string>;
}

export interface GuestTokenVerifier {
  /** The token's claims; throws when it is malformed, forged, for another audience or expired. */
  verify(token: string): Promise<GuestClaims>;
}

/**
 * The actions a guest connection may send, each on its one room only:
 * reading the room and its history, posting (when the room allows it) and
 * keeping the connection alive. Everything else (rooms, people, settings,
 * moderation) is for people with an account.
 */
export const GUEST_ACTIONS: ReadonlySet<string> = new Set(['getRoom', 'getHistory', 'sendMessage', 'ping']);

/**
 * Throws unless a guest admitted to `guestRoomId` may send `action` about
 * `roomId` (undefined for actions about no room).
 */
export function assertGuestMay(guestRoomId: string, action: string, roomId: unknown): void {
  if (!GUEST_ACTIONS.has(action)) {
    throw new PermissionError(`Guests cannot use ${action}; sign in to do that.`);
  }
  if (roomId !== undefined && roomId !== guestRoomId) {
    throw new PermissionError('A guest may act only in the room their guest token is for.');
  }
}

/**
 * Throws unless the room lets guests post now: checked on every message, so
 * an owner turning guests to read-only takes effect at once.
 */
export function assertGuestMayPost(room: Room): void {
  if (guestAccessOf(room) !== 'post') throw new PermissionError('Guests can read this room but not post in it.');
}
