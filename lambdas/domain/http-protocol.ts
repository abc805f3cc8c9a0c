import * as z from 'zod/mini';
import { DOMAIN_EVENT_TYPES, type DomainEventType } from './events/domain-events';
import type { ApiKeyScope } from './integrations/api-keys';
import {
  DELIVERY_PAGE_SIZE,
  MAX_WEBHOOK_DESCRIPTION_LENGTH,
  MAX_WEBHOOK_URL_LENGTH,
} from './integrations/webhooks';
import type { Admission } from './protocol';
import { API_KEY_SCOPES, MAX_DAILY_QUOTA, MAX_KEY_NAME_LENGTH } from './integrations/api-keys';
import { SENDER_TYPES } from './message';
import { guestTokenRequestSchema } from './guests';
import { MAX_TEXT_BYTES_CEILING } from './text';
import { id, messageId, pageCursor, visibleString, wireString } from './protocol-fields';
import { ROLES, VISIBILITIES } from './types';

/**
 * The HTTP API for machine clients: every route, its authentication, the
 * schemas of its path parameters, query and JSON body, and of its answers.
 * The edge (lambdas/shared/http-action.ts) validates requests with these
 * schemas, the CDK stack routes the paths (lib/http-api-functions.ts), and
 * the API's OpenAPI document is generated from this same table.
 * docs/http-api.md describes it with examples.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** Who may call a route: a user with their ID token, or an API key of the route's room. */
export type HttpAuth = 'user' | 'key';

/** Any zod (mini) schema: the table's entries keep their exact types through `satisfies`. */
type Schema = z.ZodMiniType;

export interface HttpRoute {
  readonly method: HttpMethod;
  /** API Gateway's path template, e.g. `/v1/rooms/{roomId}/messages`. */
  readonly path: string;
  readonly summary: string;
  /** Who may call it; empty for a public route, which anyone may call with no credentials. */
  readonly auth: readonly HttpAuth[];
  /**
   * How a user's request is admitted, as a WebSocket action's is
   * (protocol.ts: ACTION_ADMISSION): `change` spends the user's action
   * budget at the edge, `own` a budget its use case spends, `read` none.
   * An API key's requests all count against its own rate and quota.
   */
  readonly admission: Admission;
  /** The scopes an API key needs (every one listed); user callers are checked by the use case. */
  readonly scopes?: readonly ApiKeyScope[];
  readonly params?: Schema;
  readonly query?: Schema;
  readonly body?: Schema;
  /** The answers by status code; error answers share `httpErrorSchema`. */
  readonly responses: { readonly [status: number]: Schema };
}

/** How a route is named in API Gateway and in the event it sends: `GET /v1/rooms`. */
export const routeKeyOf = (route: Pick<HttpRoute, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/** The error codes an HTTP caller may meet, each with one status. */
export const HTTP_ERROR_STATUS = {
  VALIDATION: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** A webhook's target Parley will not call (docs/webhooks.md, "Targets"). */
  WEBHOOK_TARGET_INVALID: 400,
} as const;
export type HttpErrorCode = keyof typeof HTTP_ERROR_STATUS;

/** Every error answer: `{ "error": { "code", "message", "issues"? } }`. */
export const httpErrorSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(HTTP_ERROR_STATUS) as [HttpErrorCode, ...HttpErrorCode[]]),
    message: z.string(),
    issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  }),
});

/** A page size in a query string: digits only, 1 to `max`, `fallback` when absent. */
const limitParam = (max: number, fallback: number) =>
  z._default(
    z.pipe(
      z.string().check(z.regex(/^\d{1,4}$/, 'a whole number')),
      z.transform((raw) => Number(raw)),
    ).check(z.refine((n: number) => n >= 1 && n <= max, `between 1 and ${max}`)),
    fallback,
  );

const roomSchema = z.object({
  roomId: z.string(),
  name: z.string(),
  visibility: z.enum(VISIBILITIES),
  ownerId: z.string(),
  createdAt: z.string(),
  topic: z.optional(z.string()),
  role: z.optional(z.enum(ROLES)),
});

