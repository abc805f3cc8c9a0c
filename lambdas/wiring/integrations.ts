import { UnauthorizedError } from '../domain/errors';
import type { ApiKeyEdge } from '../shared/http-action';

/**
 * The HTTP API's wiring: how its edge checks API keys and counts their
 * requests, from the integrations table the function is granted.
 */
export const apiKeyEdge = (): ApiKeyEdge => ({
  authenticate: async () => {
    throw new UnauthorizedError('API keys are not accepted yet.');
  },
  admit: async () => ({ allowed: false, limit: 0, remaining: 0, resetSeconds: 60 }),
});
