import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../lambdas/domain/errors';
import { createRoom } from '../../../lambdas/use-cases/create-room';
import { getHistory } from '../../../lambdas/use-cases/get-history';
import { sendMessage } from '../../../lambdas/use-cases/send-message';
import { alice, bob, fakeWorld } from '../../support/fakes/chat';

describe('getHistory', () => {
  let world: ReturnType<typeof fakeWorld>;
  let roomId: string;

  beforeEach(async () => {
    world = fakeWorld();
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Secret', visibility: 'private' })).room.roomId;
    for (let i = 0; i < 7; i += 1) {
      world.clock.advance(1);
      await sendMessage(world.sendDeps, alice, { roomId, clientMessageId: `c${i}`, text: `m${i}` });
    }
  });

  it('pages backwards in chronological pages and forwards to catch up', async () => {
    const deps = { rooms: world.rooms, messages: world.messages };
    const newest = await getHistory(deps, alice, { roomId, limit: 3, direction: 'backward' });
    expect(newest.items.map((m) => m.text)).toEqual(['m4', 'm5', 'm6']);

    const older = await getHistory(deps, alice, { roomId, limit: 3, direction: 'backward', cursor: newest.nextCursor! });
    expect(older.items.map((m) => m.text)).toEqual(['m1', 'm2', 'm3']);

    const after = await getHistory(deps, alice, { roomId, limit: 10, direction: 'forward', cursor: older.items[0]!.messageId });
    expect(after.items.map((m) => m.text)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6']);
    expect(after.nextCursor).toBeUndefined();
  });

  it('hides a private room from a non-member', async () => {
    await expect(
      getHistory({ rooms: world.rooms, messages: world.messages }, bob, { roomId, limit: 10, direction: 'backward' }),
    ).rejects.toThrow(NotFoundError);
  });

  it('rejects a cursor it did not issue', async () => {
    await expect(
      getHistory({ rooms: world.rooms, messages: world.messages }, alice, {
        roomId,
        limit: 10,
        direction: 'backward',
        cursor: '../../etc',
      }),
    ).rejects.toThrow(ValidationError);
  });
});
