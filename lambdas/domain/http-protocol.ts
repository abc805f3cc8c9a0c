import * as z from 'zod/mini';
import type { ApiKeyScope } from './integrations/api-keys';
import type { Admission } from './protocol';
import { id, pageCursor } from './protocol-fields';
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
  /** Who may call it; at least one. */
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
} as const satisfies Record<string, HttpRoute>;

export type HttpRouteName = keyof typeof HTTP_ROUTES;
/** The validated input of a route: what its schemas output. */
export type HttpInputOf<N extends HttpRouteName> = {
  readonly params: (typeof HTTP_ROUTES)[N] extends { params: infer S extends Schema } ? z.output<S> : Record<string, never>;
  readonly query: (typeof HTTP_ROUTES)[N] extends { query: infer S extends Schema } ? z.output<S> : Record<string, never>;
  readonly body: (typeof HTTP_ROUTES)[N] extends { body: infer S extends Schema } ? z.output<S> : undefined;
};
