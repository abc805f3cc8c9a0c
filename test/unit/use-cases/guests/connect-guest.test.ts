import { beforeEach, describe, expect, it } from 'vitest';
import { PermissionError } from '../../../../lambdas/domain/errors';
import { applySettings } from '../../../../lambdas/domain/room-settings';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { getHistory } from '../../../../lambdas/use-cases/get-history';
import { connectGuest } from '../../../../lambdas/use-cases/guests/connect-guest';
import { sendMessage } from '../../../../lambdas/use-cases/send-message';
import { updateRoom } from '../../../../lambdas/use-cases/update-room';
import { alice, fakeWorld } from '../../../support/fakes/chat';

const ada = { userId: 'guest-ada', displayName: 'Ada (guest)' };
const expiresAt = '2026-11-21T12:30:00.000Z';

describe('guests in a room', () => {
  let world: ReturnType<typeof fakeWorld>;
  let roomId: string;

  beforeEach(async () => {
    world = fakeWorld();
    await world.connections.saveConnection({ connectionId: 'c-alice', ...alice, connectedAt: '' }, []);
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' })).room.roomId;
    await updateRoom(world.roomDeps, alice, { roomId, guestAccess: 'post' });
    world.gateway.posts.length = 0;
  });

  const connect = (until = expiresAt) => connectGuest(world, { ...ada, roomId, expiresAt: until }, 'c-ada', world.clock.now());
  const send = (text: string, clientMessageId = 'm1') => sendMessage(world.sendDeps, ada, { roomId, clientMessageId, text });

  it('connects a guest to its one room as a member with the guest role, lapsing with the token', async () => {
    const { roomIds } = await connect();

    expect(roomIds).toEqual([roomId]);
    expect(await world.rooms.getMembership(roomId, ada.userId)).toMatchObject({ role: 'guest', displayName: 'Ada (guest)', expiresAt });
  });

  it('audits a guest’s arrival once, not its renewals', async () => {
    await connect();
    await connect('2026-11-21T13:00:00.000Z');

    const joins = world.audit.entries.filter((e) => e.action === 'member.joined' && e.actor.id === ada.userId);
    expect(joins).toHaveLength(1);
    expect(joins[0]).toMatchObject({ details: { role: 'guest' }, target: { type: 'member', id: 'guest-ada' } });
    expect((await world.rooms.getMembership(roomId, ada.userId))?.expiresAt).toBe('2026-11-21T13:00:00.000Z');
  });

  it('refuses a guest once the room stopped letting guests in', async () => {
    await updateRoom(world.roomDeps, alice, { roomId, guestAccess: 'off' });

    await expect(connect()).rejects.toBeInstanceOf(PermissionError);
    expect(await world.rooms.getMembership(roomId, ada.userId)).toBeUndefined();
  });

  it('lets a guest read the history', async () => {
    await connect();
    await sendMessage(world.sendDeps, alice, { roomId, clientMessageId: 'a1', text: 'welcome' });

    const page = await getHistory(world, ada, { roomId, limit: 50, direction: 'backward' });

    expect(page.items.map((m) => m.text)).toEqual(['welcome']);
  });

  it('delivers a guest’s message to the room, marked as a guest’s', async () => {
    await connect();

    await send('hello from outside');

    expect(world.gateway.framesFor('c-alice')[0]).toMatchObject({
      type: 'message',
      message: { text: 'hello from outside', senderId: 'guest-ada', senderName: 'Ada (guest)' },
    });
  });

  it('refuses a guest’s message as soon as the owner makes guests read-only', async () => {
    await connect();
    await send('first');
    await updateRoom(world.roomDeps, alice, { roomId, guestAccess: 'read' });

    await expect(send('second', 'm2')).rejects.toThrow('Guests can read this room but not post in it.');
    expect(world.messages.messages).toHaveLength(1);
  });

  it('spends the guest’s message budget like anyone’s', async () => {
    await connect();
    world.rateLimiter.allow = false;

    await expect(send('too fast')).rejects.toThrow(/slow|rate|many/i);
    expect(world.rateLimiter.calls).toContain('guest-ada');
  });

  it('audits a change of guest access with the new value', async () => {
    expect(world.audit.entries.at(-1)).toMatchObject({ action: 'room.updated', details: { changed: ['guestAccess'], guestAccess: 'post' } });
    expect(applySettings((await world.rooms.getRoom(roomId))!, { visibility: 'private' }).room.guestAccess).toBe('off');
  });
});
