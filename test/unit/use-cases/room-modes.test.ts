import { beforeEach, describe, expect, it } from 'vitest';
import { ROOM_MODE_NOTICES } from '../../../lambdas/domain/games/modes';
import { createRoom } from '../../../lambdas/use-cases/create-room';
import { getRoom } from '../../../lambdas/use-cases/get-room';
import { inviteMember } from '../../../lambdas/use-cases/invite-member';
import { joinRoom } from '../../../lambdas/use-cases/join-room';
import { listRooms } from '../../../lambdas/use-cases/list-rooms';
import { acceptInvitation } from '../../../lambdas/use-cases/people/accept-invitation';
import { listInvitations } from '../../../lambdas/use-cases/people/list-invitations';
import { searchRooms } from '../../../lambdas/use-cases/search-rooms';
import { updateRoom } from '../../../lambdas/use-cases/update-room';
import { alice, bob, carol, fakeWorld } from '../../support/fakes/chat';

describe('room modes', () => {
  let world: ReturnType<typeof fakeWorld>;

  beforeEach(async () => {
    world = fakeWorld();
    for (const [connectionId, who] of [
      ['c-alice', alice],
      ['c-bob', bob],
      ['c-carol', carol],
    ] as const) {
      await world.connections.saveConnection({ connectionId, ...who, connectedAt: '' }, []);
      await world.profiles.ensureProfile({ ...who, createdAt: '2026-12-01T00:00:00.000Z' });
    }
  });

  const framesOfType = (connectionId: string, type: string) =>
    world.gateway.framesFor(connectionId).filter((f) => (f as { type: string }).type === type);

  describe('createRoom', () => {
    it('keeps a game mode on the room, in the audit trail and in roomAdded', async () => {
      const { room } = await createRoom(world.roomDeps, alice, { name: 'Who is it', visibility: 'public', mode: 'imposter' });

      expect((await world.rooms.getRoom(room.roomId))?.mode).toBe('imposter');
      expect(world.audit.entries.at(-1)).toMatchObject({ action: 'room.created', details: { visibility: 'public', mode: 'imposter' } });
      expect(framesOfType('c-alice', 'roomAdded')).toEqual([expect.objectContaining({ room: expect.objectContaining({ mode: 'imposter' }) })]);
    });

    it('stores no mode for a chat room, like rooms made before modes', async () => {
      const { room } = await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public', mode: 'chat' });

      expect(await world.rooms.getRoom(room.roomId)).not.toHaveProperty('mode');
    });
  });

  describe('before joining', () => {
    it('shows a non-member a game room’s mode and its notice in the preview', async () => {
      const { room } = await createRoom(world.roomDeps, alice, { name: 'Who is it', visibility: 'public', mode: 'imposter' });

      const view = await getRoom(world, bob, { roomId: room.roomId });

      expect(view).toMatchObject({ status: 'preview', room: { mode: 'imposter' }, modeNotice: ROOM_MODE_NOTICES.imposter });
    });

    it('gives a member the notice too, and a chat room none', async () => {
      const { room: game } = await createRoom(world.roomDeps, alice, { name: 'Talk', visibility: 'public', mode: 'dialogue' });
      const { room: chat } = await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' });

      expect(await getRoom(world, alice, { roomId: game.roomId })).toMatchObject({ status: 'member', modeNotice: ROOM_MODE_NOTICES.dialogue });
      expect(await getRoom(world, bob, { roomId: chat.roomId })).not.toHaveProperty('modeNotice');
    });

    it('lists each game mode’s notice once beside the search results that carry their modes', async () => {
      await createRoom(world.roomDeps, alice, { name: 'Game one', visibility: 'public', mode: 'imposter' });
      await createRoom(world.roomDeps, alice, { name: 'Game two', visibility: 'public', mode: 'imposter' });
      await createRoom(world.roomDeps, alice, { name: 'Games chat', visibility: 'public' });

      const found = await searchRooms(world, { query: 'game', limit: 20 });

      expect(found.rooms.map((r) => [r.name, r.mode])).toEqual([
        ['Game one', 'imposter'],
        ['Game two', 'imposter'],
        ['Games chat', undefined],
      ]);
      expect(found.modeNotices).toEqual({ imposter: ROOM_MODE_NOTICES.imposter });
    });

    it('leaves modeNotices out of a page of chat rooms', async () => {
      await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' });

      expect(await searchRooms(world, { query: 'lob', limit: 20 })).not.toHaveProperty('modeNotices');
    });

    it('tells an invitee to a private game room its mode, which they cannot preview', async () => {
      const { room } = await createRoom(world.roomDeps, alice, { name: 'Hidden game', visibility: 'private', mode: 'imposter' });

      await inviteMember(world.roomDeps, alice, { roomId: room.roomId, userId: bob.userId, role: 'member' });

      expect(framesOfType('c-bob', 'invitation')).toEqual([
        { type: 'invitation', invitation: expect.objectContaining({ roomId: room.roomId, roomMode: 'imposter' }) },
      ]);
      const listed = await listInvitations(world.roomDeps, bob, { limit: 20 });
      expect(listed.invitations.map((i) => i.roomMode)).toEqual(['imposter']);
      await expect(getRoom(world, bob, { roomId: room.roomId })).rejects.toThrow('not found');
    });

    it('sends a chat room’s invitation with no mode', async () => {
      const { room } = await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'private' });

      const { invitation } = await inviteMember(world.roomDeps, alice, { roomId: room.roomId, userId: bob.userId, role: 'member' });

      expect(invitation).not.toHaveProperty('roomMode');
    });
  });

  describe('after joining', () => {
    it('lists the room with its mode for members who joined or accepted an invitation', async () => {
      const { room } = await createRoom(world.roomDeps, alice, { name: 'Talk', visibility: 'private', mode: 'dialogue' });
      await inviteMember(world.roomDeps, alice, { roomId: room.roomId, userId: bob.userId, role: 'member' });
      const { room: open } = await createRoom(world.roomDeps, alice, { name: 'Open game', visibility: 'public', mode: 'imposter' });

      await acceptInvitation(world.roomDeps, bob, { roomId: room.roomId });
      await joinRoom(world.roomDeps, bob, { roomId: open.roomId });

      expect(framesOfType('c-bob', 'roomAdded').map((f) => (f as { room: { mode?: string } }).room.mode)).toEqual(['dialogue', 'imposter']);
      const listed = await listRooms(world.roomDeps, bob, { limit: 50 });
      expect(listed.rooms.filter((r) => r.role !== undefined).map((r) => r.mode).sort()).toEqual(['dialogue', 'imposter']);
    });

    it('keeps the mode when the owner changes other settings', async () => {
      const { room } = await createRoom(world.roomDeps, alice, { name: 'Who is it', visibility: 'public', mode: 'imposter' });

      await updateRoom(world.roomDeps, alice, { roomId: room.roomId, name: 'Who is the AI', visibility: 'private' });

      expect(await world.rooms.getRoom(room.roomId)).toMatchObject({ name: 'Who is the AI', mode: 'imposter' });
    });
  });
});
