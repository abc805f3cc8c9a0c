import { describe, expect, it } from 'vitest';
import { NotFoundError, RateLimitedError } from '../../../lambdas/domain/errors';
import type { ApiKeyPrincipal } from '../../../lambdas/domain/integrations/api-keys';
import { serveHttp, type ApiKeyEdge, type HttpEdgeOptions, type HttpEvent, type HttpRouteHandlers } from '../../../lambdas/shared/http-action';
import { FakeRateLimiter } from '../../support/fakes/chat';

const KEY: ApiKeyPrincipal = { roomId: 'r1', keyId: 'k1', name: 'CI', scopes: ['read'], ratePerMinute: 60 };
const GOOD_KEY = 'prk_cjE.k1.secret';

const keys = (overrides: Partial<ApiKeyEdge> = {}): ApiKeyEdge => ({
  authenticate: async (token) => {
    if (token !== GOOD_KEY) throw new (await import('../../../lambdas/domain/errors')).UnauthorizedError('The API key is not valid.');
    return KEY;
  },
  admit: async () => ({ allowed: true, limit: 60, remaining: 59, resetSeconds: 30 }),
  ...overrides,
});

const options = (overrides: Partial<HttpEdgeOptions> = {}): HttpEdgeOptions => ({
  verifyUserToken: async (token) => {
    if (token !== 'good-jwt') throw new (await import('aws-jwt-verify/error')).JwtInvalidSignatureError('bad signature');
    return { identity: { userId: 'u-alice', displayName: 'Alice' }, expiresAt: 0 };
  },
  apiKeys: keys(),
  actionLimiter: new FakeRateLimiter(),
  ...overrides,
});

const event = (routeKey: string, init: { token?: string; body?: string; contentType?: string; params?: Record<string, string>; query?: Record<string, string> } = {}): HttpEvent =>
  ({
    version: '2.0',
    routeKey,
    rawPath: '/',
    rawQueryString: '',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.contentType ? { 'content-type': init.contentType } : {}),
    },
    ...(init.params ? { pathParameters: init.params } : {}),
    ...(init.query ? { queryStringParameters: init.query } : {}),
    ...(init.body !== undefined ? { body: init.body } : {}),
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1', routeKey } as HttpEvent['requestContext'],
  }) as HttpEvent;

const handlers: HttpRouteHandlers = {
  listRooms: async (caller, { query }) => ({ status: 200, body: { caller: caller.kind, limit: query.limit } }),
  getMessages: async () => ({ status: 200, body: { items: [] } }),
  postMessage: async (_caller, { body }) => ({ status: 201, body: { text: body.text } }),
  createApiKey: async () => {
    throw new NotFoundError('Room "r9" not found.');
  },
  revokeApiKey: async () => {
    throw new Error('the table is on fire');
  },
};

const json = (result: Awaited<ReturnType<typeof serveHttp>>) => JSON.parse(String(result.body)) as Record<string, any>;

