import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PermissionError, ValidationError } from '../../../lambdas/domain/errors';
import { banMember, listBans, unbanMember } from '../../../lambdas/use-cases/ban-member';
import { createRoom } from '../../../lambdas/use-cases/create-room';
import { deleteRoom } from '../../../lambdas/use-cases/delete-room';
import { getHistory } from '../../../lambdas/use-cases/get-history';
import { getRoom } from '../../../lambdas/use-cases/get-room';
import { inviteMember } from '../../../lambdas/use-cases/invite-member';
import { joinRoom } from '../../../lambdas/use-cases/join-room';
import { leaveRoom } from '../../../lambdas/use-cases/leave-room';
import { listRooms } from '../../../lambdas/use-cases/list-rooms';
import { removeMember } from '../../../lambdas/use-cases/remove-member';
import { searchRooms } from '../../../lambdas/use-cases/search-rooms';
import { sendMessage } from '../../../lambdas/use-cases/send-message';
import { setRole } from '../../../lambdas/use-cases/set-role';
import { transferOwnership } from '../../../lambdas/use-cases/transfer-ownership';
import { updateRoom } from '../../../lambdas/use-cases/update-room';
import { alice, bob, carol, fakeWorld } from '../../support/fakes/chat';

const dave = { userId: 'u-dave', displayName: 'Dave' };

