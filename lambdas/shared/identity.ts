import { UnauthorizedError } from '../domain/errors';
import type { Identity } from '../domain/types';

/**
 * The caller's identity as the $connect authorizer put it in the request
 * context; API Gateway repeats it on every route of the connection.
 */
export function identityOf(requestContext: unknown): Identity {
  const authorizer = (requestContext as { authorizer?: Record<string, unknown> } | undefined)?.authorizer;
  const userId = authorizer?.['userId'];
  const displayName = authorizer?.['displayName'];
  if (typeof userId !== 'string' || userId === '') throw new UnauthorizedError();
  return { userId, displayName: typeof displayName === 'string' && displayName !== '' ? displayName : userId };
}
