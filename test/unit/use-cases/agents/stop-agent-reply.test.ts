import { beforeEach, describe, expect, it } from 'vitest';
import { canStopReply } from '../../../../lambdas/domain/agents/live-reply';
import { ConflictError, NotFoundError, PermissionError } from '../../../../lambdas/domain/errors';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { joinRoom } from '../../../../lambdas/use-cases/join-room';
import { stopAgentReply, type StopAgentReplyDeps } from '../../../../lambdas/use-cases/agents/stop-agent-reply';
import { alice, bob, carol, fakeWorld } from '../../../support/fakes/chat';
import { FakeLiveReplies } from '../../../support/fakes/agents';

describe('canStopReply', () => {
  it('lets the person who asked, owners and moderators stop a reply, and no other member', () => {
    const reply = { askedBy: 'u-bob' };

    expect(canStopReply(reply, { userId: 'u-bob', role: 'member' })).toBe(true);
    expect(canStopReply(reply, { userId: 'u-alice', role: 'owner' })).toBe(true);
    expect(canStopReply(reply, { userId: 'u-dan', role: 'moderator' })).toBe(true);
    expect(canStopReply(reply, { userId: 'u-carol', role: 'member' })).toBe(false);
  });
});

describe('stopAgentReply', () => {
  let world: ReturnType<typeof fakeWorld>;
  let liveReplies: FakeLiveReplies;
  let deps: StopAgentReplyDeps;
  let roomId: string;
  const stop = (who: typeof alice, messageId = 'R1') => stopAgentReply(deps, who, { requestId: 'q1', roomId, messageId });

  beforeEach(async () => {
    world = fakeWorld();
    liveReplies = new FakeLiveReplies();
    deps = { rooms: world.rooms, liveReplies, audit: world.audit, clock: world.clock };
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId });
    await joinRoom(world.roomDeps, carol, { roomId });
    await liveReplies.start({ roomId, replyId: 'R1', handle: 'guide', triggerMessageId: 'M1', askedBy: bob.userId });
  });

  it('marks the reply to stop when the person who asked stops it, and records who did', async () => {
    const result = await stop(bob);

    expect(result).toEqual({ roomId, messageId: 'R1', stopping: true });
    expect((await liveReplies.get(roomId, 'R1'))?.stopRequestedBy).toBe(bob.userId);
    expect(world.audit.entries.at(-1)).toMatchObject({
      action: 'agent.replyStopped',
      actor: { type: 'user', id: bob.userId },
      target: { type: 'message', id: 'R1' },
      details: { agent: 'guide', triggerMessageId: 'M1' },
    });
  });

  it('lets the owner stop any reply', async () => {
    await expect(stop(alice)).resolves.toMatchObject({ stopping: true });
  });

  it('refuses another member, changing nothing', async () => {
    const entries = world.audit.entries.length;

    await expect(stop(carol)).rejects.toThrow(PermissionError);
    expect((await liveReplies.get(roomId, 'R1'))?.stopRequestedBy).toBeUndefined();
    expect(world.audit.entries).toHaveLength(entries);
  });

  it('refuses someone outside the room, without saying whether the reply exists', async () => {
    const outsider = { userId: 'u-dan', displayName: 'Dan' };

    await expect(stop(outsider)).rejects.toThrow();
    expect((await liveReplies.get(roomId, 'R1'))?.stopRequestedBy).toBeUndefined();
  });

  it('answers not found for a reply that is not streaming in the room', async () => {
    await expect(stop(bob, 'R-unknown')).rejects.toThrow(NotFoundError);
  });

  it('refuses a reply already stored', async () => {
    await liveReplies.finish(roomId, 'R1');

    await expect(stop(bob)).rejects.toThrow(ConflictError);
    expect((await liveReplies.get(roomId, 'R1'))?.stopRequestedBy).toBeUndefined();
  });
});
