import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, type LocalParleyProcess, startLocalParley } from '../support/local-parley';
import { until } from '../support/wait';

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

  /** A room owned by `owner` with `members` joined, and an API key of it. */
  const roomWithKey = async (owner: string, name: string, key: Record<string, unknown>) => {
    const socket = await parley.connect(owner);
    const { room } = await socket.ok<{ room: { roomId: string } }>('createRoom', { name });
    const created = await call(`/v1/rooms/${room.roomId}/keys`, { method: 'POST', token: await parley.token(owner), body: key });
    expect(created.status).toBe(201);
    return { socket, roomId: room.roomId, created: created.body as { key: { keyId: string; name: string }; secret: string } };
  };
  const messageOf = (f: Frame) => f['message'] as { text: string; senderType: string; senderName: string; senderId: string; moderation: string };
  const isMessageIn = (roomId: string) => (f: Frame) => f.type === 'message' && f['roomId'] === roomId;

  it('lets an owner create a key whose posts reach members as an integration, and read history by cursor', async () => {
    const { socket: owner, roomId, created } = await roomWithKey('olive', 'deploys', { name: 'CI bot', scopes: ['read', 'post'] });
    const bob = await parley.connect('bob');
    await bob.ok('joinRoom', { roomId });
    expect(created.secret).toMatch(/^prk_/);
    expect(created.key).toMatchObject({ name: 'CI bot', scopes: ['post', 'read'] });
    expect(JSON.stringify(created.key)).not.toContain(created.secret.split('.')[2]);

    const posted = await call(`/v1/rooms/${roomId}/messages`, {
      method: 'POST',
      token: created.secret,
      body: { text: 'build 42 passed', clientMessageId: 'build-42' },
    });
    expect(posted.status).toBe(201);
    expect(posted.headers.get('ratelimit-limit')).toBe('60');
    const received = messageOf(await bob.waitFor((f) => isMessageIn(roomId)(f) && messageOf(f).text === 'build 42 passed'));
    expect(received).toMatchObject({ senderType: 'integration', senderName: 'CI bot', senderId: created.key.keyId });

    // A retry with the same clientMessageId is the same message, stored and delivered once.
    const retried = await call(`/v1/rooms/${roomId}/messages`, {
      method: 'POST',
      token: created.secret,
      body: { text: 'build 42 passed', clientMessageId: 'build-42' },
    });
    expect(retried.status).toBe(200);
    expect((retried.body?.['message'] as { messageId: string }).messageId).toBe((posted.body?.['message'] as { messageId: string }).messageId);

    for (const text of ['two', 'three']) {
      await call(`/v1/rooms/${roomId}/messages`, { method: 'POST', token: created.secret, body: { text } });
    }
    const first = await call(`/v1/rooms/${roomId}/messages?limit=2`, { token: created.secret });
    expect(first.status).toBe(200);
    expect((first.body?.['items'] as Array<{ text: string }>).map((m) => m.text)).toEqual(['two', 'three']);
    const second = await call(`/v1/rooms/${roomId}/messages?limit=2&cursor=${String(first.body?.['nextCursor'])}`, { token: created.secret });
    expect((second.body?.['items'] as Array<{ text: string }>).map((m) => m.text)).toEqual(['build 42 passed']);

    // The owner sees the key's last use, and its creation in the audit trail.
    const listed = await call(`/v1/rooms/${roomId}/keys`, { token: await parley.token('olive') });
    expect(listed.body?.['keys']).toEqual([expect.objectContaining({ keyId: created.key.keyId, lastUsedAt: expect.any(String) })]);
    const audit = await owner.ok<{ items: Array<{ action: string }> }>('getAuditLog', { roomId });
    expect(audit.items.map((e) => e.action)).toContain('apiKey.created');
  });

  it('refuses a key on another room (403), a revoked key (401) and a key over its rate (429 with Retry-After)', async () => {
    const { roomId, created } = await roomWithKey('pat', 'limits', { name: 'poller', scopes: ['read'], ratePerMinute: 2 });
    const other = await roomWithKey('quinn', 'elsewhere', { name: 'other', scopes: ['read', 'post'] });

    const wrongRoom = await call(`/v1/rooms/${other.roomId}/messages`, { token: created.secret });
    expect(wrongRoom.status).toBe(403);
    expect(wrongRoom.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const noScope = await call(`/v1/rooms/${roomId}/messages`, { method: 'POST', token: created.secret, body: { text: 'hi' } });
    expect(noScope.status).toBe(403);

    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await call(`/v1/rooms/${roomId}/messages`, { token: created.secret }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(Number(answers[2]?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answers[2]?.headers.get('ratelimit-remaining')).toBe('0');

    const revoked = await call(`/v1/rooms/${other.roomId}/keys/${other.created.key.keyId}`, { method: 'DELETE', token: await parley.token('quinn') });
    expect(revoked.status).toBe(200);
    const refused = await call(`/v1/rooms/${other.roomId}/messages`, { token: other.created.secret });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('moderates a message posted with a key as it does a person’s, and audits it', async () => {
    const { socket: owner, roomId, created } = await roomWithKey('rhea', 'moderated', { name: 'mailer', scopes: ['post'] });

    const posted = await call(`/v1/rooms/${roomId}/messages`, { method: 'POST', token: created.secret, body: { text: 'write to ops@example.com' } });

    expect(posted.status).toBe(201);
    const seen = messageOf(await owner.waitFor(isMessageIn(roomId)));
    expect(seen).toMatchObject({ text: 'write to [email]', moderation: 'redacted', senderType: 'integration' });
    const audit = await until(
      async () => (await owner.ok<{ items: Array<{ action: string }> }>('getAuditLog', { roomId })).items,
      (items) => items.some((e) => e.action === 'moderation.redacted'),
    );
    expect(audit.map((e) => e.action)).toContain('moderation.redacted');
  });

  it('answers an unknown path 404 as API Gateway does', async () => {
    const missing = await call('/v1/nothing-here');

    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: 'Not Found' });
  });
});
