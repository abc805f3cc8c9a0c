import { UnauthorizedError } from '../domain/errors';
import type { HttpCaller } from '../domain/integrations/api-keys';
import type { Identity } from '../domain/types';
import { createHttpHandler } from '../shared/http-action';
import { createApiKey, listApiKeys, revokeApiKey } from '../use-cases/integrations/manage-api-keys';
import { actionRateLimiter } from '../wiring/chat';
import { apiKeyDeps, apiKeyStore } from '../wiring/integrations';

const deps = apiKeyDeps(apiKeyStore());

/** The key routes take a user's token only (HTTP_ROUTES); the edge refuses anything else before this. */
const userOf = (caller: HttpCaller): Identity => {
  if (caller.kind !== 'user') throw new UnauthorizedError();
  return caller.identity;
};

/** HTTP API: a room's API keys, for its owner: create (the secret answered once), list, revoke. */
export const handler = createHttpHandler(
  {
    createApiKey: async (caller, { params, body }) => ({
      status: 201,
      body: await createApiKey(deps, userOf(caller), { roomId: params.roomId, ...body }),
    }),
    listApiKeys: async (caller, { params }) => ({ status: 200, body: await listApiKeys(deps, userOf(caller), params.roomId) }),
    revokeApiKey: async (caller, { params }) => ({
      status: 200,
      body: await revokeApiKey(deps, userOf(caller), params.roomId, params.keyId),
    }),
  },
  { actionLimiter: actionRateLimiter() },
);
