import { randomBytes } from 'node:crypto';
import { NotFoundError, PermissionError, RateLimitedError } from '../../domain/errors';
import {
  GUEST_ID_PREFIX,
  GUEST_TOKEN_TTL_SECONDS,
  guestAccessOf,
  guestName,
  type GuestTokenSigner,
  type GuestTokenVerifier,
} from '../../domain/guests';
import type { Clock, RateLimiter, RoomRepository } from '../../domain/ports';
import { requireLiveRoom } from '../access';

export interface IssueGuestTokenDeps {
  readonly rooms: RoomRepository;
  readonly tokens: GuestTokenSigner & GuestTokenVerifier;
  /** Guest tokens per source address. */
  readonly ipLimiter: RateLimiter;
  /** Guest tokens per room. */
  readonly roomLimiter: RateLimiter;
  readonly clock: Clock;
  /** The WebSocket URL handed to the guest. */
  readonly wsUrl: string;
  /** A fresh guest id's random part. */
  readonly randomId?: () => string;
}

export interface GuestTokenRequest {
  readonly roomId: string;
  readonly displayName: string;
  readonly sourceIp: string;
  /** The guest's current token for the same room, to renew it: the guest keeps their id. */
  readonly renew?: string | undefined;
}

export interface GuestToken {
  readonly token: string;
  /** ISO-8601. */
  readonly expiresAt: string;
  readonly wsUrl: string;
  readonly canPost: boolean;
  readonly room: { readonly id: string; readonly name: string };
}

const defaultRandomId = (): string => randomBytes(12).toString('base64url');

/**
 * A guest token for a room that lets guests in: a public room whose
 * guestAccess is `read` or `post`. Checks run before anything is spent or
 * signed: the name, then the source address's rate limit (so probing room
 * ids costs the prober), then the room (unknown, private or deleted:
 * NOT_FOUND, so a private room's existence does not leak; guests off:
 * FORBIDDEN), then the room's rate limit. A renewal (`renew`: a token for
 * the same room that is still valid) keeps the guest's id, so their own
 * messages stay theirs across the refresh.
 *
 * @example
 * const { token, wsUrl } = await issueGuestToken(deps, { roomId, displayName: 'Ada', sourceIp });
 * new WebSocket(`${wsUrl}?token=${token}`);
 */
export async function issueGuestToken(deps: IssueGuestTokenDeps, request: GuestTokenRequest): Promise<GuestToken> {
  const name = guestName(request.displayName);
  if (!(await deps.ipLimiter.tryAcquire(`guest-ip#${request.sourceIp}`))) {
    throw new RateLimitedError('Too many guest tokens from this address; retry shortly.');
  }
  const room = await requireLiveRoom(deps.rooms, request.roomId).catch((error: unknown) => {
    throw error instanceof NotFoundError ? new NotFoundError(`Room "${request.roomId}" not found.`) : error;
  });
  if (room.visibility !== 'public') throw new NotFoundError(`Room "${request.roomId}" not found.`);
  const access = guestAccessOf(room);
  if (access === 'off') throw new PermissionError('This room does not let guests in.');

  let sub = `${GUEST_ID_PREFIX}${(deps.randomId ?? defaultRandomId)()}`;
  if (request.renew !== undefined) {
    const current = await deps.tokens.verify(request.renew).catch(() => {
      throw new PermissionError('The guest token to renew is not valid; ask for a new one.');
    });
    if (current.room !== room.roomId) throw new PermissionError('The guest token to renew is for another room.');
    sub = current.sub;
  }
  if (!(await deps.roomLimiter.tryAcquire(`guest-room#${room.roomId}`))) {
    throw new RateLimitedError('Too many guests are arriving in this room; retry shortly.');
  }
  const now = deps.clock.now();
  const exp = Math.floor(now / 1000) + GUEST_TOKEN_TTL_SECONDS;
  const token = await deps.tokens.sign({ sub, room: room.roomId, name, exp }, now);
  return {
    token,
    expiresAt: new Date(exp * 1000).toISOString(),
    wsUrl: deps.wsUrl,
    canPost: access === 'post',
    room: { id: room.roomId, name: room.name },
  };
}