const eventTypes = DOMAIN_EVENT_TYPES as [DomainEventType, ...DomainEventType[]];
/** A webhook's id as Parley makes it (ids.ts). */
const webhookId = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'not a webhook id'));
const webhookParams = z.object({ roomId: id, webhookId });
const webhookSchema = z.object({
  webhookId: z.string(),
  roomId: z.string(),
  url: z.string(),
  events: z.array(z.enum(eventTypes)),
  description: z.optional(z.string()),
  createdBy: z.string(),
  createdAt: z.string(),
  disabledAt: z.optional(z.string()),
  disabledReason: z.optional(z.string()),
});
const deliveryAttemptSchema = z.object({
  webhookId: z.string(),
  eventId: z.string(),
  eventType: z.enum(eventTypes),
  attempt: z.number(),
  attemptedAt: z.string(),
  statusCode: z.optional(z.number()),
  errorClass: z.optional(z.string()),
  durationMs: z.number(),
  nextAttemptAt: z.optional(z.string()),
  outcome: z.enum(['delivered', 'retrying', 'deadLettered', 'disabled']),
});
/** Text without control characters or bidirectional overrides: a description shows as one plain line, as written. */
const plainText = (max: number) =>
  wireString().check(
    z.trim(),
    z.maxLength(max),
    z.refine((value: string) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(value), 'must be plain text without control characters'),
  );
const inRoom = z.object({ roomId: id });

/** A message as the HTTP API answers it: the WebSocket protocol's message, moderation state included. */
const messageSchema = z.object({
  roomId: z.string(),
  messageId: z.string(),
  senderId: z.string(),
  senderName: z.string(),
  senderType: z.enum(SENDER_TYPES),
  text: z.string(),
  clientMessageId: z.optional(z.string()),
  createdAt: z.string(),
  moderation: z.optional(z.string()),
  editedAt: z.optional(z.string()),
});

/** An API key as its owner sees it: never its secret or the secret's hash. */
const apiKeySchema = z.object({
  roomId: z.string(),
  keyId: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  ratePerMinute: z.number(),
  dailyQuota: z.optional(z.number()),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.optional(z.string()),
  revokedAt: z.optional(z.string()),
});

