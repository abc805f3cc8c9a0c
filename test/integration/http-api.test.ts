import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalParleyProcess, startLocalParley } from '../support/local-parley';

/**
 * The HTTP API through its front door: the local runtime started like
 * `npm start`, called over real HTTP with API keys and users' ID tokens,
 * while members listen on real WebSockets.
 */
describe('the HTTP API on the local runtime', () => {
  let parley: LocalParleyProcess;

  const call = async (path: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const response = await fetch(`${parley.apiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
  };

  beforeAll(async () => {
    parley = await startLocalParley();
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it("lists a user's rooms with their ID token", async () => {
    const alice = await parley.connect('alice');
    const { room } = await alice.ok<{ room: { roomId: string } }>('createRoom', { name: 'http lobby' });

    const listed = await call('/v1/rooms', { token: await parley.token('alice') });

    expect(listed.status).toBe(200);
    expect(listed.body?.['rooms']).toEqual([expect.objectContaining({ roomId: room.roomId, name: 'http lobby', role: 'owner' })]);
  });

  it('refuses a call without credentials, with a Bearer challenge', async () => {
    const refused = await call('/v1/rooms');

    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(refused.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
  });

  it('answers an unknown path 404 as API Gateway does', async () => {
    const missing = await call('/v1/nothing-here');

    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: 'Not Found' });
  });
});
