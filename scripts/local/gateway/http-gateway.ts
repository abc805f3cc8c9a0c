import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { guardRequests, type RequestTarget, type ServerErrorEntry } from '../http-guard';
import type { LocalHttpApi, LocalHttpCors, LocalHttpRoute } from '../model';
import type { RequestLogEntry } from './websocket-gateway';

/**
 * The local HTTP API: API Gateway's HTTP API as the template defines it
 * (routes, Lambda proxy integrations with payload format 2.0, CORS), on
 * 127.0.0.1. Requests are matched to routes the way API Gateway does, turned
 * into its payload-2.0 event, run through the function pool, and the
 * function's result mapped back to an HTTP answer as API Gateway maps it.
 */

export interface HttpApiGatewayOptions {
  readonly api: LocalHttpApi;
  /** Runs a function synchronously; resolves its result, rejects when it fails. */
  readonly invoke: (functionKey: string, event: unknown) => Promise<unknown>;
  readonly region: string;
  readonly accountId: string;
  /** API Gateway's payload limit (10 MB); larger bodies answer 413 without a call. */
  readonly maxBodyBytes?: number;
  readonly onRequest: (entry: RequestLogEntry) => void;
  readonly onServerError: (entry: ServerErrorEntry) => void;
}

/** What the runtime answers itself, in API Gateway's words. */
const NOT_FOUND = { status: 404, message: 'Not Found' } as const;
const INTERNAL = { status: 500, message: 'Internal Server Error' } as const;
const TOO_LARGE = { status: 413, message: 'Request Entity Too Large' } as const;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface MatchedRoute {
  readonly route: LocalHttpRoute;
  readonly pathParameters: Record<string, string>;
}

/** Matches `segments` (decoded) against a path template; the parameters, or undefined. */
function matchPath(template: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = template.split('/').slice(1);
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      const rest = segments.slice(index);
      if (rest.length === 0 || rest.every((s) => s === '')) return undefined;
      params[greedy[1] as string] = rest.join('/');
      return params;
    }
    const segment = segments[index];
    if (segment === undefined || segment === '') return undefined;
    const variable = /^\{(.+)\}$/.exec(part);
    if (variable) params[variable[1] as string] = segment;
    else if (part !== segment) return undefined;
  }
  return segments.length === parts.length ? params : undefined;
}

/** How specific a route is: literal segments beat variables, variables beat a greedy tail, a method beats ANY. */
const specificity = (route: LocalHttpRoute): number[] => {
  const parts = (route.path ?? '').split('/').slice(1);
  return [
    parts.some((p) => p.endsWith('+}')) ? 0 : 1,
    parts.filter((p) => !p.startsWith('{')).length,
    parts.length,
    route.method === 'ANY' ? 0 : 1,
  ];
};

const compare = (a: number[], b: number[]): number => {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return (b[i] as number) - (a[i] as number);
  return 0;
};

/**
 * The route API Gateway would pick for `method` and `rawPath` (still
 * percent-encoded): the most specific matching route, else `$default`,
 * else none. Path parameters are percent-decoded.
 */
export function matchRoute(routes: readonly LocalHttpRoute[], method: string, rawPath: string): MatchedRoute | undefined {
  const segments = rawPath.split('/').slice(1).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  const candidates: MatchedRoute[] = [];
  for (const route of routes) {
    if (route.path === undefined || (route.method !== method && route.method !== 'ANY')) continue;
    const pathParameters = matchPath(route.path, segments);
    if (pathParameters) candidates.push({ route, pathParameters });
  }
  candidates.sort((a, b) => compare(specificity(a.route), specificity(b.route)));
  const best = candidates[0];
  if (best) return best;
  const fallback = routes.find((r) => r.routeKey === '$default');
  return fallback ? { route: fallback, pathParameters: {} } : undefined;
}

/** Content types whose bodies API Gateway passes as text; any other body arrives base64-encoded. */
const isTextType = (contentType: string | undefined): boolean =>
  contentType !== undefined &&
  /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|x-www-form-urlencoded|javascript))/i.test(contentType.trim());

export interface HttpRequestParts {
  readonly method: string;
  readonly target: RequestTarget;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
}

