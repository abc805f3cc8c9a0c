import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PermissionError } from '../../../../lambdas/domain/errors';
import { DAY_MS } from '../../../../lambdas/domain/people/invitation';
import { connectUser } from '../../../../lambdas/use-cases/connect-user';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { inviteMember } from '../../../../lambdas/use-cases/invite-member';
import { joinRoom } from '../../../../lambdas/use-cases/join-room';
import { acceptInvitation } from '../../../../lambdas/use-cases/people/accept-invitation';
import { declineInvitation } from '../../../../lambdas/use-cases/people/decline-invitation';
import { listInvitations } from '../../../../lambdas/use-cases/people/list-invitations';
import { listRoomInvitations } from '../../../../lambdas/use-cases/people/list-room-invitations';
import { revokeInvitation } from '../../../../lambdas/use-cases/people/revoke-invitation';
import { setRole } from '../../../../lambdas/use-cases/set-role';
import type { Room } from '../../../../lambdas/domain/types';
import { alice, bob, carol, fakeWorld } from '../../../support/fakes/chat';

const dave = { userId: 'u-dave', displayName: 'Dave' };

describe('invitations', () => {
  let world: ReturnType<typeof fakeWorld>;
  let room: Room;

  beforeEach(async () => {
    world = fakeWorld();
    for (const [id, who] of [['c-alice', alice], ['c-bob-1', bob], ['c-bob-2', bob], ['c-carol', carol]] as const) {
      await connectUser(world, who, id, world.clock.now());
    }
    ({ room } = await createRoom(world.roomDeps, alice, { name: 'Secret', visibility: 'private' }));
    world.gateway.posts.length = 0;
  });

  const invite = (userId = bob.userId, who = alice, role: 'member' | 'moderator' | 'guest' = 'member') =>
    inviteMember(world.roomDeps, who, { roomId: room.roomId, userId, role });

  describe('inviteMember', () => {
    it('stores an invitation with the room’s name, the inviter’s and invitee’s names and a 7-day expiry, and tells every connection of the invitee', async () => {
      const { invitation, renewed } = await invite();

      expect(renewed).toBe(false);
      expect(invitation).toEqual({
        roomId: room.roomId,
        userId: bob.userId,
        role: 'member',
        invitedBy: alice.userId,
        invitedByName: 'Alice',
        inviteeName: bob.displayName,
        invitedAt: '2026-11-21T12:00:00.000Z',
        roomName: 'Secret',
        expiresAt: '2026-11-28T12:00:00.000Z',
      });
      for (const connectionId of ['c-bob-1', 'c-bob-2']) {
        expect(world.gateway.framesFor(connectionId)).toEqual([{ type: 'invitation', invitation }]);
      }
      expect(world.gateway.framesFor('c-alice')).toEqual([]);
    });

    it('refuses a user with no profile with NOT_FOUND and stores nothing', async () => {
      await expect(invite(dave.userId)).rejects.toThrow(NotFoundError);
      await expect(invite(dave.userId)).rejects.toThrow(/No user with id "u-dave"/);

      expect(world.rooms.invitations.size).toBe(0);
      expect(world.audit.entries.filter((e) => e.action === 'member.invited')).toEqual([]);
      expect(world.gateway.posts).toEqual([]);
    });

    it('refuses to invite a member', async () => {
      await expect(invite(alice.userId)).rejects.toThrow(ConflictError);
    });

    it('renews an invitation sent again: the new role, a new expiry, and the invitee hears of it again', async () => {
      await invite();
      world.clock.advance(DAY_MS);

      const again = await invite(bob.userId, alice, 'guest');

      expect(again.renewed).toBe(true);
      expect(again.invitation).toMatchObject({ role: 'guest', expiresAt: '2026-11-29T12:00:00.000Z' });
      expect(world.rooms.invitations.size).toBe(1);
      expect(world.gateway.framesFor('c-bob-1')).toHaveLength(2);
      expect(world.audit.entries.filter((e) => e.action === 'member.invited').map((e) => e.details)).toEqual([
        { role: 'member' },
        { role: 'guest', renewed: true },
      ]);
    });
  });

  describe('listInvitations', () => {
    it('lists the caller’s live invitations only, without expired ones', async () => {
      const other = (await createRoom(world.roomDeps, carol, { name: 'Other', visibility: 'private' })).room;
      await invite();
      world.clock.advance(6 * DAY_MS);
      await inviteMember(world.roomDeps, carol, { roomId: other.roomId, userId: bob.userId, role: 'member' });

      const now = await listInvitations(world.roomDeps, bob, { limit: 50 });
      world.clock.advance(2 * DAY_MS);
      const later = await listInvitations(world.roomDeps, bob, { limit: 50 });

      expect(now.invitations.map((i) => i.roomName).sort()).toEqual(['Other', 'Secret']);
      expect(later.invitations.map((i) => i.roomName)).toEqual(['Other']);
      expect((await listInvitations(world.roomDeps, carol, { limit: 50 })).invitations).toEqual([]);
    });

    it('pages by count, reaching each invitation once', async () => {
      const rooms = [room];
      for (const name of ['B', 'C']) rooms.push((await createRoom(world.roomDeps, alice, { name, visibility: 'private' })).room);
      for (const r of rooms) await inviteMember(world.roomDeps, alice, { roomId: r.roomId, userId: bob.userId, role: 'member' });

      const first = await listInvitations(world.roomDeps, bob, { limit: 2 });
      const second = await listInvitations(world.roomDeps, bob, { limit: 2, cursor: first.nextCursor! });

      expect(first.invitations).toHaveLength(2);
      expect(second.invitations).toHaveLength(1);
      expect(second.nextCursor).toBeUndefined();
      expect(new Set([...first.invitations, ...second.invitations].map((i) => i.roomId)).size).toBe(3);
    });
  });

  describe('acceptInvitation', () => {
    it('joins with the invited role, consumes the invitation and sends roomAdded to every connection of the invitee', async () => {
      await invite(bob.userId, alice, 'moderator');
      world.gateway.posts.length = 0;

      const { membership } = await acceptInvitation(world.roomDeps, bob, { roomId: room.roomId });

      expect(membership).toMatchObject({ roomId: room.roomId, userId: bob.userId, role: 'moderator' });
      expect(world.rooms.invitations.size).toBe(0);
      for (const connectionId of ['c-bob-1', 'c-bob-2']) {
        expect(world.gateway.framesFor(connectionId)).toContainEqual({ type: 'roomAdded', room, membership });
        expect(await world.connections.listRoomConnections(room.roomId)).toContainEqual({ connectionId, userId: bob.userId });
      }
      expect(world.gateway.framesFor('c-alice')).toContainEqual(
        expect.objectContaining({ type: 'roomEvent', event: { kind: 'memberJoined', member: membership } }),
      );
      expect(world.audit.entries.map((e) => e.action)).toEqual(['room.created', 'member.invited', 'member.joined', 'invitation.accepted']);
    });

    it('refuses without an invitation, or with an expired one, and changes nothing', async () => {
      await expect(acceptInvitation(world.roomDeps, bob, { roomId: room.roomId })).rejects.toThrow(NotFoundError);
      await invite();
      world.clock.advance(7 * DAY_MS);

      await expect(acceptInvitation(world.roomDeps, bob, { roomId: room.roomId })).rejects.toThrow(/expired/);
      expect(await world.rooms.getMembership(room.roomId, bob.userId)).toBeUndefined();
    });
  });

  describe('joinRoom with an invitation', () => {
    it('refuses a private room whose invitation has expired', async () => {
      await invite();
      world.clock.advance(7 * DAY_MS + 1);

      await expect(joinRoom(world.roomDeps, bob, { roomId: room.roomId })).rejects.toThrow(NotFoundError);
    });
  });

  describe('declineInvitation', () => {
    it('removes the invitation, tells the invitee’s other connections and nobody else', async () => {
      await invite();
      world.gateway.posts.length = 0;

      await declineInvitation(world.roomDeps, bob, { roomId: room.roomId });

      expect(world.rooms.invitations.size).toBe(0);
      expect(world.gateway.framesFor('c-bob-2')).toEqual([{ type: 'invitationDeclined', roomId: room.roomId }]);
      expect(world.gateway.framesFor('c-alice')).toEqual([]);
      expect(world.audit.entries.at(-1)).toMatchObject({ action: 'invitation.declined', actor: { id: bob.userId } });
      await expect(joinRoom(world.roomDeps, bob, { roomId: room.roomId })).rejects.toThrow(NotFoundError);
    });

    it('refuses when there is nothing to decline', async () => {
      await expect(declineInvitation(world.roomDeps, bob, { roomId: room.roomId })).rejects.toThrow(NotFoundError);
    });
  });

  describe('revokeInvitation', () => {
    const revoke = (who: typeof alice, userId = bob.userId) =>
      revokeInvitation(world.roomDeps, who, { roomId: room.roomId, userId });

    it('lets the owner withdraw an invitation, telling every connection of the invitee', async () => {
      await invite();
      world.gateway.posts.length = 0;

      expect(await revoke(alice)).toMatchObject({ roomId: room.roomId, userId: bob.userId });

      expect(world.rooms.invitations.size).toBe(0);
      for (const connectionId of ['c-bob-1', 'c-bob-2']) {
        expect(world.gateway.framesFor(connectionId)).toEqual([
          { type: 'invitationRevoked', roomId: room.roomId, by: alice.userId },
        ]);
      }
      expect(world.audit.entries.at(-1)).toMatchObject({ action: 'invitation.revoked', target: { id: bob.userId } });
    });

    it('lets whoever sent an invitation withdraw it, and a moderator any', async () => {
      await inviteMember(world.roomDeps, alice, { roomId: room.roomId, userId: carol.userId, role: 'moderator' });
      await acceptInvitation(world.roomDeps, carol, { roomId: room.roomId });
      await invite(bob.userId, carol);
      await expect(revoke(carol)).resolves.toBeDefined();

      await invite(bob.userId, alice);
      await expect(revoke(carol)).resolves.toBeDefined();
    });

    it('refuses a plain member who did not send it, and hides a private room from outsiders', async () => {
      await inviteMember(world.roomDeps, alice, { roomId: room.roomId, userId: carol.userId, role: 'member' });
      await acceptInvitation(world.roomDeps, carol, { roomId: room.roomId });
      await invite();

      await expect(revoke(carol)).rejects.toThrow(PermissionError);
      await expect(revoke(dave)).rejects.toThrow(NotFoundError);
      expect(world.rooms.invitations.size).toBe(1);
    });

    it('answers NOT_FOUND when there is no invitation to withdraw', async () => {
      await expect(revoke(alice)).rejects.toThrow(/no pending invitation/);
    });

    it('lets an inviter demoted since still withdraw what they sent', async () => {
      await inviteMember(world.roomDeps, alice, { roomId: room.roomId, userId: carol.userId, role: 'moderator' });
      await acceptInvitation(world.roomDeps, carol, { roomId: room.roomId });
      await invite(bob.userId, carol);
      await setRole(world.roomDeps, alice, { roomId: room.roomId, userId: carol.userId, role: 'member' });

      await expect(revoke(carol)).resolves.toBeDefined();
    });
  });

  describe('listRoomInvitations', () => {
    it('lists the room’s live invitations for its owner, in invitee order, leaving out expired ones', async () => {
      await invite(carol.userId);
      world.clock.advance(6 * DAY_MS);
      await invite(bob.userId);
      world.clock.advance(2 * DAY_MS); // carol's (7 days) has expired; bob's has not

      const { invitations } = await listRoomInvitations(world.roomDeps, alice, { roomId: room.roomId, limit: 50 });

      expect(invitations.map((i) => i.userId)).toEqual([bob.userId]);
    });

    it('pages by invitee', async () => {
      await invite(bob.userId);
      await invite(carol.userId);

      const first = await listRoomInvitations(world.roomDeps, alice, { roomId: room.roomId, limit: 1 });
      const second = await listRoomInvitations(world.roomDeps, alice, { roomId: room.roomId, limit: 1, cursor: first.nextCursor! });

      expect([...first.invitations, ...second.invitations].map((i) => i.userId)).toEqual([bob.userId, carol.userId]);
    });

    it('shows them to owners and moderators only, and nothing of a private room to outsiders', async () => {
      await invite(bob.userId);
      await acceptInvitation(world.roomDeps, bob, { roomId: room.roomId });
      await invite(carol.userId);

      await expect(listRoomInvitations(world.roomDeps, bob, { roomId: room.roomId, limit: 50 })).rejects.toThrow(PermissionError);
      await expect(listRoomInvitations(world.roomDeps, dave, { roomId: room.roomId, limit: 50 })).rejects.toThrow(NotFoundError);
    });
  });
});

describe('roomAdded', () => {
  it('reaches every connection of a user who joins a public room or creates one', async () => {
    const world = fakeWorld();
    for (const [id, who] of [['c-alice-1', alice], ['c-alice-2', alice], ['c-bob', bob]] as const) {
      await connectUser(world, who, id, world.clock.now());
    }

    const created = await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' });
    const joined = await joinRoom(world.roomDeps, bob, { roomId: created.room.roomId });

    for (const connectionId of ['c-alice-1', 'c-alice-2']) {
      expect(world.gateway.framesFor(connectionId)).toContainEqual({ type: 'roomAdded', room: created.room, membership: created.membership });
    }
    expect(world.gateway.framesFor('c-bob')).toContainEqual({ type: 'roomAdded', room: created.room, membership: joined.membership });
  });
});
