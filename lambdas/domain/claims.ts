import { UnauthorizedError } from './errors';
import { isBlank, isWellFormed } from './text';
import type { Identity } from './types';

const MAX_NAME = 64;

/**
 * The identity a verified token speaks for: `sub` is the user id; the display
 * name is the first of `name`, `preferred_username`, `cognito:username`,
 * `email` that is present, well-formed and not blank, else the id.
 */
export function identityFromClaims(claims: Record<string, unknown>): Identity {
  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub === '') throw new UnauthorizedError('The token has no subject.');
  if (!isWellFormed(sub)) throw new UnauthorizedError("The token's subject is not well-formed Unicode.");
  const name = ['name', 'preferred_username', 'cognito:username', 'email']
    .map((k) => claims[k])
    .find((v): v is string => typeof v === 'string' && isWellFormed(v) && !isBlank(v));
  return { userId: sub, displayName: capped((name ?? sub).trim()) };
}

/** At most MAX_NAME UTF-16 units, never ending in half of a surrogate pair. */
const capped = (name: string): string => {
  const cut = name.slice(0, MAX_NAME);
  return isWellFormed(cut) ? cut : cut.slice(0, -1);
};