describe('the HTTP edge', () => {
  it('runs a route for a user with a valid ID token, with defaults from the schema', async () => {
    const result = await serveHttp(handlers, event('GET /v1/rooms', { token: 'good-jwt' }), options());

    expect(result.statusCode).toBe(200);
    expect(json(result)).toEqual({ caller: 'user', limit: 50 });
    expect(result.headers?.['content-type']).toBe('application/json');
  });

  it('answers 401 with a Bearer challenge without credentials, and for a bad token or key', async () => {
    for (const token of [undefined, 'bad-jwt', 'prk_cjE.k1.wrong']) {
      const result = await serveHttp(handlers, event('GET /v1/rooms', token ? { token } : {}), options());
      expect(result.statusCode, token).toBe(401);
      expect(result.headers?.['www-authenticate']).toMatch(/^Bearer realm="parley"/);
      expect(json(result).error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers 401 for an Authorization header that is not a bearer token', async () => {
    const result = await serveHttp(handlers, { ...event('GET /v1/rooms'), headers: { authorization: 'Basic abc' } }, options());

    expect(result.statusCode).toBe(401);
    expect(result.headers?.['www-authenticate']).toContain('invalid_request');
  });

  it('answers 403 for a key on a route that takes user tokens only', async () => {
    const result = await serveHttp(handlers, event('POST /v1/rooms/{roomId}/keys', { token: GOOD_KEY, params: { roomId: 'r1' } }), options());

    expect(result.statusCode).toBe(403);
    expect(json(result).error.code).toBe('FORBIDDEN');
  });

  it('answers 403 for a key on another room or without the scope, before the route runs', async () => {
    const wrongRoom = await serveHttp(handlers, event('GET /v1/rooms/{roomId}/messages', { token: GOOD_KEY, params: { roomId: 'r2' } }), options());
    const noScope = await serveHttp(
      handlers,
      event('POST /v1/rooms/{roomId}/messages', { token: GOOD_KEY, params: { roomId: 'r1' }, body: '{"text":"hi"}', contentType: 'application/json' }),
      options(),
    );

    expect(wrongRoom.statusCode).toBe(403);
    expect(json(wrongRoom).error.message).toContain('another room');
    expect(noScope.statusCode).toBe(403);
    expect(json(noScope).error.message).toContain('post');
  });

  it('answers 429 with Retry-After and the RateLimit headers when a key is over its limit', async () => {
    const over = options({ apiKeys: keys({ admit: async () => ({ allowed: false, limit: 60, remaining: 0, resetSeconds: 12 }) }) });
    const result = await serveHttp(handlers, event('GET /v1/rooms', { token: GOOD_KEY }), over);

    expect(result.statusCode).toBe(429);
    expect(result.headers).toMatchObject({ 'retry-after': '12', 'ratelimit-limit': '60', 'ratelimit-remaining': '0', 'ratelimit-reset': '12' });
  });

  it('spends the user’s action budget on a changing route, and answers 429 when it is spent', async () => {
    const limiter = new FakeRateLimiter(false);
    const result = await serveHttp(
      handlers,
      event('POST /v1/rooms/{roomId}/keys', {
        token: 'good-jwt',
        params: { roomId: 'r1' },
        body: '{"name":"CI","scopes":["read"]}',
        contentType: 'application/json',
      }),
      options({ actionLimiter: limiter }),
    );

    expect(result.statusCode).toBe(429);
    expect(limiter.calls).toEqual(['actions#u-alice']);
  });

  it('answers 400 with every issue for invalid parameters, query and body', async () => {
    const result = await serveHttp(
      handlers,
      event('POST /v1/rooms/{roomId}/messages', { token: 'good-jwt', params: { roomId: 'r1' }, body: '{"text":""}', contentType: 'application/json' }),
      options(),
    );
    const badQuery = await serveHttp(handlers, event('GET /v1/rooms', { token: 'good-jwt', query: { limit: '1000' } }), options());

    expect(result.statusCode).toBe(400);
    expect(json(result).error).toMatchObject({ code: 'VALIDATION', issues: [expect.objectContaining({ path: 'body.text' })] });
    expect(badQuery.statusCode).toBe(400);
    expect(json(badQuery).error.issues[0].path).toBe('query.limit');
  });

  it('answers 400 for malformed JSON, 415 for another content type and 413 for a body over the limit', async () => {
    const post = (body: string, contentType: string, extra: Partial<HttpEdgeOptions> = {}) =>
      serveHttp(handlers, event('POST /v1/rooms/{roomId}/messages', { token: 'good-jwt', params: { roomId: 'r1' }, body, contentType }), options(extra));

    expect((await post('{"text":', 'application/json')).statusCode).toBe(400);
    expect(json(await post('{"text":', 'application/json')).error.code).toBe('MALFORMED_JSON');
    expect((await post('text=hi', 'application/x-www-form-urlencoded')).statusCode).toBe(415);
    expect((await post(JSON.stringify({ text: 'x'.repeat(200) }), 'application/json', { maxBodyBytes: 100 })).statusCode).toBe(413);
    expect((await post('{"text":"hi"}', 'application/json; charset=utf-8')).statusCode).toBe(201);
  });

  it('maps domain errors to their status and hides anything else behind a bare 500', async () => {
    const body = '{"name":"CI","scopes":["read"]}';
    const notFound = await serveHttp(
      handlers,
      event('POST /v1/rooms/{roomId}/keys', { token: 'good-jwt', params: { roomId: 'r9' }, body, contentType: 'application/json' }),
      options(),
    );
    const failed = await serveHttp(handlers, event('DELETE /v1/rooms/{roomId}/keys/{keyId}', { token: 'good-jwt', params: { roomId: 'r1', keyId: 'k1' } }), options());

    expect(notFound.statusCode).toBe(404);
    expect(json(notFound).error).toEqual({ code: 'NOT_FOUND', message: 'Room "r9" not found.' });
    expect(failed.statusCode).toBe(500);
    expect(failed.body).not.toContain('fire');
    expect(failed.body).not.toContain('at ');
  });

  it('answers a use case’s rate refusal 429 with Retry-After', async () => {
    const limited: HttpRouteHandlers = { listRooms: async () => Promise.reject(new RateLimitedError()) };
    const result = await serveHttp(limited, event('GET /v1/rooms', { token: 'good-jwt' }), options());

    expect(result.statusCode).toBe(429);
    expect(result.headers?.['retry-after']).toBe('1');
  });

  it('answers 404 for a route the function does not serve', async () => {
    const result = await serveHttp({}, event('GET /v1/rooms', { token: 'good-jwt' }), options());

    expect(result.statusCode).toBe(404);
  });
});
