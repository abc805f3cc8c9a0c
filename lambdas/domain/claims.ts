import { UnauthorizedError } from './errors';
import type { Identity } from './types';

const MAX_NAME = 64;

/**
 * The identity a verified token speaks for: `sub` is the user id; the display
 * name is the first of `name`, `preferred_username`, `cognito:username`,
 * `email` that is present, else the id.
 */
export function identityFromClaims(claims: Record<string, unknown>): Identity {
  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub === '') throw new UnauthorizedError('The token has no subject.');
  const name = ['name', 'preferred_username', 'cognito:username', 'email']
    .map((k) => claims[k])
    .find((v): v is string => typeof v === 'string' && v.trim() !== '');
  return { userId: sub, displayName: (name ?? sub).trim().slice(0, MAX_NAME) };
}
