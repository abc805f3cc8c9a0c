import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lambdas/domain/errors';
import { connectUser } from '../../../../lambdas/use-cases/connect-user';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { joinRoom } from '../../../../lambdas/use-cases/join-room';
import { findUsers } from '../../../../lambdas/use-cases/people/find-users';
import { whoami } from '../../../../lambdas/use-cases/people/whoami';
import { updateProfile } from '../../../../lambdas/use-cases/update-profile';
import { alice, bob, carol, fakeWorld } from '../../../support/fakes/chat';

describe('profiles', () => {
  let world: ReturnType<typeof fakeWorld>;

  beforeEach(() => {
    world = fakeWorld();
  });

  it('creates a profile on a user’s first connection only', async () => {
    await connectUser(world, alice, 'c-1', world.clock.now());
    world.clock.advance(60_000);
    await connectUser(world, { ...alice, displayName: 'Other name from a token' }, 'c-2', world.clock.now());

    expect(world.profiles.created).toBe(1);
    expect(await world.profiles.getProfile(alice.userId)).toEqual({
      userId: alice.userId,
      displayName: 'Alice',
      createdAt: '2026-11-21T12:00:00.000Z',
    });
  });

  it('answers whoami with the caller’s profile, creating one for a connection older than profiles', async () => {
    expect(await whoami(world.roomDeps, bob)).toEqual({
      profile: { userId: bob.userId, displayName: 'Bob', createdAt: '2026-11-21T12:00:00.000Z' },
    });
  });

  it('keeps the profile in step with updateProfile', async () => {
    await connectUser(world, alice, 'c-1', world.clock.now());

    await updateProfile(world.roomDeps, alice, { displayName: 'Alice Liddell' });

    expect((await whoami(world.roomDeps, alice)).profile.displayName).toBe('Alice Liddell');
    expect((await findUsers(world.roomDeps, bob, { query: 'liddell', limit: 20 })).users).toEqual([]);
    expect((await findUsers(world.roomDeps, bob, { query: 'alice l', limit: 20 })).users).toEqual([
      { userId: alice.userId, displayName: 'Alice Liddell' },
    ]);
  });
});

describe('findUsers', () => {
  let world: ReturnType<typeof fakeWorld>;

  beforeEach(async () => {
    world = fakeWorld();
    const people = [alice, bob, carol, { userId: 'u-bo', displayName: 'Bõ Ström' }, { userId: 'u-mail', displayName: 'Bob bob@example.com' }];
    for (const who of people) await connectUser(world, who, `c-${who.userId}`, world.clock.now());
  });

  const find = (query: string, limit = 20, cursor?: string, who = alice) =>
    findUsers(world.roomDeps, who, { query, limit, ...(cursor !== undefined ? { cursor } : {}) });

  it('finds people by a prefix of their name, folded, in name order', async () => {
    expect((await find('BO')).users).toEqual([
      { userId: 'u-bo', displayName: 'Bõ Ström' },
      { userId: bob.userId, displayName: 'Bob' },
      { userId: 'u-mail', displayName: 'Bob [email]' },
    ]);
    expect((await find('bo st')).users.map((u) => u.userId)).toEqual(['u-bo']);
    expect((await find('zed')).users).toEqual([]);
  });

  it('never returns or searches an email address', async () => {
    const found = await find('bob');

    expect(JSON.stringify(found)).not.toContain('example.com');
    await expect(find('bob@example.com')).rejects.toThrow(/email addresses are not searchable/);
    await expect(find('example')).resolves.toEqual({ users: [] });
  });

  it('pages by count, each person once', async () => {
    const first = await find('b', 2);
    const second = await find('b', 2, first.nextCursor);

    expect(first.users).toHaveLength(2);
    expect(second.users).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
  });

  it('refuses a query with nothing to search for once folded', async () => {
    await expect(find('\u0301')).rejects.toThrow(ValidationError);
  });

  it('finds only people who share a room with the caller when the deployment says so', async () => {
    const shared = { ...world.roomDeps, peopleSearch: 'sharedRooms' as const };
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' });
    await joinRoom(world.roomDeps, bob, { roomId: room.roomId });

    const found = await findUsers(shared, alice, { query: 'b', limit: 20 });

    expect(found.users).toEqual([{ userId: bob.userId, displayName: 'Bob' }]);
    expect((await findUsers(shared, carol, { query: 'b', limit: 20 })).users).toEqual([]);
  });
});
