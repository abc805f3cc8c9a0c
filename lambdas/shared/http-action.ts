import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ParleyError, RateLimitedError, UnauthorizedError } from '../domain/errors';
import {
  HTTP_ERROR_STATUS,
  HTTP_ROUTES,
  routeKeyOf,
  type HttpErrorCode,
  type HttpInputOf,
  type HttpRoute,
  type HttpRouteName,
} from '../domain/http-protocol';
import { isApiKeyToken, type ApiKeyPrincipal, type HttpCaller } from '../domain/integrations/api-keys';
import type { ErrorCode } from '../domain/errors';
import type { RateLimiter } from '../domain/ports';
import { logger, metrics, traceHandler } from './observability';
import { isTokenProblem, verifyIdToken, type VerifiedToken } from './token-verifier';
import { actionBudgetKey } from './ws-action';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export type { HttpCaller };

/** What a route answers: a status and a JSON body (none for 204), with any extra headers. */
export interface HttpReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type HttpRouteHandlers = {
  [N in HttpRouteName]?: (caller: HttpCaller, input: HttpInputOf<N>, event: HttpEvent) => Promise<HttpReply>;
};

/** The outcome of counting one request against an API key's per-minute rate and daily quota. */
export interface KeyAdmission {
  readonly allowed: boolean;
  /** The limit that decided: the per-minute rate, or the daily quota once the day's is spent. */
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the deciding window resets. */
  readonly resetSeconds: number;
}

/** How the edge checks API keys; required when a route accepts them. */
export interface ApiKeyEdge {
  /** Finds the key and checks its secret; throws UnauthorizedError for an unknown, wrong or revoked key. */
  authenticate(token: string): Promise<ApiKeyPrincipal>;
  /** Counts one request against the key's rate and quota. */
  admit(key: ApiKeyPrincipal): Promise<KeyAdmission>;
}

export interface HttpEdgeOptions {
  /** Verifies a user's ID token; default: the function's issuer and audience (token-verifier.ts). */
  readonly verifyUserToken?: (token: string) => Promise<VerifiedToken>;
  readonly apiKeys?: ApiKeyEdge;
  /** The per-user action budget that a user's `change` routes spend, shared with the WebSocket actions. */
  readonly actionLimiter?: RateLimiter;
  /** Largest request body, in bytes, before it is parsed (413 above); default 64 KiB. */
  readonly maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** A refusal decided by the edge itself, with its HTTP code and any headers (WWW-Authenticate, Retry-After). */
class EdgeRefusal extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly issues?: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(message);
    this.name = 'EdgeRefusal';
  }
}

/** How a domain error's code reads over HTTP. */
const CODE_OF_DOMAIN: { readonly [C in ErrorCode]: HttpErrorCode } = {
  BAD_REQUEST: 'VALIDATION',
  MALFORMED_JSON: 'MALFORMED_JSON',
  UNKNOWN_ACTION: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  SESSION_EXPIRED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  RESPONSE_TOO_LARGE: 'INTERNAL',
  INTERNAL: 'INTERNAL',
};

const BEARER_CHALLENGE = 'Bearer realm="parley"';

const routesByKey: ReadonlyMap<string, HttpRouteName> = new Map(
  (Object.entries(HTTP_ROUTES) as Array<[HttpRouteName, HttpRoute]>).map(([name, route]) => [routeKeyOf(route), name]),
);

