import { ROOMS_TABLE } from '../lambdas/adapters/dynamodb/schema';
import { ENV, INTEGRATIONS_ENV } from '../lambdas/wiring/env';
import { bindFanOutProducer } from './fan-out-functions';
import { bindMessageRetention } from './retention-functions';
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
  {
    id: 'HttpMessages',
    handlerFile: 'http-messages',
    description: 'HTTP API: posts a message (moderated and delivered as a person’s) and pages through history',
    routes: [],
    httpRoutes: [
      { method: 'POST', path: '/v1/rooms/{roomId}/messages' },
      { method: 'GET', path: '/v1/rooms/{roomId}/messages' },
    ],
    bind: (fn, context) => {
      const { data, api, stage, config } = context;
      bindHttpEdge(fn, context);
      // As SendMessage (realtime-functions.ts) without edits: BatchGetItem reads a sender's membership
      // with the room's moderation settings; GetItem the room; Query its agents.
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem', 'BatchGetItem', 'Query'] });
      // PutItem: a message with its idempotency marker (one transaction); GetItem: a retried one; Query: history.
      fn.bindMessagesTable(data.messagesTable, { actions: ['PutItem', 'GetItem', 'Query'] });
      // A redacted message's original, kept for moderators.
      fn.bindModerationTable(data.moderationTable, { actions: ['PutItem'] });
      if (config.moderationGuardrailId !== undefined) {
        fn.bindModerationGuardrail({ id: config.moderationGuardrailId, version: config.moderationGuardrailVersion });
      }
      // UpdateItem: a user's message rate; Query: who to deliver to; DeleteItem/BatchWriteItem: connections found gone.
      fn.bindConnectionsTable(data.connectionsTable, { actions: ['Query', 'GetItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'] });
      fn.bindManagementApi(api, stage);
      fn.setEnvironment({
        [ENV.maxTextBytes]: config.maxTextBytes,
        [ENV.rateLimitPerSecond]: config.rateLimitPerSecond,
        [ENV.rateLimitBurst]: config.rateLimitBurst,
      });
      bindMessageRetention(fn, config);
      bindFanOutProducer(fn, context);
    },
  },
  {
    id: 'HttpKeys',
    handlerFile: 'http-keys',
    description: 'HTTP API: a room’s API keys, for its owner',
    routes: [],
    httpRoutes: [
      { method: 'POST', path: '/v1/rooms/{roomId}/keys' },
      { method: 'GET', path: '/v1/rooms/{roomId}/keys' },
      { method: 'DELETE', path: '/v1/rooms/{roomId}/keys/{keyId}' },
    ],
    bind: (fn, context) => {
      const { data, config } = context;
      bindIdTokenVerification(fn, context);
      // GetItem: the owner's membership and the room.
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem'] });
      // PutItem: a new key; Query: the room's keys; GetItem/UpdateItem: revoking one.
      fn.bindIntegrationsTable(data.integrationsTable, { actions: ['PutItem', 'Query', 'GetItem', 'UpdateItem'] });
      // Created and revoked keys go to the audit trail, which is append-only.
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
      // The owner's action budget, shared with their socket actions, is bound by the stack (bindActionBudget).
      fn.setEnvironment({
        [INTEGRATIONS_ENV.apiKeyRatePerMinute]: config.apiKeyRatePerMinute,
        [INTEGRATIONS_ENV.apiKeyMaxRatePerMinute]: config.apiKeyMaxRatePerMinute,
      });
    },
  },
];
