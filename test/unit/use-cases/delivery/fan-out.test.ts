import { beforeEach, describe, expect, it } from 'vitest';
import { FAN_OUT_MAX_ATTEMPTS, fanOutGroupOf, planFanOut, type FanOutJob } from '../../../../lambdas/domain/fan-out';
import { applySettingsPatch, DEFAULT_MODERATION_SETTINGS } from '../../../../lambdas/domain/moderation/settings';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { deliverFanOutJob } from '../../../../lambdas/use-cases/delivery/deliver-fan-out-job';
import { joinRoom } from '../../../../lambdas/use-cases/join-room';
import { sendMessage } from '../../../../lambdas/use-cases/send-message';
import { alice, bob, carol, fakeWorld, FakeConnections, FakeGateway } from '../../../support/fakes/chat';
import { FakeFanOutQueue } from '../../../support/fakes/fan-out';

describe('sendMessage in a large room', () => {
  let world: ReturnType<typeof fakeWorld>;
  let queue: FakeFanOutQueue;
  let roomId: string;
  const threshold = 5;

  /** Opens `count` connections for a user (subscribed to the rooms they belong to). */
  const open = async (user: { userId: string; displayName: string }, count: number) => {
    for (let i = 0; i < count; i += 1) {
      await world.connections.saveConnection({ connectionId: `${user.userId}-${i}`, ...user, connectedAt: '' }, [roomId]);
    }
  };
  const send = (text: string, clientMessageId = 'm1', who = alice) =>
    sendMessage({ ...world.sendDeps, fanOut: { queue, settings: { threshold, shardSize: 2 } } }, who, { roomId, clientMessageId, text });

  beforeEach(async () => {
    world = fakeWorld();
    queue = new FakeFanOutQueue();
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId });
    world.gateway.posts.length = 0;
  });

  it('posts the message itself while the room has at most the threshold of connections', async () => {
    await open(alice, 2);
    await open(bob, 3);

    const result = await send('hello');

    expect(result.delivery?.delivered).toBe(5);
    expect(result.sharded).toBeUndefined();
    expect(queue.jobs).toEqual([]);
  });

  it('hands the message to the fan-out workers above the threshold, posting nothing itself', async () => {
    await open(alice, 3);
    await open(bob, 4);

    const result = await send('hello');

    expect(world.gateway.posts).toEqual([]);
    expect(result.delivery).toBeUndefined();
    expect(result.sharded).toEqual({ recipients: 7, jobs: queue.jobs.length });
    const connections = queue.jobs.flatMap((job) => job.connectionIds).sort();
    expect(connections).toEqual(['u-alice-0', 'u-alice-1', 'u-alice-2', 'u-bob-0', 'u-bob-1', 'u-bob-2', 'u-bob-3']);
    for (const job of queue.jobs) {
      expect(job.connectionIds.length).toBeLessThanOrEqual(2);
      expect(JSON.parse(job.frame)).toMatchObject({ type: 'message', roomId, message: { text: 'hello', messageId: result.message.messageId } });
    }
  });

  it('keeps each connection in the same group for every message, so its frames keep their order', async () => {
    await open(alice, 3);
    await open(bob, 4);

    await send('first', 'm1');
    await send('second', 'm2');

    const groupsOf = (text: string) =>
      new Map(
        queue.jobs
          .filter((job) => job.frame.includes(text))
          .flatMap((job) => job.connectionIds.map((id) => [id, job.group] as const)),
      );
    expect(groupsOf('second')).toEqual(groupsOf('first'));
    for (const [id, group] of groupsOf('first')) expect(group).toBe(fanOutGroupOf(id));
  });

  it('keeps a withheld message on the synchronous path: its sender and the moderators only', async () => {
    await joinRoom(world.roomDeps, carol, { roomId });
    await open(alice, 3);
    await open(bob, 2);
    await open(carol, 3);
    world.gateway.posts.length = 0;
    world.settings.items.set(roomId, applySettingsPatch(DEFAULT_MODERATION_SETTINGS, { profanity: { action: 'quarantine' } }));

    const result = await send('what the fuck', 'm1', bob);

    expect(world.messages.messages[0]).toMatchObject({ moderation: 'quarantined' });
    expect(queue.jobs).toEqual([]);
    expect(result.delivery?.delivered).toBe(5);
    // Alice owns the room (a moderator), Bob sent it; Carol is a plain member.
    expect(world.gateway.posts.map((p) => p.connectionId).sort()).toEqual(['u-alice-0', 'u-alice-1', 'u-alice-2', 'u-bob-0', 'u-bob-1']);
  });

  it('neither stores nor enqueues a retried message again', async () => {
    await open(alice, 3);
    await open(bob, 4);
    await send('hello', 'm1');
    const jobs = queue.jobs.length;

    const retry = await send('hello', 'm1');

    expect(retry.duplicate).toBe(true);
    expect(queue.jobs).toHaveLength(jobs);
  });

  it('fails the send when the jobs cannot be enqueued, with the message stored for history', async () => {
    await open(alice, 3);
    await open(bob, 4);
    queue.failNext = true;

    await expect(send('hello')).rejects.toThrow(/refused/);
    expect(world.messages.messages).toHaveLength(1);
  });
});

