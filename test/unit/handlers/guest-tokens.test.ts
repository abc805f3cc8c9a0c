import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { JoseGuestTokens } from '../../../lambdas/adapters/secrets/guest-token-signer';
import { FakeClock, FakeRateLimiter, FakeRooms } from '../../support/fakes/chat';
import { stubHandlerEnv } from '../../support/events';

// The module builds its dependencies on load, as at a cold start.
stubHandlerEnv({ GUEST_TOKEN_SECRET: 'guest-secret', GUEST_TOKEN_AUDIENCE: 'parley-test', GUEST_WS_URL: 'wss://ws.example.test/prod' });
const { guestTokenRoutes } = await import('../../../lambdas/handlers/guest-tokens');
const { serveHttp } = await import('../../../lambdas/shared/http-action');

const httpEvent = (roomId: string | undefined, body: string | undefined): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /v1/rooms/{roomId}/guest-tokens',
    rawPath: `/v1/rooms/${roomId}/guest-tokens`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', origin: 'https://blog.example.test' },
    ...(roomId === undefined ? {} : { pathParameters: { roomId } }),
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'test' } },
  }) as unknown as APIGatewayProxyEventV2;

const setup = () => {
  const rooms = new FakeRooms();
  rooms.rooms.set('r1', { roomId: 'r1', name: 'Lobby', visibility: 'public', ownerId: 'u-alice', createdAt: '', guestAccess: 'read' });
  rooms.rooms.set('closed', { roomId: 'closed', name: 'Closed', visibility: 'public', ownerId: 'u-alice', createdAt: '' });
  const ipLimiter = new FakeRateLimiter();
  const routes = guestTokenRoutes({
    rooms,
    tokens: new JoseGuestTokens(async () => 'k'.repeat(64), 'parley-test'),
    ipLimiter,
    roomLimiter: new FakeRateLimiter(),
    clock: new FakeClock(Date.now()),
    wsUrl: 'wss://ws.example.test/prod',
  });
  // No verifier: a public route must never need one.
  const call = async (roomId: string | undefined, body: unknown) =>
    (await serveHttp(routes, httpEvent(roomId, typeof body === 'string' ? body : JSON.stringify(body)), {
      verifyUserToken: async () => {
        throw new Error('a public route verified a token');
      },
    })) as APIGatewayProxyStructuredResultV2;
  return { call, ipLimiter };
};

const bodyOf = (result: APIGatewayProxyStructuredResultV2) => JSON.parse(result.body ?? '') as Record<string, unknown>;

describe('guest token route', () => {
  it('answers 201 with the token, with no credentials, keyed by the caller’s address', async () => {
    const { call, ipLimiter } = setup();

    const result = await call('r1', { displayName: 'Ada' });

    expect(result.statusCode).toBe(201);
    expect(bodyOf(result)).toMatchObject({ token: expect.any(String), canPost: false, wsUrl: 'wss://ws.example.test/prod', room: { id: 'r1', name: 'Lobby' } });
    expect(ipLimiter.calls).toEqual(['guest-ip#198.51.100.7']);
  });

  it('answers 400 to malformed JSON and to a missing name', async () => {
    const { call } = setup();

    expect((await call('r1', '{nope')).statusCode).toBe(400);
    expect(bodyOf(await call('r1', '{nope'))).toMatchObject({ error: { code: 'MALFORMED_JSON' } });
    expect(bodyOf(await call('r1', {}))).toMatchObject({ error: { code: 'VALIDATION' } });
    expect(bodyOf(await call('r1', { displayName: '\u200b' }))).toMatchObject({ error: { code: 'VALIDATION' } });
  });

  it('answers 404 to an unknown room and 403 to a room with guests off', async () => {
    const { call } = setup();

    expect((await call('nope', { displayName: 'Ada' })).statusCode).toBe(404);
    const closed = await call('closed', { displayName: 'Ada' });
    expect(closed.statusCode).toBe(403);
    expect(bodyOf(closed)).toEqual({ error: { code: 'FORBIDDEN', message: 'This room does not let guests in.' } });
  });

  it('answers 429 with Retry-After when the address is over its limit', async () => {
    const { call, ipLimiter } = setup();
    ipLimiter.allow = false;

    const result = await call('r1', { displayName: 'Ada' });

    expect(result.statusCode).toBe(429);
    expect(result.headers?.['retry-after']).toBe('1');
  });
});
