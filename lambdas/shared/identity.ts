import { SessionExpiredError, UnauthorizedError } from '../domain/errors';
import type { Identity } from '../domain/types';

/** What the $connect authorizer returned as context, repeated on every route of the connection. */
const authorizerOf = (requestContext: unknown): Record<string, unknown> | undefined =>
  (requestContext as { authorizer?: Record<string, unknown> } | undefined)?.authorizer;

/**
 * The caller's identity as the $connect authorizer put it in the request
 * context; API Gateway repeats it on every route of the connection.
 */
export function identityOf(requestContext: unknown): Identity {
  const authorizer = authorizerOf(requestContext);
  const userId = authorizer?.['userId'];
  const displayName = authorizer?.['displayName'];
  if (typeof userId !== 'string' || userId === '') throw new UnauthorizedError();
  return { userId, displayName: typeof displayName === 'string' && displayName !== '' ? displayName : userId };
}

/**
 * Refuses a request on a connection whose token has expired since it
 * opened: the authorizer records the token's `exp` (epoch seconds) as
 * `expiresAt`, a number or, as some integrations pass context, a numeric
 * string. A connection without it (none recorded) is not limited.
 */
export function assertSessionLive(requestContext: unknown, nowMs: number): void {
  const authorizer = authorizerOf(requestContext);
  const expiresAt = Number(authorizer?.['expiresAt'] ?? Number.NaN);
  if (Number.isFinite(expiresAt) && nowMs >= expiresAt * 1000) throw new SessionExpiredError();
}

/**
 * The room a guest connection was admitted to (the authorizer's
 * `guestRoomId`), or undefined for a signed-in user's connection.
 */
export function guestRoomOf(requestContext: unknown): string | undefined {
  const guestRoomId = authorizerOf(requestContext)?.['guestRoomId'];
  return typeof guestRoomId === 'string' && guestRoomId !== '' ? guestRoomId : undefined;
}
