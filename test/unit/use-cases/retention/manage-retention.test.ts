import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, PermissionError, ValidationError } from '../../../../lambdas/domain/errors';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { joinRoom } from '../../../../lambdas/use-cases/join-room';
import {
  getRetention,
  setRetention,
  type ManageRetentionDeps,
} from '../../../../lambdas/use-cases/retention/manage-retention';
import { alice, bob, carol, fakeWorld } from '../../../support/fakes/chat';
import { FakeAudit, FakeRetention } from '../../../support/fakes/retention';

let world: ReturnType<typeof fakeWorld>;
let deps: ManageRetentionDeps & { retention: FakeRetention; audit: FakeAudit };
let roomId: string;

beforeEach(async () => {
  world = fakeWorld();
  deps = { rooms: world.rooms, retention: new FakeRetention(), audit: new FakeAudit(), clock: world.clock, defaultDays: 365 };
  roomId = (await createRoom(world.roomDeps, alice, { name: 'lobby', visibility: 'public' })).room.roomId;
  await joinRoom(world.roomDeps, bob, { roomId });
});

describe('setRetention', () => {
  it('stores the owner’s policy with who set it and when', async () => {
    const result = await setRetention(deps, alice, { roomId, days: 30, archiveDeletions: true });

    expect(result.retention).toEqual({
      roomId,
      days: 30,
      archiveDeletions: true,
      source: 'room',
      updatedAt: new Date(world.clock.now()).toISOString(),
      updatedBy: alice.userId,
    });
    expect(deps.retention.policies.get(roomId)?.days).toBe(30);
  });

  it('records the change in the audit log, with who made it', async () => {
    await setRetention(deps, alice, { roomId, days: 'forever', archiveDeletions: false });

    expect([...deps.audit.entries.values()]).toEqual([
      expect.objectContaining({
        roomId,
        action: 'retention.changed',
        actor: { type: 'user', id: alice.userId },
        target: { type: 'room', id: roomId },
        details: { days: 'forever', archiveDeletions: false },
      }),
    ]);
  });

  it('refuses members who are not the owner', async () => {
    await expect(setRetention(deps, bob, { roomId, days: 1, archiveDeletions: false })).rejects.toThrow(
      PermissionError,
    );
    expect(deps.retention.policies.size).toBe(0);
    expect(deps.audit.entries.size).toBe(0);
  });

  it('does not reveal a private room to outsiders', async () => {
    const hidden = (await createRoom(world.roomDeps, alice, { name: 'hq', visibility: 'private' })).room.roomId;

    await expect(setRetention(deps, carol, { roomId: hidden, days: 1, archiveDeletions: false })).rejects.toThrow(
      NotFoundError,
    );
  });

  it('rejects periods out of bounds even past the schema', async () => {
    await expect(setRetention(deps, alice, { roomId, days: 0, archiveDeletions: false })).rejects.toThrow(
      ValidationError,
    );
  });
});

describe('getRetention', () => {
  it('tells a member the stack default when the room has no policy', async () => {
    const result = await getRetention(deps, bob, { roomId });

    expect(result.retention).toEqual({ roomId, days: 365, archiveDeletions: false, source: 'default' });
  });

  it('tells a member the room’s own policy once set', async () => {
    await setRetention(deps, alice, { roomId, days: 'forever', archiveDeletions: false });

    const result = await getRetention(deps, bob, { roomId });

    expect(result.retention).toMatchObject({ days: 'forever', source: 'room', updatedBy: alice.userId });
  });

  it('refuses non-members of a public room', async () => {
    await expect(getRetention(deps, carol, { roomId })).rejects.toThrow(PermissionError);
  });
});