describe('room administration', () => {
  let world: ReturnType<typeof fakeWorld>;
  let roomId: string;

  const framesOfType = (connectionId: string, type: string) =>
    world.gateway.framesFor(connectionId).filter((f) => (f as { type: string }).type === type);

  beforeEach(async () => {
    world = fakeWorld();
    for (const [connectionId, who] of [
      ['c-alice', alice],
      ['c-bob-1', bob],
      ['c-bob-2', bob],
      ['c-carol', carol],
      ['c-dave', dave],
    ] as const) {
      await world.connections.saveConnection({ connectionId, ...who, connectedAt: '' }, []);
      // Everyone here has signed in before, so they can be invited.
      await world.profiles.ensureProfile({ ...who, createdAt: '2026-12-01T00:00:00.000Z' });
    }
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId });
    await joinRoom(world.roomDeps, carol, { roomId });
    world.gateway.posts.length = 0;
  });

  describe('updateRoom', () => {
    it('renames the room and tells every connection of every member', async () => {
      const { room, changed } = await updateRoom(world.roomDeps, alice, { roomId, name: 'Atrium', topic: 'All welcome' });

      expect(changed).toEqual(['name', 'topic']);
      expect(room).toMatchObject({ name: 'Atrium', topic: 'All welcome' });
      expect((await world.rooms.getRoom(roomId))?.name).toBe('Atrium');
      for (const connectionId of ['c-alice', 'c-bob-1', 'c-bob-2', 'c-carol']) {
        expect(framesOfType(connectionId, 'roomUpdated')).toEqual([{ type: 'roomUpdated', room }]);
      }
      expect(framesOfType('c-dave', 'roomUpdated')).toEqual([]);
      expect(world.audit.entries.at(-1)).toMatchObject({ action: 'room.updated', details: { changed: ['name', 'topic'] } });
    });

    it('clears the topic when given a blank one, and makes the room private', async () => {
      await updateRoom(world.roomDeps, alice, { roomId, topic: 'Old' });
      const { room } = await updateRoom(world.roomDeps, alice, { roomId, topic: '  ', visibility: 'private' });

      expect(room.topic).toBeUndefined();
      expect(room.visibility).toBe('private');
      expect((await listRooms(world.roomDeps, dave, { limit: 50 })).rooms).toEqual([]);
    });

    it('lets the owner opt the room in to sharing message text in events, and audits it', async () => {
      const { room, changed } = await updateRoom(world.roomDeps, alice, { roomId, shareMessageTextInEvents: true });

      expect(changed).toEqual(['shareMessageTextInEvents']);
      expect(await world.rooms.getRoom(roomId)).toMatchObject({
        shareMessageTextInEvents: true,
        // Only messages posted from now on share their text.
        shareMessageTextInEventsSince: new Date(world.clock.now()).toISOString(),
      });
      expect(framesOfType('c-bob-1', 'roomUpdated')).toEqual([{ type: 'roomUpdated', room }]);
      expect(world.audit.entries.at(-1)).toMatchObject({ action: 'room.updated', details: { changed: ['shareMessageTextInEvents'] } });
      const off = await updateRoom(world.roomDeps, alice, { roomId, shareMessageTextInEvents: false });
      expect(off.room).not.toHaveProperty('shareMessageTextInEventsSince');
    });

    it('changes nothing and tells nobody when the values are the current ones', async () => {
      const { changed } = await updateRoom(world.roomDeps, alice, { roomId, name: 'Lobby', preview: true });

      expect(changed).toEqual([]);
      expect(world.gateway.posts).toEqual([]);
      expect(world.audit.entries.filter((e) => e.action === 'room.updated')).toEqual([]);
    });

    it('refuses an empty change, a moderator and a non-member', async () => {
      await setRole(world.roomDeps, alice, { roomId, userId: bob.userId, role: 'moderator' });

      await expect(updateRoom(world.roomDeps, alice, { roomId })).rejects.toThrow(ValidationError);
      await expect(updateRoom(world.roomDeps, bob, { roomId, name: 'Mine' })).rejects.toThrow(PermissionError);
      await expect(updateRoom(world.roomDeps, dave, { roomId, name: 'Mine' })).rejects.toThrow(PermissionError);
      expect((await world.rooms.getRoom(roomId))?.name).toBe('Lobby');
    });
  });

  describe('deleteRoom', () => {
    it('refuses without the room’s exact name, and from anyone but the owner', async () => {
      await expect(deleteRoom(world.roomDeps, alice, { roomId, confirm: 'lobby' })).rejects.toThrow(ValidationError);
      await expect(deleteRoom(world.roomDeps, bob, { roomId, confirm: 'Lobby' })).rejects.toThrow(PermissionError);
      expect((await world.rooms.getRoom(roomId))?.deletedAt).toBeUndefined();
    });

    it('tells every member, unsubscribes them, removes memberships, and answers deleted from then on', async () => {
      await inviteMember(world.roomDeps, alice, { roomId, userId: dave.userId, role: 'member' });
      await sendMessage(world.sendDeps, bob, { roomId, clientMessageId: 'm1', text: 'hello' });
      world.gateway.posts.length = 0;

      const result = await deleteRoom(world.roomDeps, alice, { roomId, confirm: 'Lobby' });

      for (const connectionId of ['c-alice', 'c-bob-1', 'c-bob-2', 'c-carol']) {
        expect(framesOfType(connectionId, 'roomRemoved')).toEqual([{ type: 'roomRemoved', roomId, reason: 'deleted' }]);
      }
      expect(await world.connections.listRoomConnections(roomId)).toEqual([]);
      expect(await world.rooms.listMembers(roomId)).toEqual([]);
      expect(await world.rooms.getInvitation(roomId, dave.userId)).toBeUndefined();
      expect(result.removedItems).toBe(4);
      expect(world.audit.entries.at(-1)).toMatchObject({ action: 'room.deleted' });

      const deleted = /has been deleted/;
      await expect(joinRoom(world.roomDeps, dave, { roomId })).rejects.toThrow(deleted);
      await expect(sendMessage(world.sendDeps, bob, { roomId, clientMessageId: 'm2', text: 'hi' })).rejects.toThrow(deleted);
      await expect(getHistory(world, bob, { roomId, limit: 50, direction: 'backward' })).rejects.toThrow(deleted);
      expect(await getRoom(world, dave, { roomId })).toEqual({ status: 'deleted', roomId });
      expect((await listRooms(world.roomDeps, dave, { limit: 50 })).rooms).toEqual([]);
      expect((await searchRooms(world, { query: 'lob', limit: 20 })).rooms).toEqual([]);
    });

    it('queues the purge of the room’s messages and memory, with the deletion time', async () => {
      const { deletedAt } = await deleteRoom(world.roomDeps, alice, { roomId, confirm: 'Lobby' });

      expect(world.purges.jobs).toEqual([{ roomId, deletedAt, phase: 'messages', sequence: 0 }]);
    });

    it('keeps the memberships when the purge cannot be queued, and queues it on the retry', async () => {
      world.purges.failures = 1;

      await expect(deleteRoom(world.roomDeps, alice, { roomId, confirm: 'Lobby' })).rejects.toThrow(/purge could not be queued/);
      expect(await world.rooms.listMembers(roomId)).toHaveLength(3);
      expect(world.gateway.posts).toEqual([]);

      const { deletedAt } = await deleteRoom(world.roomDeps, alice, { roomId, confirm: 'Lobby' });
      expect(world.purges.jobs).toEqual([{ roomId, deletedAt, phase: 'messages', sequence: 0 }]);
      expect(await world.rooms.listMembers(roomId)).toEqual([]);
    });

    it('finishes the cleanup when retried after a failure part-way', async () => {
      const unsubscribe = world.connections.unsubscribeRoom.bind(world.connections);
      world.connections.unsubscribeRoom = async () => {
        throw new Error('throttled');
      };
      await expect(deleteRoom(world.roomDeps, alice, { roomId, confirm: 'Lobby' })).rejects.toThrow(/still receive/);
      world.connections.unsubscribeRoom = unsubscribe;

      await deleteRoom(world.roomDeps, alice, { roomId, confirm: 'Lobby' });

      expect(await world.rooms.listMembers(roomId)).toEqual([]);
      expect(world.audit.entries.filter((e) => e.action === 'room.deleted')).toHaveLength(1);
    });
  });

  describe('transferOwnership', () => {
    it('makes the member owner and the former owner a moderator, who may then leave', async () => {
      await expect(leaveRoom(world.roomDeps, alice, { roomId })).rejects.toThrow(/transferOwnership/);

      const { room, owner, former } = await transferOwnership(world.roomDeps, alice, { roomId, userId: bob.userId });

      expect(room.ownerId).toBe(bob.userId);
      expect(owner.role).toBe('owner');
      expect(former.role).toBe('moderator');
      expect((await world.rooms.getMembership(roomId, alice.userId))?.role).toBe('moderator');
      expect(framesOfType('c-carol', 'roomUpdated')).toEqual([{ type: 'roomUpdated', room }]);
      expect(world.audit.entries.at(-1)).toMatchObject({ action: 'room.ownershipTransferred', details: { from: alice.userId, to: bob.userId } });
      await leaveRoom(world.roomDeps, alice, { roomId });
      expect(await world.rooms.getMembership(roomId, alice.userId)).toBeUndefined();
    });

    it('refuses a non-owner, a non-member heir and oneself', async () => {
      await expect(transferOwnership(world.roomDeps, bob, { roomId, userId: carol.userId })).rejects.toThrow(PermissionError);
      await expect(transferOwnership(world.roomDeps, alice, { roomId, userId: dave.userId })).rejects.toThrow(NotFoundError);
      await expect(transferOwnership(world.roomDeps, alice, { roomId, userId: alice.userId })).rejects.toThrow(ValidationError);
      expect((await world.rooms.getRoom(roomId))?.ownerId).toBe(alice.userId);
    });
  });

  describe('banMember and unbanMember', () => {
    it('removes the member, tells every connection, and keeps them out until unbanned', async () => {
      const { ban } = await banMember(world.roomDeps, alice, { roomId, userId: bob.userId, reason: 'spam' });

      expect(ban).toMatchObject({ userId: bob.userId, userName: bob.displayName, bannedBy: alice.userId, reason: 'spam' });
      expect(await world.rooms.getMembership(roomId, bob.userId)).toBeUndefined();
      for (const connectionId of ['c-bob-1', 'c-bob-2']) {
        expect(framesOfType(connectionId, 'roomRemoved')).toEqual([{ type: 'roomRemoved', roomId, reason: 'banned' }]);
        expect(framesOfType(connectionId, 'roomEvent')).toEqual([]);
      }
      expect(framesOfType('c-carol', 'roomEvent')).toContainEqual(
        expect.objectContaining({ event: { kind: 'memberRemoved', userId: bob.userId, by: alice.userId } }),
      );
      const subscribed = (await world.connections.listRoomConnections(roomId)).map((c) => c.connectionId);
      expect(subscribed.sort()).toEqual(['c-alice', 'c-carol']);
      await expect(joinRoom(world.roomDeps, bob, { roomId })).rejects.toThrow(/banned/);
      await expect(inviteMember(world.roomDeps, alice, { roomId, userId: bob.userId, role: 'member' })).rejects.toThrow(ConflictError);
      await expect(sendMessage(world.sendDeps, bob, { roomId, clientMessageId: 'm1', text: 'back' })).rejects.toThrow(PermissionError);
      expect((await listBans(world.roomDeps, alice, { roomId, limit: 50 })).items.map((b) => b.userId)).toEqual([bob.userId]);

      await unbanMember(world.roomDeps, alice, { roomId, userId: bob.userId });
      expect((await joinRoom(world.roomDeps, bob, { roomId })).membership.role).toBe('member');
      expect(world.audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['member.banned', 'member.unbanned']));
      expect(JSON.stringify(world.audit.entries)).not.toContain('spam');
    });

    it('removes a pending invitation and bans someone not yet a member', async () => {
      await inviteMember(world.roomDeps, alice, { roomId, userId: dave.userId, role: 'member' });

      const { ban } = await banMember(world.roomDeps, alice, { roomId, userId: dave.userId });

      // Not a member: the ban list names them from their profile.
      expect(ban.userName).toBe(dave.displayName);
      expect(await world.rooms.getInvitation(roomId, dave.userId)).toBeUndefined();
      await expect(joinRoom(world.roomDeps, dave, { roomId })).rejects.toThrow(/banned/);
    });

    it('does not let a moderator ban the owner or another moderator, nor anyone ban themselves', async () => {
      await setRole(world.roomDeps, alice, { roomId, userId: bob.userId, role: 'moderator' });
      await setRole(world.roomDeps, alice, { roomId, userId: carol.userId, role: 'moderator' });

      await expect(banMember(world.roomDeps, bob, { roomId, userId: alice.userId })).rejects.toThrow(/cannot ban a owner/);
      await expect(banMember(world.roomDeps, bob, { roomId, userId: carol.userId })).rejects.toThrow(/cannot ban a moderator/);
      await expect(banMember(world.roomDeps, alice, { roomId, userId: alice.userId })).rejects.toThrow(/yourself/);
      await expect(unbanMember(world.roomDeps, bob, { roomId, userId: dave.userId })).rejects.toThrow(NotFoundError);
      expect(world.rooms.bans.size).toBe(0);
    });

    it('refuses plain members', async () => {
      await expect(banMember(world.roomDeps, bob, { roomId, userId: carol.userId })).rejects.toThrow(PermissionError);
      await expect(listBans(world.roomDeps, bob, { roomId, limit: 50 })).rejects.toThrow(PermissionError);
    });
  });

  describe('leaving and removal', () => {
    it('tells every connection of the person who left or was removed', async () => {
      await leaveRoom(world.roomDeps, bob, { roomId });
      await removeMember(world.roomDeps, alice, { roomId, userId: carol.userId });

      for (const connectionId of ['c-bob-1', 'c-bob-2']) {
        expect(framesOfType(connectionId, 'roomRemoved')).toEqual([{ type: 'roomRemoved', roomId, reason: 'left' }]);
      }
      expect(framesOfType('c-carol', 'roomRemoved')).toEqual([{ type: 'roomRemoved', roomId, reason: 'removed' }]);
      expect(framesOfType('c-alice', 'roomRemoved')).toEqual([]);
    });
  });

  describe('getRoom', () => {
    beforeEach(async () => {
      await sendMessage(world.sendDeps, bob, { roomId, clientMessageId: 'm1', text: 'hello all' });
    });

    it('gives a member the room and their membership', async () => {
      const view = await getRoom(world, bob, { roomId });

      expect(view).toMatchObject({ status: 'member', room: { roomId, name: 'Lobby' }, membership: { role: 'member' } });
    });

    it('gives a non-member a preview of a public room with its count and recent public messages', async () => {
      const view = await getRoom(world, dave, { roomId });

      expect(view).toMatchObject({ status: 'preview', memberCount: 3, room: { name: 'Lobby' } });
      expect(view.status === 'preview' && view.messages?.map((m) => m.text)).toEqual(['hello all']);
    });

    it('leaves the messages out when the owner turns previews off, or for a banned person', async () => {
      await updateRoom(world.roomDeps, alice, { roomId, preview: false });
      expect(await getRoom(world, dave, { roomId })).not.toHaveProperty('messages');

      await updateRoom(world.roomDeps, alice, { roomId, preview: true });
      await banMember(world.roomDeps, alice, { roomId, userId: dave.userId });
      const banned = await getRoom(world, dave, { roomId });
      expect(banned).toMatchObject({ status: 'preview', banned: true });
      expect(banned).not.toHaveProperty('messages');
    });

    it('answers NOT_FOUND for a private room, exactly as for an unknown id', async () => {
      await updateRoom(world.roomDeps, alice, { roomId, visibility: 'private' });

      await expect(getRoom(world, dave, { roomId })).rejects.toThrow(`Room "${roomId}" not found.`);
      await expect(getRoom(world, dave, { roomId: 'nope' })).rejects.toThrow('Room "nope" not found.');
    });
  });

  describe('searchRooms', () => {
    it('finds public rooms by name prefix, ignoring case and width, in pages', async () => {
      for (const name of ['lobby two', 'LOBBY three', 'Library']) {
        await createRoom(world.roomDeps, carol, { name, visibility: 'public' });
      }
      await createRoom(world.roomDeps, carol, { name: 'Lobby secret', visibility: 'private' });

      const first = await searchRooms(world, { query: 'ＬＯＢ', limit: 2 });
      const second = await searchRooms(world, { query: 'lob', limit: 2, cursor: first.nextCursor! });

      const names = [...first.rooms, ...second.rooms].map((r) => r.name);
      // In the index's order: folded name then `#`, and a space sorts before `#`.
      expect(names).toEqual(['LOBBY three', 'lobby two', 'Lobby']);
      expect(second.nextCursor).toBeUndefined();
    });
  });
});
