import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PermissionError } from '../../../lambdas/domain/errors';
import { connectUser } from '../../../lambdas/use-cases/connect-user';
import { createRoom } from '../../../lambdas/use-cases/create-room';
import { inviteMember } from '../../../lambdas/use-cases/invite-member';
import { joinRoom } from '../../../lambdas/use-cases/join-room';
import { leaveRoom } from '../../../lambdas/use-cases/leave-room';
import { listMembers } from '../../../lambdas/use-cases/list-members';
import { listRooms } from '../../../lambdas/use-cases/list-rooms';
import { removeMember } from '../../../lambdas/use-cases/remove-member';
import { setRole } from '../../../lambdas/use-cases/set-role';
import { PAGE_BUDGET_BYTES, utf8Bytes } from '../../../lambdas/domain/frame-budget';
import type { Membership } from '../../../lambdas/domain/types';
import { alice, bob, carol, fakeWorld } from '../../support/fakes/chat';

describe('room membership', () => {
  let world: ReturnType<typeof fakeWorld>;

  beforeEach(async () => {
    world = fakeWorld();
    for (const [id, who] of [['c-alice', alice], ['c-bob', bob], ['c-carol', carol]] as const) {
      await connectUser(world, who, id, world.clock.now());
    }
  });

  it('makes the creator the owner and subscribes the creator', async () => {
    const { room, membership } = await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' });
    expect(membership.role).toBe('owner');
    expect(await world.connections.listRoomConnections(room.roomId)).toEqual([
      { connectionId: 'c-alice', userId: alice.userId },
    ]);
  });

  it('lets anyone join a public room and tells the room', async () => {
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' });
    const { membership } = await joinRoom(world.roomDeps, bob, { roomId: room.roomId });
    expect(membership.role).toBe('member');
    expect(world.gateway.framesFor('c-alice')).toContainEqual(
      expect.objectContaining({ type: 'roomEvent', event: expect.objectContaining({ kind: 'memberJoined' }) }),
    );
    const again = await joinRoom(world.roomDeps, bob, { roomId: room.roomId });
    expect(again.alreadyMember).toBe(true);
  });

  it('admits to a private room only with an invitation, with its role', async () => {
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Secret', visibility: 'private' });
    await expect(joinRoom(world.roomDeps, bob, { roomId: room.roomId })).rejects.toThrow(NotFoundError);

    await inviteMember(world.roomDeps, alice, { roomId: room.roomId, userId: bob.userId, role: 'guest' });
    const { membership } = await joinRoom(world.roomDeps, bob, { roomId: room.roomId });
    expect(membership.role).toBe('guest');
    expect(await world.rooms.getInvitation(room.roomId, bob.userId)).toBeUndefined();
  });

  it('refuses invitations from plain members and to existing members', async () => {
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' });
    await joinRoom(world.roomDeps, bob, { roomId: room.roomId });
    await expect(inviteMember(world.roomDeps, bob, { roomId: room.roomId, userId: carol.userId, role: 'member' })).rejects.toThrow(
      PermissionError,
    );
    await expect(inviteMember(world.roomDeps, alice, { roomId: room.roomId, userId: bob.userId, role: 'member' })).rejects.toThrow(
      ConflictError,
    );
  });

  it('lets the owner promote and a moderator remove a member, who stops receiving the room', async () => {
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' });
    await joinRoom(world.roomDeps, bob, { roomId: room.roomId });
    await joinRoom(world.roomDeps, carol, { roomId: room.roomId });

    await setRole(world.roomDeps, alice, { roomId: room.roomId, userId: bob.userId, role: 'moderator' });
    await removeMember(world.roomDeps, bob, { roomId: room.roomId, userId: carol.userId });

    expect(await world.rooms.getMembership(room.roomId, carol.userId)).toBeUndefined();
    const subscribed = (await world.connections.listRoomConnections(room.roomId)).map((c) => c.connectionId);
    expect(subscribed.sort()).toEqual(['c-alice', 'c-bob']);
    expect(world.gateway.framesFor('c-carol')).toContainEqual(
      expect.objectContaining({ event: expect.objectContaining({ kind: 'memberRemoved', userId: carol.userId }) }),
    );
  });

  it('stops a moderator from removing the owner or another moderator', async () => {
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' });
    await joinRoom(world.roomDeps, bob, { roomId: room.roomId });
    await joinRoom(world.roomDeps, carol, { roomId: room.roomId });
    await setRole(world.roomDeps, alice, { roomId: room.roomId, userId: bob.userId, role: 'moderator' });
    await setRole(world.roomDeps, alice, { roomId: room.roomId, userId: carol.userId, role: 'moderator' });

    await expect(removeMember(world.roomDeps, bob, { roomId: room.roomId, userId: alice.userId })).rejects.toThrow(PermissionError);
    await expect(removeMember(world.roomDeps, bob, { roomId: room.roomId, userId: carol.userId })).rejects.toThrow(PermissionError);
  });

  it('lets a member leave but not the owner', async () => {
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' });
    await joinRoom(world.roomDeps, bob, { roomId: room.roomId });
    await leaveRoom(world.roomDeps, bob, { roomId: room.roomId });
    expect(await world.rooms.getMembership(room.roomId, bob.userId)).toBeUndefined();
    await expect(leaveRoom(world.roomDeps, alice, { roomId: room.roomId })).rejects.toThrow(PermissionError);
  });

  it('lists public rooms plus the caller’s private ones, with the caller’s roles', async () => {
    const pub = (await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' })).room;
    const priv = (await createRoom(world.roomDeps, alice, { name: 'Secret', visibility: 'private' })).room;
    const others = (await createRoom(world.roomDeps, carol, { name: 'Carol only', visibility: 'private' })).room;

    const forBob = await listRooms(world, bob, { limit: 50 });
    expect(forBob.rooms.map((r) => r.roomId)).toEqual([pub.roomId]);
    const forAlice = await listRooms(world, alice, { limit: 50 });
    expect(forAlice.rooms.map((r) => [r.roomId, r.role]).sort()).toEqual(
      [[pub.roomId, 'owner'], [priv.roomId, 'owner']].sort(),
    );
    expect(forAlice.rooms.map((r) => r.roomId)).not.toContain(others.roomId);
  });

  it('lists members only to members', async () => {
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Secret', visibility: 'private' });
    expect((await listMembers(world, alice, { roomId: room.roomId, limit: 100 })).members).toHaveLength(1);
    await expect(listMembers(world, bob, { roomId: room.roomId, limit: 100 })).rejects.toThrow(NotFoundError);
  });

  it('subscribes a new connection to all of its user’s rooms', async () => {
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' });
    await connectUser(world, alice, 'c-alice-phone', world.clock.now());
    const ids = (await world.connections.listRoomConnections(room.roomId)).map((c) => c.connectionId);
    expect(ids.sort()).toEqual(['c-alice', 'c-alice-phone']);
  });
});

describe('membership audit', () => {
  let world: ReturnType<typeof fakeWorld>;

  beforeEach(async () => {
    world = fakeWorld();
    // Only people with a profile can be invited; their first connection creates it.
    for (const who of [bob, carol]) await world.profiles.ensureProfile({ ...who, createdAt: '2026-11-21T11:00:00.000Z' });
  });

  it('records the room’s creation without its name', async () => {
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Secret', visibility: 'private' });
    expect(world.audit.entries).toEqual([
      expect.objectContaining({
        roomId: room.roomId,
        idempotencyKey: `room.created:${room.roomId}`,
        action: 'room.created',
        actor: { type: 'user', id: alice.userId },
        details: { visibility: 'private', mode: 'chat' },
      }),
    ]);
  });

  it('records joins, invitations, role changes, removals and departures, each once', async () => {
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Secret', visibility: 'private' });
    await inviteMember(world.roomDeps, alice, { roomId: room.roomId, userId: bob.userId, role: 'member', requestId: 'r1' });
    await inviteMember(world.roomDeps, alice, { roomId: room.roomId, userId: carol.userId, role: 'guest', requestId: 'r2' });
    await joinRoom(world.roomDeps, bob, { roomId: room.roomId });
    await joinRoom(world.roomDeps, bob, { roomId: room.roomId }); // a retry: no second entry
    await joinRoom(world.roomDeps, carol, { roomId: room.roomId });
    await setRole(world.roomDeps, alice, { roomId: room.roomId, userId: bob.userId, role: 'moderator', requestId: 'r3' });
    await removeMember(world.roomDeps, bob, { roomId: room.roomId, userId: carol.userId });
    await leaveRoom(world.roomDeps, bob, { roomId: room.roomId });

    expect(world.audit.entries.map((e) => [e.action, e.actor.id, e.target?.id, e.details])).toEqual([
      ['room.created', alice.userId, room.roomId, { visibility: 'private', mode: 'chat' }],
      ['member.invited', alice.userId, bob.userId, { role: 'member' }],
      ['member.invited', alice.userId, carol.userId, { role: 'guest' }],
      ['member.joined', bob.userId, bob.userId, { role: 'member', invited: true }],
      ['member.joined', carol.userId, carol.userId, { role: 'guest', invited: true }],
      ['member.roleChanged', alice.userId, bob.userId, { from: 'member', to: 'moderator' }],
      ['member.removed', bob.userId, carol.userId, { role: 'guest' }],
      ['member.left', bob.userId, bob.userId, { role: 'moderator' }],
    ]);
    expect(world.audit.entries.every((e) => e.roomId === room.roomId)).toBe(true);
  });

  it('records nothing for a change that was refused', async () => {
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' });
    await joinRoom(world.roomDeps, bob, { roomId: room.roomId });
    const before = world.audit.entries.length;

    await expect(removeMember(world.roomDeps, bob, { roomId: room.roomId, userId: alice.userId })).rejects.toThrow(PermissionError);

    expect(world.audit.entries).toHaveLength(before);
  });
});

describe('listing pages', () => {
  let world: ReturnType<typeof fakeWorld>;

  beforeEach(() => {
    world = fakeWorld();
  });

  /** Follows nextCursor to the end, checking each page against the limit and the byte budget. */
  async function everyPage<T>(list: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>, limit: number) {
    const all: T[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(cursor);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      expect(utf8Bytes(JSON.stringify(page.items))).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
      sizes.push(page.items.length);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return { all, sizes };
  }

  it('pages members by count and by bytes, reaching each member once', async () => {
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Big', visibility: 'public' });
    // Long display names: 100 members of ~2 KB would make a 200 KB answer.
    for (let i = 0; i < 100; i += 1) {
      const member: Membership = {
        roomId: room.roomId,
        userId: `u-${String(i).padStart(3, '0')}`,
        displayName: `${i} ${'n'.repeat(2000)}`,
        role: 'member',
        joinedAt: '2026-11-21T12:00:00.000Z',
      };
      await world.rooms.putMembership(member);
    }

    const { all, sizes } = await everyPage(async (cursor) => {
      const page = await listMembers(world, alice, { roomId: room.roomId, limit: 100, ...(cursor ? { cursor } : {}) });
      return { items: page.members, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    }, 100);

    expect(sizes.length).toBeGreaterThan(2);
    expect(all.map((m) => m.userId)).toEqual([...new Set(all.map((m) => m.userId))]);
    expect(all).toHaveLength(101);
  });

  it('pages the caller’s rooms first, then the public ones, each once', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      world.clock.advance(1);
      mine.push((await createRoom(world.roomDeps, alice, { name: `Mine ${i}`, visibility: 'private' })).room.roomId);
    }
    const theirs: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      world.clock.advance(1);
      theirs.push((await createRoom(world.roomDeps, carol, { name: `Public ${i}`, visibility: 'public' })).room.roomId);
    }

    const { all } = await everyPage(async (cursor) => {
      const page = await listRooms(world, alice, { limit: 3, ...(cursor ? { cursor } : {}) });
      return { items: page.rooms, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    }, 3);

    expect(all.slice(0, 7).map((r) => [r.roomId, r.role])).toEqual([...mine].sort().map((id) => [id, 'owner']));
    expect(all.slice(7).map((r) => r.roomId)).toEqual([...theirs].reverse());
  });

  it('cuts a page of rooms at the byte budget and continues after the last room kept', async () => {
    for (let i = 0; i < 60; i += 1) {
      world.clock.advance(1);
      await createRoom(world.roomDeps, carol, { name: `${'é'.repeat(1000)}${i}`, visibility: 'public' });
    }

    const { all, sizes } = await everyPage(async (cursor) => {
      const page = await listRooms(world, alice, { limit: 100, ...(cursor ? { cursor } : {}) });
      return { items: page.rooms, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    }, 100);

    expect(sizes[0]).toBeLessThan(60);
    expect(new Set(all.map((r) => r.roomId)).size).toBe(60);
    expect(all).toHaveLength(60);
  });

  it('refuses a rooms cursor it did not issue', async () => {
    await expect(listRooms(world, alice, { limit: 10, cursor: 'elsewhere' })).rejects.toThrow(/cursor/);
  });
});
