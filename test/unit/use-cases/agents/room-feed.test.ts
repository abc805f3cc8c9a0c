import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentFrame } from '../../../../lambdas/domain/agents/protocol';
import { fanOutGroupOf } from '../../../../lambdas/domain/fan-out';
import { createRoomFeed, fanOutIdOf } from '../../../../lambdas/use-cases/agents/room-feed';
import { deliverFanOutJob } from '../../../../lambdas/use-cases/delivery/deliver-fan-out-job';
import { FakeClock, FakeConnections, FakeGateway } from '../../../support/fakes/chat';
import { FakeFanOutQueue } from '../../../support/fakes/fan-out';

const agent = { handle: 'assistant', displayName: 'Ada' };
const delta = (seq: number, text: string): AgentFrame => ({ type: 'agentDelta', roomId: 'r1', replyId: 'R1', agent, text, seq });
const done: AgentFrame = {
  type: 'agentDone',
  roomId: 'r1',
  replyId: 'R1',
  message: {
    roomId: 'r1',
    messageId: 'R1',
    senderId: 'agent#assistant',
    senderName: 'Ada',
    senderType: 'agent',
    text: 'Hello there',
    createdAt: '2026-11-21T12:00:00.000Z',
    agents: true,
    agent: { handle: 'assistant', modelId: 'm', inputTokens: 1, outputTokens: 2, latencyMs: 3, replyDepth: 0, triggerMessageId: 'T1' },
  },
};

describe('fanOutIdOf', () => {
  it('names a reply’s parts by reply and sequence, its end by the reply, and anything else afresh', () => {
    const fresh = () => 'FRESH';

    expect(fanOutIdOf(delta(4, 'x'), fresh)).toBe('R1.4');
    expect(fanOutIdOf(done, fresh)).toBe('R1');
    expect(fanOutIdOf({ type: 'notice', roomId: 'r1', code: 'AGENT_EMPTY_REPLY', text: 'nothing' }, fresh)).toBe('FRESH');
  });
});

describe('createRoomFeed', () => {
  let connections: FakeConnections;
  let gateway: FakeGateway;
  let queue: FakeFanOutQueue;
  let ids: number;
  const threshold = 4;
  const feed = () =>
    createRoomFeed({
      connections,
      gateway,
      fanOut: { queue, settings: { threshold, shardSize: 2 } },
      clock: new FakeClock(),
      nextId: () => `ID${(ids += 1)}`,
    });
  const open = async (count: number) => {
    for (let i = 0; i < count; i += 1) {
      await connections.saveConnection({ connectionId: `c${i}`, userId: `u${i}`, displayName: `U${i}`, connectedAt: '' }, ['r1']);
    }
  };
  /** Runs the fan-out worker over the queue until it is empty, oldest job first (FIFO within each group). */
  const drain = async () => {
    for (let job = queue.take(); job !== undefined; job = queue.take()) await deliverFanOutJob({ connections, gateway, queue }, job);
  };

  beforeEach(() => {
    connections = new FakeConnections();
    gateway = new FakeGateway();
    queue = new FakeFanOutQueue();
    ids = 0;
  });

  it('posts a frame itself while the room has at most the threshold of connections', async () => {
    await open(threshold);

    const delivery = await feed().publish('r1', delta(0, 'Hel'));

    expect(delivery).toMatchObject({ recipients: 4, delivered: 4 });
    expect(delivery.sharded).toBeUndefined();
    expect(queue.jobs).toEqual([]);
  });

  it('hands a frame to the fan-out workers above the threshold, posting nothing itself', async () => {
    await open(threshold + 3);

    const delivery = await feed().publish('r1', delta(0, 'Hel'));

    expect(delivery).toMatchObject({ recipients: 0, delivered: 0, failed: 0, sharded: 7 });
    expect(gateway.posts).toEqual([]);
    expect(queue.jobs.flatMap((job) => job.connectionIds).sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    for (const job of queue.jobs) expect(job.messageId).toBe('R1.0');
  });

  it('delivers a reply’s parts and end exactly once, in order, to every connection of a large room, a failed post included', async () => {
    await open(threshold + 6);
    const room = feed();
    gateway.failing.add('c3');

    await room.publish('r1', delta(0, 'Hello'));
    await room.publish('r1', delta(1, ' there'));
    await room.publish('r1', done);
    // The jobs as published: each of c3's posts is refused once, and retried in a job of its own.
    for (let jobs = queue.jobs.length; jobs > 0; jobs -= 1) await deliverFanOutJob({ connections, gateway, queue }, queue.take()!);
    gateway.failing.delete('c3');
    await drain();

    const kinds = (frames: unknown[]) => frames.map((f) => {
      const frame = f as AgentFrame;
      return frame.type === 'agentDelta' ? `delta ${frame.seq}` : frame.type;
    });
    for (let i = 0; i < 10; i += 1) {
      const frames = kinds(gateway.framesFor(`c${i}`));
      if (i === 3) expect([...frames].sort()).toEqual(['agentDone', 'delta 0', 'delta 1']);
      else expect(frames).toEqual(['delta 0', 'delta 1', 'agentDone']);
    }
  });

  it('puts every frame of a reply for one connection in that connection’s group', async () => {
    await open(threshold + 6);
    const room = feed();

    await room.publish('r1', delta(0, 'Hello'));
    await room.publish('r1', done);

    for (const job of queue.jobs) for (const id of job.connectionIds) expect(job.group).toBe(fanOutGroupOf(id));
  });

  it('accepts the same part once when a redelivered job publishes it again', async () => {
    await open(threshold + 1);
    const room = feed();

    await room.publish('r1', delta(0, 'Hello'));
    await room.publish('r1', delta(0, 'Hello'));

    expect(queue.deduplicated.length).toBeGreaterThan(0);
    await drain();
    for (let i = 0; i < 5; i += 1) expect(gateway.framesFor(`c${i}`)).toHaveLength(1);
  });

  it('lets a refused enqueue fail the publish, so that the job is retried', async () => {
    await open(threshold + 1);
    queue.failNext = true;

    await expect(feed().publish('r1', done)).rejects.toThrow(/refused/);
  });
});