export const HTTP_ROUTES = {
  listRooms: {
    method: 'GET',
    path: '/v1/rooms',
    summary: "A user's rooms, newest first, by page; an API key's one room",
    auth: ['user', 'key'],
    admission: 'read',
    query: z.object({ cursor: pageCursor(1024), limit: limitParam(100, 50) }),
    responses: { 200: z.object({ rooms: z.array(roomSchema), nextCursor: z.optional(z.string()) }) },
  },
  createWebhook: {
    method: 'POST',
    path: '/v1/rooms/{roomId}/webhooks',
    summary: 'Creates a webhook for the room (its owner only); the answer holds its signing secret, shown this once',
    auth: ['user'],
    admission: 'change',
    params: z.object({ roomId: id }),
    body: z.strictObject({
      url: wireString().check(z.minLength(1), z.maxLength(MAX_WEBHOOK_URL_LENGTH)),
      events: z.optional(z.array(z.enum(eventTypes)).check(z.minLength(1), z.maxLength(DOMAIN_EVENT_TYPES.length))),
      description: z.optional(plainText(MAX_WEBHOOK_DESCRIPTION_LENGTH)),
    }),
    responses: { 201: z.object({ webhook: webhookSchema, secret: z.string() }) },
  },
  listWebhooks: {
    method: 'GET',
    path: '/v1/rooms/{roomId}/webhooks',
    summary: "The room's webhooks, oldest first, without their secrets (its owner only)",
    auth: ['user'],
    admission: 'read',
    params: z.object({ roomId: id }),
    responses: { 200: z.object({ webhooks: z.array(webhookSchema) }) },
  },
  deleteWebhook: {
    method: 'DELETE',
    path: '/v1/rooms/{roomId}/webhooks/{webhookId}',
    summary: 'Deletes a webhook (the room owner only); jobs already queued for it are dropped',
    auth: ['user'],
    admission: 'change',
    params: webhookParams,
    responses: { 204: z.undefined() },
  },
  rotateWebhookSecret: {
    method: 'POST',
    path: '/v1/rooms/{roomId}/webhooks/{webhookId}/rotate-secret',
    summary: 'Gives a webhook a new signing secret, returned this once; the old one stops signing at once',
    auth: ['user'],
    admission: 'change',
    params: webhookParams,
    responses: { 200: z.object({ secret: z.string() }) },
  },
  listWebhookDeliveries: {
    method: 'GET',
    path: '/v1/rooms/{roomId}/webhooks/{webhookId}/deliveries',
    summary: "A webhook's delivery attempts, newest first, by page (the room owner only); kept 14 days",
    auth: ['user'],
    admission: 'read',
    params: webhookParams,
    query: z.object({ cursor: pageCursor(300), limit: limitParam(DELIVERY_PAGE_SIZE, DELIVERY_PAGE_SIZE) }),
    responses: { 200: z.object({ deliveries: z.array(deliveryAttemptSchema), nextCursor: z.optional(z.string()) }) },
  },
  postMessage: {
    method: 'POST',
    path: '/v1/rooms/{roomId}/messages',
    summary: 'Post a message to the room, moderated and delivered as a person’s is',
    auth: ['user', 'key'],
    // A user's message spends their message rate in sendMessage; a key's its own rate at the edge.
    admission: 'own',
    scopes: ['post'],
    params: inRoom,
    body: z.object({
      // The configured byte limit is the use case's. No deployment accepts more bytes than the ceiling,
      // and a character is at least one byte, so longer text is refused here, where the spec can say so.
      text: wireString().check(z.minLength(1), z.maxLength(MAX_TEXT_BYTES_CEILING)),
      /** Makes a retried POST idempotent: the same id answers the message stored first. */
      clientMessageId: z.optional(wireString().check(z.minLength(1), z.maxLength(64))),
    }),
    responses: {
      201: z.object({ message: messageSchema, duplicate: z.boolean() }),
      200: z.object({ message: messageSchema, duplicate: z.boolean() }),
    },
  },
  getMessages: {
    method: 'GET',
    path: '/v1/rooms/{roomId}/messages',
    summary: 'A page of the room’s history, as the WebSocket getHistory answers it',
    auth: ['user', 'key'],
    admission: 'read',
    scopes: ['read'],
    params: inRoom,
    query: z.object({
      cursor: z.optional(messageId),
      limit: limitParam(100, 50),
      direction: z._default(z.enum(['backward', 'forward']), 'backward'),
    }),
    responses: { 200: z.object({ roomId: z.string(), items: z.array(messageSchema), nextCursor: z.optional(z.string()) }) },
  },
  createApiKey: {
    method: 'POST',
    path: '/v1/rooms/{roomId}/keys',
    summary: 'Create an API key for the room (owner only); its secret is answered once',
    auth: ['user'],
    admission: 'change',
    params: inRoom,
    body: z.object({
      name: visibleString(MAX_KEY_NAME_LENGTH),
      scopes: z.array(z.enum(API_KEY_SCOPES)).check(z.minLength(1), z.maxLength(API_KEY_SCOPES.length)),
      ratePerMinute: z.optional(z.int().check(z.minimum(1))),
      dailyQuota: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_DAILY_QUOTA))),
    }),
    responses: { 201: z.object({ key: apiKeySchema, secret: z.string() }) },
  },
  listApiKeys: {
    method: 'GET',
    path: '/v1/rooms/{roomId}/keys',
    summary: 'The room’s API keys with their last use (owner only); never a secret',
    auth: ['user'],
    admission: 'read',
    params: inRoom,
    responses: { 200: z.object({ keys: z.array(apiKeySchema) }) },
  },
  revokeApiKey: {
    method: 'DELETE',
    path: '/v1/rooms/{roomId}/keys/{keyId}',
    summary: 'Revoke one of the room’s API keys (owner only)',
    auth: ['user'],
    admission: 'change',
    params: z.object({ roomId: id, keyId: id }),
    responses: { 200: z.object({ key: apiKeySchema }) },
  },
  issueGuestToken: {
    method: 'POST',
    path: '/v1/rooms/{roomId}/guest-tokens',
    summary:
      'A 30-minute guest token for a public room that lets guests in (the embeddable widget, docs/widget.md); no credentials, limited per address and per room',
    auth: [],
    // Its own limits, per address and per room, are the use case's (issue-guest-token.ts).
    admission: 'own',
    params: inRoom,
    body: guestTokenRequestSchema,
    responses: {
      201: z.object({
        token: z.string(),
        expiresAt: z.string(),
        wsUrl: z.string(),
        canPost: z.boolean(),
        room: z.object({ id: z.string(), name: z.string() }),
      }),
    },
  },
} as const satisfies Record<string, HttpRoute>;

export type HttpRouteName = keyof typeof HTTP_ROUTES;
/** The validated input of a route: what its schemas output. */
export type HttpInputOf<N extends HttpRouteName> = {
  readonly params: (typeof HTTP_ROUTES)[N] extends { params: infer S extends Schema } ? z.output<S> : Record<string, never>;
  readonly query: (typeof HTTP_ROUTES)[N] extends { query: infer S extends Schema } ? z.output<S> : Record<string, never>;
  readonly body: (typeof HTTP_ROUTES)[N] extends { body: infer S extends Schema } ? z.output<S> : undefined;
};

/**
 * Whether a user's request on `method path` spends their action budget at
 * the edge (admission `change`): the CDK stack gives the function serving
 * it the budget's table access and limits, as it does for socket actions.
 */
export const httpRouteSpendsActionBudget = (route: Pick<HttpRoute, 'method' | 'path'>): boolean =>
  (Object.values(HTTP_ROUTES) as HttpRoute[]).some((r) => routeKeyOf(r) === routeKeyOf(route) && r.admission === 'change');
