import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, PermissionError, RateLimitedError, ValidationError } from '../../../../lambdas/domain/errors';
import { createIdGenerator } from '../../../../lambdas/domain/ids';
import { TYPING_EXPIRES_MS } from '../../../../lambdas/domain/presence/typing';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { inviteMember } from '../../../../lambdas/use-cases/invite-member';
import { joinRoom } from '../../../../lambdas/use-cases/join-room';
import { getReadState } from '../../../../lambdas/use-cases/presence/get-read-state';
import { markRead } from '../../../../lambdas/use-cases/presence/mark-read';
import { sendTyping } from '../../../../lambdas/use-cases/presence/send-typing';
import { alice, bob, carol, FakeRateLimiter, fakeWorld } from '../../../support/fakes/chat';
import { FakeReadStates } from '../../../support/fakes/presence';

describe('sendTyping', () => {
  let world: ReturnType<typeof fakeWorld>;
  let typingLimiter: FakeRateLimiter;
  let roomId: string;
  const typing = (who = bob) => sendTyping({ ...world.roomDeps, typingLimiter }, who, { roomId });

  beforeEach(async () => {
    world = fakeWorld();
    typingLimiter = new FakeRateLimiter();
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId });
    for (const [connectionId, who] of [['c-alice', alice], ['c-bob-1', bob], ['c-bob-2', bob], ['c-carol', carol]] as const) {
      await world.connections.saveConnection({ connectionId, ...who, connectedAt: '' }, [roomId]);
    }
    world.gateway.posts.length = 0;
  });

  it("reaches the room's other members, not the typist's own connections", async () => {
    const result = await typing();

    expect(result.expiresInMs).toBe(TYPING_EXPIRES_MS);
    expect(world.gateway.framesFor('c-alice')).toEqual([
      { type: 'typing', roomId, userId: bob.userId, displayName: 'Bob', expiresInMs: TYPING_EXPIRES_MS },
    ]);
    expect(world.gateway.framesFor('c-bob-1')).toEqual([]);
    expect(world.gateway.framesFor('c-bob-2')).toEqual([]);
  });

  it('takes from its own limit, keyed by room and person', async () => {
    await typing();

    expect(typingLimiter.calls).toEqual([`TYPING#${roomId}#${bob.userId}`]);
    expect(world.rateLimiter.calls).toEqual([]);
  });

  it('refuses a notice over the limit and sends nothing', async () => {
    typingLimiter.allow = false;

    await expect(typing()).rejects.toThrow(RateLimitedError);
    expect(world.gateway.posts).toEqual([]);
  });

  it('refuses a non-member and a guest, before taking from the limit', async () => {
    const secret = (await createRoom(world.roomDeps, alice, { name: 'Secret', visibility: 'private' })).room.roomId;
    await expect(sendTyping({ ...world.roomDeps, typingLimiter }, carol, { roomId: secret })).rejects.toThrow(NotFoundError);
    await world.profiles.ensureProfile({ ...carol, createdAt: '2026-12-01T00:00:00.000Z' });
    await inviteMember(world.roomDeps, alice, { roomId: secret, userId: carol.userId, role: 'guest' });
    await joinRoom(world.roomDeps, carol, { roomId: secret });
    await expect(sendTyping({ ...world.roomDeps, typingLimiter }, carol, { roomId: secret })).rejects.toThrow(PermissionError);
    expect(typingLimiter.calls).toEqual([]);
  });
});

describe('markRead', () => {
  let world: ReturnType<typeof fakeWorld>;
  let readStates: FakeReadStates;
  let roomId: string;
  const nextId = (ms: number) => createIdGenerator()(ms);
  const mark = (messageId: string, connectionId = 'c-bob-1', who = bob) =>
    markRead({ ...world.roomDeps, readStates }, who, { roomId, messageId }, connectionId);

  beforeEach(async () => {
    world = fakeWorld();
    readStates = new FakeReadStates();
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId });
    for (const [connectionId, who] of [['c-alice', alice], ['c-bob-1', bob], ['c-bob-2', bob]] as const) {
      await world.connections.saveConnection({ connectionId, ...who, connectedAt: '' }, [roomId]);
    }
    world.gateway.posts.length = 0;
  });

  it("moves the mark and tells the caller's other connections only", async () => {
    const messageId = nextId(world.clock.now() - 1000);

    const result = await mark(messageId);

    expect(result).toMatchObject({ moved: true, readState: { roomId, messageId } });
    expect(world.gateway.framesFor('c-bob-2')).toEqual([
      { type: 'readState', roomId, messageId, readAt: new Date(world.clock.now()).toISOString() },
    ]);
    expect(world.gateway.framesFor('c-bob-1')).toEqual([]);
    expect(world.gateway.framesFor('c-alice')).toEqual([]);
  });

  it('never moves the mark back, and then tells nobody', async () => {
    const older = nextId(world.clock.now() - 2000);
    const newer = nextId(world.clock.now() - 1000);
    await mark(newer);
    world.gateway.posts.length = 0;

    const result = await mark(older);

    expect(result).toMatchObject({ moved: false, readState: { messageId: newer } });
    expect(world.gateway.posts).toEqual([]);
  });

  it('refuses an id from the future, and a non-member, changing nothing', async () => {
    await expect(mark(nextId(world.clock.now() + 10 * 60_000))).rejects.toThrow(ValidationError);
    await expect(mark(nextId(world.clock.now()), 'c-carol', carol)).rejects.toThrow(PermissionError);
    expect(readStates.marks.size).toBe(0);
  });

  it("returns the caller's marks for the rooms asked, leaving out rooms without one", async () => {
    const messageId = nextId(world.clock.now() - 1000);
    await mark(messageId);

    const { readStates: marks } = await getReadState({ readStates }, bob, { roomIds: [roomId, 'r-other'] });

    expect(marks).toEqual([{ roomId, messageId, readAt: expect.any(String) }]);
    expect((await getReadState({ readStates }, alice, { roomIds: [roomId] })).readStates).toEqual([]);
  });
});
