import { beforeEach, describe, expect, it } from 'vitest';
import { JoseGuestTokens } from '../../../../lambdas/adapters/secrets/guest-token-signer';
import { NotFoundError, PermissionError, RateLimitedError, ValidationError } from '../../../../lambdas/domain/errors';
import type { Room } from '../../../../lambdas/domain/types';
import { issueGuestToken, type IssueGuestTokenDeps } from '../../../../lambdas/use-cases/guests/issue-guest-token';
import { FakeClock, FakeRateLimiter, FakeRooms } from '../../../support/fakes/chat';

const lobby: Room = { roomId: 'r1', name: 'Lobby', visibility: 'public', ownerId: 'u-alice', createdAt: '2026-11-21T12:00:00.000Z', guestAccess: 'post' };

describe('issueGuestToken', () => {
  let rooms: FakeRooms;
  let deps: IssueGuestTokenDeps & { ipLimiter: FakeRateLimiter; roomLimiter: FakeRateLimiter; randomId: () => string };
  const tokens = new JoseGuestTokens(async () => 's'.repeat(64), 'parley-test');

  beforeEach(() => {
    rooms = new FakeRooms();
    rooms.rooms.set('r1', lobby);
    deps = {
      rooms,
      tokens,
      ipLimiter: new FakeRateLimiter(),
      roomLimiter: new FakeRateLimiter(),
      clock: new FakeClock(Date.now()),
      wsUrl: 'wss://ws.example.test/prod',
      randomId: () => 'abc',
    };
  });

  const ask = (extra: Partial<Parameters<typeof issueGuestToken>[1]> = {}) =>
    issueGuestToken(deps, { roomId: 'r1', displayName: 'Ada', sourceIp: '203.0.113.9', ...extra });

  it('issues a 30-minute token for the room, with where to connect and whether the guest may post', async () => {
    const answer = await ask();

    expect(answer).toMatchObject({ wsUrl: 'wss://ws.example.test/prod', canPost: true, room: { id: 'r1', name: 'Lobby' } });
    expect(Date.parse(answer.expiresAt) - deps.clock.now()).toBeGreaterThan(29 * 60_000);
    await expect(tokens.verify(answer.token)).resolves.toMatchObject({ sub: 'guest-abc', room: 'r1', name: 'Ada' });
    expect(deps.ipLimiter.calls).toEqual(['guest-ip#203.0.113.9']);
    expect(deps.roomLimiter.calls).toEqual(['guest-room#r1']);
  });

  it('says a read-only room does not let the guest post', async () => {
    rooms.rooms.set('r1', { ...lobby, guestAccess: 'read' });

    expect((await ask()).canPost).toBe(false);
  });

  it('refuses a room with guests off (FORBIDDEN), and an unknown or private room as not found', async () => {
    rooms.rooms.set('r1', { ...lobby, guestAccess: 'off' });
    rooms.rooms.set('r2', { ...lobby, roomId: 'r2', visibility: 'private' });

    await expect(ask()).rejects.toBeInstanceOf(PermissionError);
    await expect(ask({ roomId: 'r2' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(ask({ roomId: 'nope' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a bad name before spending anything', async () => {
    await expect(ask({ displayName: ' ' })).rejects.toBeInstanceOf(ValidationError);

    expect(deps.ipLimiter.calls).toEqual([]);
  });

  it('refuses an address over its limit before reading the room, and a room over its limit', async () => {
    deps.ipLimiter.allow = false;
    await expect(ask({ roomId: 'nope' })).rejects.toBeInstanceOf(RateLimitedError);

    deps.ipLimiter.allow = true;
    deps.roomLimiter.allow = false;
    await expect(ask()).rejects.toThrow(/this room/);
  });

  it('renews a valid token for the same room, keeping the guest’s id', async () => {
    const first = await ask();
    deps.randomId = () => 'other';

    const renewed = await ask({ renew: first.token });

    await expect(tokens.verify(renewed.token)).resolves.toMatchObject({ sub: 'guest-abc' });
  });

  it('refuses to renew a token of another room or a forged one', async () => {
    rooms.rooms.set('r2', { ...lobby, roomId: 'r2' });
    const forRoomTwo = await ask({ roomId: 'r2' });

    await expect(ask({ renew: forRoomTwo.token })).rejects.toThrow(/another room/);
    await expect(ask({ renew: 'not-a-token' })).rejects.toBeInstanceOf(PermissionError);
  });
});
