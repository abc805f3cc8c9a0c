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

    const forBob = await listRooms(world, bob, {});
    expect(forBob.rooms.map((r) => r.roomId)).toEqual([pub.roomId]);
    const forAlice = await listRooms(world, alice, {});
    expect(forAlice.rooms.map((r) => [r.roomId, r.role]).sort()).toEqual(
      [[pub.roomId, 'owner'], [priv.roomId, 'owner']].sort(),
    );
    expect(forAlice.rooms.map((r) => r.roomId)).not.toContain(others.roomId);
  });

  it('lists members only to members', async () => {
    const { room } = await createRoom(world.roomDeps, alice, { name: 'Secret', visibility: 'private' });
    expect((await listMembers(world, alice, { roomId: room.roomId })).members).toHaveLength(1);
    await expect(listMembers(world, bob, { roomId: room.roomId })).rejects.toThrow(NotFoundError);
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

  beforeEach(() => {
    world = fakeWorld();
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
