import { cleanDisplayName, fallbackDisplayName, isGeneratedId } from './display-name';
import { UnauthorizedError } from './errors';
import { isBlank, isWellFormed } from './text';
import type { Identity } from './types';

/** The claims that may name a person, best first, each turned into a display name or rejected. */
const NAME_CLAIMS: ReadonlyArray<readonly [string, (value: string, sub: string) => string | undefined]> = [
  ['name', (v) => v],
  ['preferred_username', (v) => v],
  // Only the part before the @: room members see each other's names, not addresses.
  ['email', (v) => v.split('@')[0]],
  // With email as the sign-in name, Cognito's user name is a generated UUID.
  ['cognito:username', (v, sub) => (isGeneratedId(v) || v === sub ? undefined : v)],
];

/**
 * The identity a verified token speaks for: `sub` is the user id; the display
 * name is the first usable of `name`, `preferred_username`, `email` (its
 * local part) and `cognito:username` (unless it is a generated id), else a
 * short neutral name derived from the id ("User 3f9a1c"). A claim that is
 * not well-formed Unicode or shows nothing is passed over. A UUID is never
 * shown where a name or an email exists.
 */
export function identityFromClaims(claims: Record<string, unknown>): Identity {
  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub === '') throw new UnauthorizedError('The token has no subject.');
  if (!isWellFormed(sub)) throw new UnauthorizedError("The token's subject is not well-formed Unicode.");
  for (const [claim, pick] of NAME_CLAIMS) {
    const value = claims[claim];
    if (typeof value !== 'string' || !isWellFormed(value)) continue;
    const picked = pick(value, sub);
    const name = picked === undefined ? '' : cleanDisplayName(picked);
    if (!isBlank(name)) return { userId: sub, displayName: name };
  }
  return { userId: sub, displayName: fallbackDisplayName(sub) };
}