const json = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): HttpResult => ({
  statusCode: status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const errorResult = (
  code: HttpErrorCode,
  message: string,
  headers: Readonly<Record<string, string>> = {},
  issues?: ReadonlyArray<{ path: string; message: string }>,
): HttpResult =>
  json(HTTP_ERROR_STATUS[code], { error: { code, message, ...(issues === undefined ? {} : { issues }) } }, headers);

/** The bearer token of `Authorization`, or undefined when there is none. */
function bearerOf(event: HttpEvent): string | undefined {
  const header = event.headers?.['authorization'];
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!match) throw new EdgeRefusal('UNAUTHENTICATED', 'Send "Authorization: Bearer <API key or ID token>".', {
    'www-authenticate': `${BEARER_CHALLENGE}, error="invalid_request"`,
  });
  return match[1];
}

async function authenticate(event: HttpEvent, route: HttpRoute, options: HttpEdgeOptions): Promise<HttpCaller> {
  const token = bearerOf(event);
  if (token === undefined) {
    throw new EdgeRefusal('UNAUTHENTICATED', 'This route needs "Authorization: Bearer <API key or ID token>".', {
      'www-authenticate': BEARER_CHALLENGE,
    });
  }
  const invalid = { 'www-authenticate': `${BEARER_CHALLENGE}, error="invalid_token"` };
  if (isApiKeyToken(token)) {
    if (!route.auth.includes('key') || options.apiKeys === undefined) {
      throw new EdgeRefusal('FORBIDDEN', "This route takes a user's ID token, not an API key.");
    }
    try {
      return { kind: 'key', key: await options.apiKeys.authenticate(token) };
    } catch (error) {
      if (error instanceof UnauthorizedError) throw new EdgeRefusal('UNAUTHENTICATED', error.message, invalid);
      throw error;
    }
  }
  if (!route.auth.includes('user')) throw new EdgeRefusal('FORBIDDEN', 'This route takes an API key, not a user token.');
  try {
    const { identity } = await (options.verifyUserToken ?? verifyIdToken)(token);
    return { kind: 'user', identity };
  } catch (error) {
    if (isTokenProblem(error) || error instanceof UnauthorizedError) {
      logger.info('token refused', { reason: (error as Error).name });
      throw new EdgeRefusal('UNAUTHENTICATED', 'The token is not valid or has expired.', invalid);
    }
    throw error;
  }
}

/** The body's text, refusing one over the limit (413) before it is decoded or parsed. */
function bodyText(event: HttpEvent, maxBytes: number): string | undefined {
  if (event.body === undefined || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Math.floor((event.body.length * 3) / 4) : Buffer.byteLength(event.body, 'utf8');
  if (bytes > maxBytes) throw new EdgeRefusal('PAYLOAD_TOO_LARGE', `The body is over ${maxBytes} bytes.`);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

const isJsonType = (contentType: string | undefined): boolean =>
  contentType !== undefined && /^application\/json\s*(;.*)?$/i.test(contentType.trim());

type Issue = { path: string; message: string };
const issuesOf = (where: string, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): Issue[] =>
  issues.slice(0, 10).map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));

/** Validates path parameters, query and body against the route's schemas; 400 with every issue found. */
function validate(event: HttpEvent, route: HttpRoute, maxBodyBytes: number): { params: unknown; query: unknown; body: unknown } {
  const text = bodyText(event, maxBodyBytes);
  let rawBody: unknown;
  if (route.body !== undefined) {
    if (text === undefined) throw new EdgeRefusal('VALIDATION', 'This route needs a JSON body.', {}, [{ path: 'body', message: 'required' }]);
    if (!isJsonType(event.headers?.['content-type'])) {
      throw new EdgeRefusal('UNSUPPORTED_MEDIA_TYPE', 'Send the body as "Content-Type: application/json".');
    }
    try {
      rawBody = JSON.parse(text);
    } catch {
      throw new EdgeRefusal('MALFORMED_JSON', 'The body is not valid JSON.');
    }
  }
  const issues: Issue[] = [];
  const check = (where: string, schema: HttpRoute['params'], value: unknown): unknown => {
    if (schema === undefined) return {};
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    issues.push(...issuesOf(where, parsed.error.issues));
    return undefined;
  };
  const params = check('params', route.params, event.pathParameters ?? {});
  const query = check('query', route.query, event.queryStringParameters ?? {});
  const body = route.body === undefined ? undefined : check('body', route.body, rawBody);
  if (issues.length > 0) {
    throw new EdgeRefusal('VALIDATION', issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; '), {}, issues);
  }
  return { params, query, body };
}

/** An API key reaches one room and only with its scopes; checked before any use case runs. */
function assertKeyMayCall(key: ApiKeyPrincipal, route: HttpRoute, params: unknown): void {
  const missing = (route.scopes ?? []).filter((scope) => !key.scopes.includes(scope));
  if (missing.length > 0) throw new EdgeRefusal('FORBIDDEN', `This API key lacks the ${missing.join(', ')} scope.`);
  const roomId = (params as { roomId?: unknown } | undefined)?.roomId;
  if (typeof roomId === 'string' && roomId !== key.roomId) {
    throw new EdgeRefusal('FORBIDDEN', 'This API key belongs to another room.');
  }
}

const rateHeaders = (admission: KeyAdmission): Record<string, string> => ({
  'ratelimit-limit': String(admission.limit),
  'ratelimit-remaining': String(Math.max(0, admission.remaining)),
  'ratelimit-reset': String(admission.resetSeconds),
});

/**
 * Serves one HTTP API request: finds its route (HTTP_ROUTES), authenticates
 * the caller (401, or 403 for a credential the route does not take),
 * validates the body size (413), type (415) and the route's schemas (400),
 * holds an API key to its room and scopes (403), spends the caller's budget
 * (429 with Retry-After), runs the route and turns the outcome into a JSON
 * answer. Domain errors become their status; anything else a bare 500 with
 * no detail. Nothing reaches a use case unchecked.
 */
export async function serveHttp(handlers: HttpRouteHandlers, event: HttpEvent, options: HttpEdgeOptions = {}): Promise<HttpResult> {
  const started = Date.now();
  const routeKey = event.routeKey;
  let extraHeaders: Record<string, string> = {};
  try {
    const name = routesByKey.get(routeKey);
    const run = name === undefined ? undefined : handlers[name];
    if (name === undefined || run === undefined) throw new EdgeRefusal('NOT_FOUND', 'No such route.');
    const route: HttpRoute = HTTP_ROUTES[name];
    const caller = await authenticate(event, route, options);
    logger.appendKeys(caller.kind === 'user' ? { userId: caller.identity.userId } : { keyId: caller.key.keyId, roomId: caller.key.roomId });
    const input = validate(event, route, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    if (caller.kind === 'key') {
      assertKeyMayCall(caller.key, route, input.params);
      const admission = await (options.apiKeys as ApiKeyEdge).admit(caller.key);
      extraHeaders = rateHeaders(admission);
      if (!admission.allowed) {
        throw new EdgeRefusal('RATE_LIMITED', 'This API key is over its limit; retry after the time given.', {
          'retry-after': String(admission.resetSeconds),
        });
      }
    } else if (route.admission === 'change') {
      if (options.actionLimiter === undefined) throw new Error(`No action rate limiter for ${routeKey}.`);
      if (!(await options.actionLimiter.tryAcquire(actionBudgetKey(caller.identity.userId)))) {
        throw new EdgeRefusal('RATE_LIMITED', 'Too many changes at once; slow down and retry shortly.', { 'retry-after': '1' });
      }
    }
    const reply = await (run as (c: HttpCaller, i: unknown, e: HttpEvent) => Promise<HttpReply>)(caller, input, event);
    metrics.addMetric('RequestSucceeded', MetricUnit.Count, 1);
    logger.info('request handled', { routeKey, status: reply.status, durationMs: Date.now() - started });
    return json(reply.status, reply.body, { ...extraHeaders, ...reply.headers });
  } catch (error) {
    if (error instanceof EdgeRefusal) {
      metrics.addMetric('RequestRejected', MetricUnit.Count, 1);
      logger.info('request rejected', { routeKey, code: error.code, reason: error.message, durationMs: Date.now() - started });
      return errorResult(error.code, error.message, { ...extraHeaders, ...error.headers }, error.issues);
    }
    if (error instanceof ParleyError && error.exposeMessage) {
      const code = CODE_OF_DOMAIN[error.code];
      metrics.addMetric('RequestRejected', MetricUnit.Count, 1);
      logger.info('request rejected', { routeKey, code, reason: error.message, durationMs: Date.now() - started });
      const headers = error instanceof RateLimitedError ? { ...extraHeaders, 'retry-after': '1' } : extraHeaders;
      if (code === 'UNAUTHENTICATED') headers['www-authenticate'] = BEARER_CHALLENGE;
      return errorResult(code, error.message, headers);
    }
    metrics.addMetric('RequestFailed', MetricUnit.Count, 1);
    logger.error('request failed', { routeKey, durationMs: Date.now() - started, error: error as Error });
    return errorResult('INTERNAL', 'Something went wrong on our side; the request was not applied.', extraHeaders);
  }
}

/** Throws at cold start when a route accepting API keys or spending the action budget is served without what it needs. */
function assertEquipped(handlers: HttpRouteHandlers, options: HttpEdgeOptions): void {
  for (const name of Object.keys(handlers) as HttpRouteName[]) {
    const route: HttpRoute = HTTP_ROUTES[name];
    if (route.auth.includes('key') && options.apiKeys === undefined) throw new Error(`Route ${name} takes API keys but none are checked.`);
    if (route.admission === 'change' && options.actionLimiter === undefined) {
      throw new Error(`Route ${name} changes state but no action rate limiter was given.`);
    }
  }
}

/** A Lambda handler for HTTP API routes (payload format 2.0), with Powertools middleware. */
export function createHttpHandler(handlers: HttpRouteHandlers, options: HttpEdgeOptions = {}) {
  assertEquipped(handlers, options);
  return middy<HttpEvent, HttpResult>()
    .use(traceHandler())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      logger.appendKeys({ routeKey: event.routeKey, requestId: event.requestContext?.requestId });
      return serveHttp(handlers, event, options);
    });
}
