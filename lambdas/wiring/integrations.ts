import { DynamoApiKeyStore } from '../adapters/dynamodb/api-key-store';
import type { ApiKeyStore } from '../domain/integrations/api-keys';
import type { ApiKeyEdge } from '../shared/http-action';
import { admitApiKeyRequest, authenticateApiKey } from '../use-cases/integrations/check-api-key';
import type { ApiKeyDeps } from '../use-cases/integrations/manage-api-keys';
import type { SendMessageDeps } from '../use-cases/send-message';
import { DEFAULT_MAX_TEXT_BYTES } from '../domain/text';
import {
  auditLog,
  connectionGateway,
  connectionRepository,
  messageRepository,
  nextId,
  rateLimiter,
  roomRepository,
  sendContextReader,
  systemClock,
} from './chat';
import { dynamoDocumentClient } from './clients';
import { ENV, INTEGRATIONS_ENV, intEnv, requireEnv } from './env';
import { fanOutDeps } from './fan-out';
import { agentRoster, extraDetectors, moderationSettings, originalTexts } from './moderation';
import { retentionLookup } from './retention';

/**
 * The HTTP API's wiring: the API key store on the integrations table, how
 * the edge checks keys and counts their requests, and what the key
 * routes need. Handlers call these once, at cold start.
 */
export const apiKeyStore = (): ApiKeyStore => new DynamoApiKeyStore(dynamoDocumentClient(), requireEnv(INTEGRATIONS_ENV.table));

/** What the edge (lambdas/shared/http-action.ts) checks API keys with. */
export const apiKeyEdge = (keys: ApiKeyStore = apiKeyStore()): ApiKeyEdge => ({
  authenticate: (token) => authenticateApiKey({ keys, clock: systemClock }, token),
  admit: (key) => admitApiKeyRequest({ keys, clock: systemClock }, key),
});

/** The key routes' dependencies: rooms for ownership, the store, the audit trail and the rate bounds. */
export const apiKeyDeps = (keys: ApiKeyStore = apiKeyStore()): ApiKeyDeps => ({
  rooms: roomRepository(),
  keys,
  audit: auditLog(),
  clock: systemClock,
  nextId,
  defaultRatePerMinute: intEnv(INTEGRATIONS_ENV.apiKeyRatePerMinute, 60),
  maxRatePerMinute: intEnv(INTEGRATIONS_ENV.apiKeyMaxRatePerMinute, 600),
});

/**
 * What the HTTP API's message routes need to send as sendMessage does over
 * the socket: moderation before storage, retention, delivery and sharded
 * fan-out, from the same variables the SendMessage function gets.
 */
export const sendMessageDeps = (): SendMessageDeps => ({
  context: sendContextReader(),
  rooms: roomRepository(),
  messages: messageRepository(),
  retention: retentionLookup(),
  connections: connectionRepository(),
  gateway: connectionGateway(),
  settings: moderationSettings(),
  agents: agentRoster(),
  detectors: extraDetectors(),
  originals: originalTexts(),
  rateLimiter: rateLimiter(),
  clock: systemClock,
  nextId,
  maxTextBytes: intEnv(ENV.maxTextBytes, DEFAULT_MAX_TEXT_BYTES),
  fanOut: fanOutDeps(),
});
