import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_REPLY_ATTEMPTS, jobDeduplicationId, parseAgentJob } from '../../../../lambdas/domain/agents/job';
import type { AgentMessage } from '../../../../lambdas/domain/agents/reply';
import { ConflictError, NotFoundError, PermissionError } from '../../../../lambdas/domain/errors';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { joinRoom } from '../../../../lambdas/use-cases/join-room';
import { agentCallKey } from '../../../../lambdas/use-cases/agents/answer-job';
import {
  regenerateAgentReply,
  type RegenerateAgentReplyDeps,
} from '../../../../lambdas/use-cases/agents/regenerate-agent-reply';
import { alice, bob, carol, fakeWorld } from '../../../support/fakes/chat';
import { FakeAgentMessages, FakeAgents, FakeJobQueue, FakeLiveReplies, agentOf } from '../../../support/fakes/agents';

describe('attempt keys', () => {
  const job = { roomId: 'r1', handle: 'guide', triggerMessageId: 'M1' };

  it('keeps the first answer’s keys exactly as before and adds the attempt from the second on', () => {
    expect(jobDeduplicationId(job)).toBe('M1#guide');
    expect(jobDeduplicationId({ ...job, attempt: 1 })).toBe('M1#guide');
    expect(jobDeduplicationId({ ...job, attempt: 2 })).toBe('M1#guide#2');
    expect(agentCallKey(job)).toBe('agent-call:r1:guide:M1');
    expect(agentCallKey({ ...job, attempt: 1 })).toBe('agent-call:r1:guide:M1');
    expect(agentCallKey({ ...job, attempt: 3 })).toBe('agent-call:r1:guide:M1#3');
  });

  it('reads a job’s attempt from the queue, and refuses one beyond the cap', () => {
    const body = { ...job, reason: 'mention', replyDepth: 0 };

    expect(parseAgentJob(JSON.stringify(body)).attempt).toBeUndefined();
    expect(parseAgentJob(JSON.stringify({ ...body, attempt: 2 })).attempt).toBe(2);
    expect(() => parseAgentJob(JSON.stringify({ ...body, attempt: MAX_REPLY_ATTEMPTS + 1 }))).toThrow();
  });
});

