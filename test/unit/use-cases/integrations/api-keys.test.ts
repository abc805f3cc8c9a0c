import { beforeEach, describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../../../lambdas/domain/ids';
import { parseApiKey } from '../../../../lambdas/domain/integrations/api-keys';
import { admitApiKeyRequest, authenticateApiKey } from '../../../../lambdas/use-cases/integrations/check-api-key';
import {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiKeyDeps,
} from '../../../../lambdas/use-cases/integrations/manage-api-keys';
import { alice, bob, FakeAudit, FakeClock, FakeRooms } from '../../../support/fakes/chat';
import { FakeApiKeys } from '../../../support/fakes/integrations';

let rooms: FakeRooms;
let keys: FakeApiKeys;
let audit: FakeAudit;
let clock: FakeClock;
let deps: ApiKeyDeps;

beforeEach(async () => {
  rooms = new FakeRooms();
  keys = new FakeApiKeys();
  audit = new FakeAudit();
  clock = new FakeClock();
  deps = { rooms, keys, audit, clock, nextId: createIdGenerator(), defaultRatePerMinute: 60, maxRatePerMinute: 600 };
  const createdAt = new Date(clock.now()).toISOString();
  await rooms.createRoom(
    { roomId: 'r1', name: 'ops', visibility: 'public', ownerId: alice.userId, createdAt },
    { roomId: 'r1', userId: alice.userId, displayName: 'Alice', role: 'owner', joinedAt: createdAt } as never,
  );
  await rooms.putMembership({ roomId: 'r1', userId: bob.userId, displayName: 'Bob', role: 'moderator', joinedAt: createdAt } as never);
});

describe('createApiKey', () => {
  it('answers the key once, stores only its hash and audits the creation', async () => {
    const { key, secret } = await createApiKey(deps, alice, { roomId: 'r1', name: 'CI', scopes: ['post', 'read', 'post'] });

    const parsed = parseApiKey(secret);
    expect(parsed).toMatchObject({ roomId: 'r1', keyId: key.keyId });
    expect(key).toMatchObject({ name: 'CI', scopes: ['post', 'read'], ratePerMinute: 60, createdBy: alice.userId });
    expect(JSON.stringify([...keys.keys.values()])).not.toContain(parsed?.secret);
    expect(audit.entries).toEqual([
      expect.objectContaining({ action: 'apiKey.created', target: { type: 'apiKey', id: key.keyId }, actor: { type: 'user', id: alice.userId } }),
    ]);
  });

  it('refuses anyone but the owner, a moderator included, and changes nothing', async () => {
    await expect(createApiKey(deps, bob, { roomId: 'r1', name: 'CI', scopes: ['read'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(keys.keys.size).toBe(0);
    expect(audit.entries).toEqual([]);
  });

  it('refuses a rate over the maximum and a key without scopes', async () => {
    await expect(createApiKey(deps, alice, { roomId: 'r1', name: 'fast', scopes: ['read'], ratePerMinute: 601 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(createApiKey(deps, alice, { roomId: 'r1', name: 'none', scopes: [] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuses a room that does not exist', async () => {
    await expect(createApiKey(deps, alice, { roomId: 'nope', name: 'CI', scopes: ['read'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('authenticateApiKey', () => {
  it('accepts a good key and records its last use once a minute', async () => {
    const { secret, key } = await createApiKey(deps, alice, { roomId: 'r1', name: 'CI', scopes: ['read'] });

    const principal = await authenticateApiKey({ keys, clock }, secret);
    await authenticateApiKey({ keys, clock }, secret);
    clock.advance(60_000);
    await authenticateApiKey({ keys, clock }, secret);

    expect(principal).toEqual({ roomId: 'r1', keyId: key.keyId, name: 'CI', scopes: ['read'], ratePerMinute: 60 });
    expect(keys.touches).toHaveLength(2);
  });

  it('refuses a wrong secret, an unknown key, a malformed one and a revoked one alike', async () => {
    const { secret, key } = await createApiKey(deps, alice, { roomId: 'r1', name: 'CI', scopes: ['read'] });
    const head = secret.split('.').slice(0, 2).join('.');
    const refusals = [`${head}.AAAA`, secret.replace(key.keyId, '01JUNKNOWN'), 'prk_garbage', `${secret}x`];

    await revokeApiKey(deps, alice, 'r1', key.keyId);
    for (const token of [...refusals, secret]) {
      await expect(authenticateApiKey({ keys, clock }, token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });
});

describe('revokeApiKey and listApiKeys', () => {
  it('list keys without their hash, and revoke once, audited once', async () => {
    const { key } = await createApiKey(deps, alice, { roomId: 'r1', name: 'CI', scopes: ['read'] });

    await revokeApiKey(deps, alice, 'r1', key.keyId);
    clock.advance(1000);
    await revokeApiKey(deps, alice, 'r1', key.keyId);
    const { keys: listed } = await listApiKeys(deps, alice, 'r1');

    expect(listed).toEqual([expect.objectContaining({ keyId: key.keyId, revokedAt: new Date(clock.now() - 1000).toISOString() })]);
    expect(listed[0]).not.toHaveProperty('secretHash');
    expect(audit.entries.filter((e) => e.action === 'apiKey.revoked')).toHaveLength(1);
  });

  it('answers 404 for a key the room does not have', async () => {
    await expect(revokeApiKey(deps, alice, 'r1', 'missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('admitApiKeyRequest', () => {
  const key = { roomId: 'r1', keyId: 'k1', name: 'CI', scopes: ['read' as const], ratePerMinute: 2 };

  it('admits up to the rate each minute, then says when to retry', async () => {
    clock.ms = Date.UTC(2026, 11, 7, 0, 0, 45);
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await admitApiKeyRequest({ keys, clock }, key));

    expect(answers.map((a) => [a.allowed, a.remaining])).toEqual([[true, 1], [true, 0], [false, 0]]);
    expect(answers[2]).toMatchObject({ limit: 2, resetSeconds: 15 });
    clock.advance(15_000);
    expect((await admitApiKeyRequest({ keys, clock }, key)).allowed).toBe(true);
  });

  it('stops at the daily quota, which only admitted requests spend', async () => {
    const quota = { ...key, ratePerMinute: 100, dailyQuota: 2 };
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await admitApiKeyRequest({ keys, clock }, quota));

    expect(answers.map((a) => a.allowed)).toEqual([true, true, false]);
    expect(answers[1]).toMatchObject({ limit: 2, remaining: 0 });
    expect(answers[2]).toMatchObject({ limit: 2, remaining: 0 });
  });
});
