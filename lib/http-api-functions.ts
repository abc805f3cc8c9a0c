import { ROOMS_TABLE } from '../lambdas/adapters/dynamodb/schema';
import { INTEGRATIONS_ENV } from '../lambdas/wiring/env';
import { bindIdTokenVerification, type BindContext, type FunctionSpec } from './function-spec';
import type { ParleyFunction } from './constructs/parley-function';

const { byUserIndex } = ROOMS_TABLE;

/**
 * What every HTTP API function needs at its edge (lambdas/shared/http-action.ts):
 * user tokens verified as the WebSocket authorizer does, and API keys read
 * (GetItem), their last use recorded (UpdateItem) and their rate and quota
 * counted (UpdateItem on expiring USAGE# items) in the integrations table.
 */
export function bindHttpEdge(fn: ParleyFunction, context: BindContext): void {
  bindIdTokenVerification(fn, context);
  fn.bindIntegrationsTable(context.data.integrationsTable, { actions: ['GetItem', 'UpdateItem'] });
  fn.setEnvironment({
    [INTEGRATIONS_ENV.apiKeyRatePerMinute]: context.config.apiKeyRatePerMinute,
    [INTEGRATIONS_ENV.apiKeyMaxRatePerMinute]: context.config.apiKeyMaxRatePerMinute,
  });
}

/**
 * The HTTP API's functions (docs/http-api.md): each row serves `httpRoutes`,
 * declared with their schemas in HTTP_ROUTES (lambdas/domain/http-protocol.ts).
 */
export const HTTP_API_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'HttpRooms',
    handlerFile: 'http-rooms',
    description: 'HTTP API: the rooms a user or an API key reaches',
    routes: [],
    httpRoutes: [{ method: 'GET', path: '/v1/rooms' }],
    bind: (fn, context) => {
      bindHttpEdge(fn, context);
      // GetItem: an API key's room; Query on byUser: a user's rooms.
      fn.bindRoomsTable(context.data.roomsTable, { actions: ['GetItem'], queryIndexes: [byUserIndex.name] });
    },
  },
];
