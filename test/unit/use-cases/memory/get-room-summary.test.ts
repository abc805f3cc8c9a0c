import { describe, expect, it } from 'vitest';
import { InMemoryMemoryStore } from '../../../support/fakes/memory';
import { getRoomSummary } from '../../../../lambdas/use-cases/memory/get-room-summary';
import { FakeRooms } from '../../../support/fakes/chat';

const setup = async () => {
  const rooms = new FakeRooms();
  const memory = new InMemoryMemoryStore();
  await rooms.createRoom(
    { roomId: 'r1', name: 'Ops', visibility: 'private', ownerId: 'u-alice', createdAt: '2026-11-21T10:00:00.000Z' },
    { roomId: 'r1', userId: 'u-alice', displayName: 'Alice', role: 'owner', joinedAt: '2026-11-21T10:00:00.000Z' },
  );
  return { rooms, memory, deps: { rooms, memory } };
};

const summary = {
  roomId: 'r1',
  text: 'Dana: The offsite moves to Lisbon.',
  fromMessageId: 'm001',
  toMessageId: 'm020',
  fromSeq: 1,
  throughSeq: 20,
  producedBy: 'extractive',
  createdAt: '2026-11-21T12:00:00.000Z',
};

describe('getRoomSummary', () => {
  it('returns the latest summary with its bounds to a member', async () => {
    const { memory, deps } = await setup();
    await memory.saveSummary(summary);
    await memory.saveSummary({ ...summary, text: 'Later.', toMessageId: 'm040', throughSeq: 40 });

    const result = await getRoomSummary(deps, { userId: 'u-alice', displayName: 'Alice' }, { roomId: 'r1' });

    expect(result).toEqual({
      roomId: 'r1',
      summary: { text: 'Later.', fromMessageId: 'm001', toMessageId: 'm040', createdAt: '2026-11-21T12:00:00.000Z' },
    });
  });

  it('returns null before the room has a summary', async () => {
    const { deps } = await setup();

    const result = await getRoomSummary(deps, { userId: 'u-alice', displayName: 'Alice' }, { roomId: 'r1' });

    expect(result).toEqual({ roomId: 'r1', summary: null });
  });

  it('hides a private room from a non-member', async () => {
    const { memory, deps } = await setup();
    await memory.saveSummary(summary);

    await expect(getRoomSummary(deps, { userId: 'u-eve', displayName: 'Eve' }, { roomId: 'r1' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
