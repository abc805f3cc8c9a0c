/**
 * Key design of the integrations table: what lets machines reach a room,
 * in a table of its own so only the HTTP API and webhook functions are
 * granted it. One partition per room:
 *
 *   <roomId>  KEY#<keyId>                           an API key: name, scopes, hash of its secret, creator, last use, revocation
 *   <roomId>  USAGE#<keyId>#<window>                a key's request count in one rate or quota window (expires after it)
 *   <roomId>  WEBHOOK#<webhookId>                   a webhook: target URL, event types, signing secret, state
 *   <roomId>  DELIVERY#<webhookId>#<time>#<eventId> one delivery attempt's outcome (expires after the delivery log's days)
 *
 * An API key carries its room and key id in clear, so a request's key is
 * found with one GetItem and checked against the stored hash.
 */
export const INTEGRATIONS_TABLE = {
  partitionKey: 'roomId',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
} as const;

export const INTEGRATIONS_ENTITY = {
  apiKey: 'apiKey',
  usage: 'apiKeyUsage',
  webhook: 'webhook',
  delivery: 'webhookDelivery',
} as const;

export const integrationsKeys = {
  apiKeyPrefix: 'KEY#',
  apiKey: (keyId: string): string => `KEY#${keyId}`,
  usage: (keyId: string, window: string): string => `USAGE#${keyId}#${window}`,
  webhookPrefix: 'WEBHOOK#',
  webhook: (webhookId: string): string => `WEBHOOK#${webhookId}`,
  deliveriesOf: (webhookId: string): string => `DELIVERY#${webhookId}#`,
  delivery: (webhookId: string, at: string, eventId: string): string => `DELIVERY#${webhookId}#${at}#${eventId}`,
} as const;