/** API Gateway's request id shape (14 characters, base64). */
const newRequestId = (): string => `${randomBytes(10).toString('base64').slice(0, 13)}=`;

/**
 * The payload-2.0 event API Gateway sends for a request: header names
 * lower-cased and repeated values joined with commas, cookies apart, query
 * parameters decoded (repeated ones joined with commas), path parameters of
 * the matched route, a text body as is and any other base64-encoded.
 */
export function buildHttpEvent(
  api: Pick<LocalHttpApi, 'apiId' | 'stage'>,
  matched: MatchedRoute,
  request: HttpRequestParts,
  context: { readonly region: string; readonly accountId: string; readonly requestId?: string; readonly now?: Date },
): Record<string, unknown> {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      cookies = (Array.isArray(value) ? value.join('; ') : value).split(/;\s*/).filter((c) => c !== '');
      continue;
    }
    headers[lower] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of request.target.searchParams) {
    query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  }
  const now = context.now ?? new Date();
  const contentType = headers['content-type'];
  const text = isTextType(contentType);
  const domainName = headers['host'] ?? '127.0.0.1';
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: matched.route.routeKey,
    rawPath: request.target.rawPath,
    rawQueryString: request.target.search.replace(/^\?/, ''),
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(matched.pathParameters).length > 0 ? { pathParameters: matched.pathParameters } : {}),
    requestContext: {
      accountId: context.accountId,
      apiId: api.apiId,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: request.method,
        path: request.target.path,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: context.requestId ?? newRequestId(),
      routeKey: matched.route.routeKey,
      stage: api.stage,
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: request.body.length > 0 && !text,
  };
  if (request.body.length > 0) event['body'] = text ? request.body.toString('utf8') : request.body.toString('base64');
  return event;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

const apiGatewayError = (error: { status: number; message: string }): HttpAnswer => ({
  status: error.status,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify({ message: error.message })),
});

/**
 * Maps a function's payload-2.0 result as API Gateway does: an object with
 * `statusCode` gives the status, headers, `cookies` (as Set-Cookie) and body
 * (base64-decoded when `isBase64Encoded`); any other JSON value is a 200
 * with that value as a JSON body. A status that is not a number is a 500.
 */
export function mapHttpResult(result: unknown): HttpAnswer {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const structured = result as {
      statusCode: unknown;
      headers?: Record<string, unknown>;
      cookies?: unknown;
      body?: unknown;
      isBase64Encoded?: unknown;
    };
    const status = Number(structured.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599) return apiGatewayError(INTERNAL);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
    if (Array.isArray(structured.cookies) && structured.cookies.length > 0) headers['set-cookie'] = structured.cookies.map(String);
    const raw = typeof structured.body === 'string' ? structured.body : '';
    const body = structured.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
    if (body.length > 0 && headers['content-type'] === undefined) headers['content-type'] = 'text/plain; charset=utf-8';
    return { status, headers, body };
  }
  const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body, 'utf8') };
}

/** The origin's CORS answer under `cors`: the value of Access-Control-Allow-Origin, or undefined when not allowed. */
function allowedOrigin(cors: LocalHttpCors, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  if (cors.allowOrigins.includes('*')) return cors.allowCredentials ? origin : '*';
  return cors.allowOrigins.includes(origin) ? origin : undefined;
}

/**
 * API Gateway's own answer to a CORS preflight (OPTIONS with Origin and
 * Access-Control-Request-Method) when the API configures CORS: 204 with the
 * configured headers for an allowed origin and method, 204 without them
 * otherwise. Undefined when the request is no preflight or CORS is off.
 */
export function preflightAnswer(cors: LocalHttpCors | undefined, method: string, headers: IncomingHttpHeaders): HttpAnswer | undefined {
  const requested = headers['access-control-request-method'];
  if (cors === undefined || method !== 'OPTIONS' || headers.origin === undefined || typeof requested !== 'string') return undefined;
  const origin = allowedOrigin(cors, headers.origin);
  const methodAllowed = cors.allowMethods.includes('*') || cors.allowMethods.includes(requested.toUpperCase());
  if (origin === undefined || !methodAllowed) return { status: 204, headers: {}, body: Buffer.alloc(0) };
  const requestedHeaders = headers['access-control-request-headers'];
  const answer: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': cors.allowMethods.join(','),
    'access-control-allow-headers':
      cors.allowHeaders.includes('*') && typeof requestedHeaders === 'string' ? requestedHeaders : cors.allowHeaders.join(','),
  };
  if (cors.maxAge !== undefined) answer['access-control-max-age'] = String(cors.maxAge);
  if (cors.allowCredentials) answer['access-control-allow-credentials'] = 'true';
  return { status: 204, headers: answer, body: Buffer.alloc(0) };
}

