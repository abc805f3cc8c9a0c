import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/domain/errors';
import { connectUser } from '../../../lambdas/use-cases/connect-user';
import { createRoom } from '../../../lambdas/use-cases/create-room';
import { joinRoom } from '../../../lambdas/use-cases/join-room';
import { leaveRoom } from '../../../lambdas/use-cases/leave-room';
import { sendMessage } from '../../../lambdas/use-cases/send-message';
import { updateProfile } from '../../../lambdas/use-cases/update-profile';
import { alice, bob, fakeWorld } from '../../support/fakes/chat';

describe('updateProfile', () => {
  let world: ReturnType<typeof fakeWorld>;
  let lobby: string;
  let den: string;

  beforeEach(async () => {
    world = fakeWorld();
    await connectUser(world, alice, 'c-alice', world.clock.now());
    await connectUser(world, alice, 'c-alice-phone', world.clock.now());
    await connectUser(world, bob, 'c-bob', world.clock.now());
    lobby = (await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' })).room.roomId;
    den = (await createRoom(world.roomDeps, bob, { name: 'Den', visibility: 'public' })).room.roomId;
    await joinRoom(world.roomDeps, alice, { roomId: den });
  });

  it('renames the caller in every room and on every live connection', async () => {
    const result = await updateProfile(world.roomDeps, alice, { displayName: '  Alice Liddell ' });

    expect(result).toMatchObject({ displayName: 'Alice Liddell', roomIds: expect.arrayContaining([lobby, den]) });
    expect((await world.rooms.getMembership(lobby, alice.userId))?.displayName).toBe('Alice Liddell');
    expect((await world.rooms.getMembership(den, alice.userId))?.displayName).toBe('Alice Liddell');
    expect((await world.connections.getConnection('c-alice-phone'))?.displayName).toBe('Alice Liddell');
    expect((await world.connections.getConnection('c-bob'))?.displayName).toBe('Bob');
  });

  it('tells each room’s members with a memberRenamed room event', async () => {
    await updateProfile(world.roomDeps, alice, { displayName: 'Alice Liddell' });

    const renamed = world.gateway
      .framesFor('c-bob')
      .filter((f: any) => f.type === 'roomEvent' && f.event.kind === 'memberRenamed');
    expect(renamed).toEqual([
      { type: 'roomEvent', roomId: den, event: { kind: 'memberRenamed', member: expect.objectContaining({ userId: alice.userId, displayName: 'Alice Liddell' }) } },
    ]);
  });

  it('gives new messages the new name, even on a connection opened with the old token, and leaves old ones alone', async () => {
    const before = await sendMessage(world.sendDeps, alice, { roomId: lobby, clientMessageId: 'm1', text: 'hi' });

    await updateProfile(world.roomDeps, alice, { displayName: 'Alice Liddell' });
    const after = await sendMessage(world.sendDeps, alice, { roomId: lobby, clientMessageId: 'm2', text: 'hi again' });

    expect(before.message.senderName).toBe('Alice');
    expect(after.message.senderName).toBe('Alice Liddell');
    const history = await world.messages.getHistory(lobby, { limit: 10, direction: 'backward' });
    expect(history.items.map((m) => m.senderName)).toEqual(['Alice', 'Alice Liddell']);
  });

  it('announces nothing and writes nothing when the name is unchanged', async () => {
    const posted = world.gateway.posts.length;

    const result = await updateProfile(world.roomDeps, alice, { displayName: 'Alice' });

    expect(result.roomIds).toHaveLength(2);
    expect(result.delivery).toBeUndefined();
    expect(world.gateway.posts.length).toBe(posted);
  });

  it('does not bring back a membership left meanwhile', async () => {
    const rooms = world.rooms;
    const listed = await rooms.listRoomsOfUser(alice.userId);
    await leaveRoom(world.roomDeps, alice, { roomId: den });
    rooms.listRoomsOfUser = async () => listed;

    const result = await updateProfile(world.roomDeps, alice, { displayName: 'Alice Liddell' });

    expect(result.roomIds).toEqual([lobby]);
    expect(await rooms.getMembership(den, alice.userId)).toBeUndefined();
  });

  it.each([
    ['an empty name', '   '],
    ['a name over 64 characters', 'x'.repeat(65)],
    ['a control character', 'Alice\u0007'],
    ['a line break inside', 'Ali\nce'],
    ['a bidirectional override', 'Alice\u202E'],
  ])('refuses %s and changes nothing', async (_, displayName) => {
    await expect(updateProfile(world.roomDeps, alice, { displayName })).rejects.toThrow(ValidationError);
    expect((await world.rooms.getMembership(lobby, alice.userId))?.displayName).toBe('Alice');
  });
});