describe('regenerateAgentReply', () => {
  let world: ReturnType<typeof fakeWorld>;
  let messages: FakeAgentMessages;
  let liveReplies: FakeLiveReplies;
  let jobs: FakeJobQueue;
  let agents: FakeAgents;
  let deps: RegenerateAgentReplyDeps;
  let roomId: string;
  const regenerate = (who: typeof alice, messageId = 'R1') =>
    regenerateAgentReply(deps, who, { requestId: 'q1', roomId, messageId });

  const replyOf = (messageId: string, attempt?: number): AgentMessage => ({
    roomId,
    messageId,
    senderId: 'agent:guide',
    senderName: 'Guide',
    senderType: 'agent',
    text: 'An answer.',
    createdAt: '2026-11-21T12:00:01.000Z',
    agents: true,
    agent: {
      handle: 'guide',
      modelId: 'offline',
      inputTokens: 10,
      outputTokens: 5,
      latencyMs: 100,
      replyDepth: 0,
      triggerMessageId: 'M1',
      ...(attempt === undefined ? {} : { attempt }),
    },
  });

  beforeEach(async () => {
    world = fakeWorld();
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId });
    await joinRoom(world.roomDeps, carol, { roomId });
    messages = new FakeAgentMessages();
    messages.history.push({
      messageId: 'M1',
      senderId: bob.userId,
      senderName: 'Bob',
      senderType: 'human',
      text: '@guide what is Parley?',
      createdAt: '2026-11-21T12:00:00.000Z',
    });
    await messages.saveReply(replyOf('R1'));
    liveReplies = new FakeLiveReplies();
    jobs = new FakeJobQueue();
    agents = new FakeAgents(agentOf({ handle: 'guide', displayName: 'Guide' }, roomId));
    deps = { rooms: world.rooms, agents, messages, liveReplies, jobs, audit: world.audit, clock: world.clock };
  });

  it('enqueues a second answer from the same agent to the same message and records who asked', async () => {
    const result = await regenerate(bob);

    expect(result).toEqual({ roomId, messageId: 'R1', triggerMessageId: 'M1', handle: 'guide', attempt: 2 });
    expect(jobs.enqueued).toEqual([
      { roomId, handle: 'guide', triggerMessageId: 'M1', reason: 'mention', replyDepth: 0, attempt: 2 },
    ]);
    expect(world.audit.entries.at(-1)).toMatchObject({
      idempotencyKey: `agent-reply-regenerated:${roomId}:guide:M1:2`,
      action: 'agent.replyRegenerated',
      actor: { type: 'user', id: bob.userId },
      target: { type: 'message', id: 'R1' },
      details: { agent: 'guide', triggerMessageId: 'M1', attempt: 2 },
    });
  });

  it('lets the owner regenerate any reply', async () => {
    await expect(regenerate(alice)).resolves.toMatchObject({ attempt: 2 });
  });

  it('refuses another member, changing nothing', async () => {
    const entries = world.audit.entries.length;

    await expect(regenerate(carol)).rejects.toThrow(PermissionError);
    expect(jobs.enqueued).toEqual([]);
    expect(liveReplies.regenerations.size).toBe(0);
    expect(world.audit.entries).toHaveLength(entries);
  });

  it('refuses someone outside the room', async () => {
    await expect(regenerate({ userId: 'u-dan', displayName: 'Dan' })).rejects.toThrow();
    expect(jobs.enqueued).toEqual([]);
  });

  it('answers not found for an unknown reply', async () => {
    await expect(regenerate(bob, 'R-unknown')).rejects.toThrow(NotFoundError);
    expect(jobs.enqueued).toEqual([]);
  });

  it('answers not found when the agent was removed', async () => {
    agents.agents.clear();

    await expect(regenerate(bob)).rejects.toThrow(NotFoundError);
    expect(jobs.enqueued).toEqual([]);
  });

  it('refuses a reply that is still streaming', async () => {
    await liveReplies.start({ roomId, replyId: 'R0', handle: 'guide', triggerMessageId: 'M1', askedBy: bob.userId });

    await expect(regenerate(bob, 'R0')).rejects.toThrow(ConflictError);
    expect(jobs.enqueued).toEqual([]);
  });

  it('refuses a second request while the new answer is queued or streaming', async () => {
    await regenerate(bob);

    await expect(regenerate(alice)).rejects.toThrow(ConflictError);
    expect(jobs.enqueued).toHaveLength(1);
  });

  it('asks for the next attempt once the previous one is stored, from any of the replies', async () => {
    await regenerate(bob);
    await messages.saveReply(replyOf('R2', 2));

    await expect(regenerate(bob, 'R1')).resolves.toMatchObject({ attempt: 3 });
    expect(jobs.enqueued.map((job) => job.attempt)).toEqual([2, 3]);
  });

  it(`refuses once the agent has answered the message ${MAX_REPLY_ATTEMPTS} times`, async () => {
    await messages.saveReply(replyOf('R2', 2));
    await messages.saveReply(replyOf('R3', 3));
    const entries = world.audit.entries.length;

    await expect(regenerate(bob, 'R3')).rejects.toThrow(ConflictError);
    await expect(regenerate(bob, 'R1')).rejects.toThrow(/3 times/);
    expect(jobs.enqueued).toEqual([]);
    expect(world.audit.entries).toHaveLength(entries);
  });

  it('gives the claim back when the job cannot be enqueued, so asking again works', async () => {
    jobs.enqueue = async () => {
      throw new Error('queue unavailable');
    };

    await expect(regenerate(bob)).rejects.toThrow('queue unavailable');
    expect(liveReplies.regenerations.size).toBe(0);
    expect(world.audit.entries.some((e) => e.action === 'agent.replyRegenerated')).toBe(false);
  });
});