describe('deliverFanOutJob', () => {
  let connections: FakeConnections;
  let gateway: FakeGateway;
  let queue: FakeFanOutQueue;
  const frame = { type: 'message', roomId: 'r1', message: { messageId: 'M1', text: 'hello' } };
  const jobOf = (connectionIds: string[]): FanOutJob => ({
    roomId: 'r1',
    messageId: 'M1',
    group: 3,
    shard: 0,
    attempt: 1,
    frame: JSON.stringify(frame),
    connectionIds,
  });

  beforeEach(() => {
    connections = new FakeConnections();
    gateway = new FakeGateway();
    queue = new FakeFanOutQueue();
  });

  it('posts the frame to every connection of the job', async () => {
    const result = await deliverFanOutJob({ connections, gateway, queue }, jobOf(['c1', 'c2', 'c3']));

    expect(result).toMatchObject({ report: { recipients: 3, delivered: 3, failed: 0 }, retried: 0, abandoned: 0 });
    expect(gateway.posts).toEqual(['c1', 'c2', 'c3'].map((connectionId) => ({ connectionId, frame })));
    expect(queue.jobs).toEqual([]);
  });

  it('removes a gone connection and does not retry it', async () => {
    await connections.saveConnection({ connectionId: 'c2', userId: 'u2', displayName: 'U2', connectedAt: '' }, ['r1']);
    gateway.gone.add('c2');

    const result = await deliverFanOutJob({ connections, gateway, queue }, jobOf(['c1', 'c2']));

    expect(result.report).toMatchObject({ delivered: 1, gone: 1, failed: 0 });
    expect(connections.removed).toEqual(['c2']);
    expect(queue.jobs).toEqual([]);
  });

  it('retries only the connections whose post failed, as a job of the same group at the next attempt', async () => {
    gateway.failing.add('c2');

    const result = await deliverFanOutJob({ connections, gateway, queue }, jobOf(['c1', 'c2', 'c3']));

    expect(result).toMatchObject({ report: { delivered: 2, failed: 1 }, retried: 1, abandoned: 0 });
    expect(queue.jobs).toEqual([{ ...jobOf(['c2']), attempt: 2 }]);
  });

  it('delivers each connection exactly once across the job and its retries', async () => {
    gateway.failing.add('c2');
    await deliverFanOutJob({ connections, gateway, queue }, jobOf(['c1', 'c2', 'c3']));
    gateway.failing.delete('c2');

    await deliverFanOutJob({ connections, gateway, queue }, queue.take()!);

    expect(gateway.posts.map((p) => p.connectionId).sort()).toEqual(['c1', 'c2', 'c3']);
    expect(queue.jobs).toEqual([]);
  });

  it('accepts the same retry once when a redelivered job enqueues it again', async () => {
    gateway.failing.add('c2');
    const job = jobOf(['c2']);

    await deliverFanOutJob({ connections, gateway, queue }, job);
    await deliverFanOutJob({ connections, gateway, queue }, job);

    expect(queue.jobs).toHaveLength(1);
    expect(queue.deduplicated).toHaveLength(1);
  });

  it('gives up after the last attempt, and reports the failure', async () => {
    gateway.failing.add('c2');

    const result = await deliverFanOutJob({ connections, gateway, queue }, { ...jobOf(['c1', 'c2']), attempt: FAN_OUT_MAX_ATTEMPTS });

    expect(result).toMatchObject({ report: { failed: 1, failures: [{ connectionId: 'c2', status: 429 }] }, retried: 0, abandoned: 1 });
    expect(queue.jobs).toEqual([]);
  });

  it('does not retry a refusal that would repeat', async () => {
    const forbidden = {
      post: async (connectionId: string, payload: string) =>
        connectionId === 'c2'
          ? Promise.reject(Object.assign(new Error('forbidden'), { name: 'ForbiddenException', $metadata: { httpStatusCode: 403 } }))
          : gateway.post(connectionId, payload),
    };

    const result = await deliverFanOutJob({ connections, gateway: forbidden, queue }, jobOf(['c1', 'c2']));

    expect(result).toMatchObject({ report: { delivered: 1, failed: 1 }, retried: 0, abandoned: 1 });
    expect(queue.jobs).toEqual([]);
  });

  it('throws when the retry cannot be enqueued, so the job itself comes back', async () => {
    gateway.failing.add('c2');
    queue.failNext = true;

    await expect(deliverFanOutJob({ connections, gateway, queue }, jobOf(['c1', 'c2']))).rejects.toThrow(/refused/);
  });

  it('delivers a planned fan-out to every connection once', async () => {
    const ids = Array.from({ length: 700 }, (_, i) => `conn-${i}`);
    for (const job of planFanOut({ roomId: 'r1', messageId: 'M1', frame: JSON.stringify(frame), connectionIds: ids, shardSize: 50 })) {
      await deliverFanOutJob({ connections, gateway, queue }, job);
    }

    expect(gateway.posts.map((p) => p.connectionId).sort()).toEqual([...ids].sort());
  });
});