/**
 * The CORS headers of an ordinary answer when the API configures CORS: the
 * integration's own `access-control-*` headers are dropped and the
 * configured ones set for an allowed origin, as API Gateway does.
 */
export function withCors(answer: HttpAnswer, cors: LocalHttpCors | undefined, origin: string | undefined): HttpAnswer {
  if (cors === undefined) return answer;
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !name.startsWith('access-control-')));
  const allowed = allowedOrigin(cors, origin);
  if (allowed !== undefined) {
    headers['access-control-allow-origin'] = allowed;
    if (cors.exposeHeaders.length > 0) headers['access-control-expose-headers'] = cors.exposeHeaders.join(',');
    if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
  }
  return { ...answer, headers };
}

/** Reads the body, up to `max` bytes; undefined when it is longer. */
const readBody = (req: IncomingMessage, max: number): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > max ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** A local HTTP API: `server` listens once the runtime gives it a port. */
export class HttpApiGateway {
  readonly server: Server;
  private port = 0;

  constructor(private readonly options: HttpApiGatewayOptions) {
    const reply = (res: ServerResponse, status: number, message: string) => this.send(res, apiGatewayError({ status, message }));
    this.server = createServer(
      guardRequests<IncomingMessage, ServerResponse>(
        { server: 'HTTP API', port: () => this.port, onError: options.onServerError, reply },
        (req, res, target) => this.handle(req, res, target),
      ),
    );
    this.server.keepAliveTimeout = 60_000;
  }

  /** Where the server listens, once it does (the Host check needs it). */
  setPort(port: number): void {
    this.port = port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private send(res: ServerResponse, answer: HttpAnswer): void {
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
    res.end(answer.body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse, target: RequestTarget): Promise<void> {
    const { api } = this.options;
    const method = (req.method ?? 'GET').toUpperCase();
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const preflight = preflightAnswer(api.cors, method, req.headers);
    if (preflight) return this.send(res, preflight);

    const started = performance.now();
    const requestId = newRequestId();
    const finish = (answer: HttpAnswer, route: string, error?: string) => {
      this.send(res, withCors({ ...answer, headers: { ...answer.headers, 'apigw-requestid': requestId } }, api.cors, origin));
      this.options.onRequest({
        route,
        user: '-',
        durationMs: performance.now() - started,
        status: answer.status,
        requestId,
        ...(error ? { error } : {}),
      });
    };

    // A named stage serves under /<stage>; $default at the root.
    let rawPath = target.rawPath;
    if (api.stage !== '$default') {
      const prefix = `/${api.stage}`;
      if (rawPath !== prefix && !rawPath.startsWith(`${prefix}/`)) return finish(apiGatewayError(NOT_FOUND), `${method} ${target.path}`);
      rawPath = rawPath.slice(prefix.length) || '/';
    }
    const matched = matchRoute(api.routes, method, rawPath);
    if (!matched || matched.route.functionKey === undefined) return finish(apiGatewayError(NOT_FOUND), `${method} ${target.path}`);

    const body = await readBody(req, this.options.maxBodyBytes ?? MAX_BODY_BYTES);
    if (body === undefined) return finish(apiGatewayError(TOO_LARGE), matched.route.routeKey);
    const event = buildHttpEvent(
      api,
      matched,
      { method, target: { ...target, rawPath }, headers: req.headers, body, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
      { region: this.options.region, accountId: this.options.accountId, requestId },
    );
    try {
      const result = await this.options.invoke(matched.route.functionKey, event);
      finish(mapHttpResult(result), matched.route.routeKey);
    } catch (error) {
      finish(apiGatewayError(INTERNAL), matched.route.routeKey, error instanceof Error ? error.message : String(error));
    }
  }
}
