import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';

/**
 * Agents' replies in a large room, through Parley's front door: the local
 * runtime with a fan-out threshold of three connections and shards of two
 * (set through PARLEY_FUNCTION_ENV, as the functions' own variables), so a
 * reply's parts and its end go through the FIFO fan-out queue and its
 * worker, as people's messages do. The offline model answers the agent. The
 * management API refuses the first posts of the reply's end to one
 * connection (PARLEY_FAIL_POSTS), so that shard's post is retried.
 */
describe('agent replies through the sharded fan-out on the local runtime', { timeout: 90_000 }, () => {
  let parley: LocalParleyProcess;
  const FAULT = 'agentDone';
  const inRoom = (roomId: string, type: string) => (f: Frame) => f.type === type && f['roomId'] === roomId;

  beforeAll(async () => {
    parley = await startLocalParley({
      env: {
        PARLEY_FUNCTION_ENV: JSON.stringify({ FAN_OUT_SHARD_THRESHOLD: '3', FAN_OUT_SHARD_SIZE: '2' }),
        // Three refusals: the SDK's three attempts at one post, so the fan-out worker sees it fail once.
        PARLEY_FAIL_POSTS: `3:${FAULT}`,
      },
    });
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('delivers an agent’s reply to every member exactly once, its parts in order before its end, a refused post included', async () => {
    const alice = await parley.connect('alice');
    const { room } = await alice.ok<{ room: { roomId: string } }>('createRoom', { name: 'town hall', visibility: 'public' });
    const roomId = room.roomId;
    const bob = await parley.connect('bob');
    await bob.ok('joinRoom', { roomId });
    const carol = await parley.connect('carol');
    await carol.ok('joinRoom', { roomId });
    await alice.ok('addAgent', { roomId, agent: { handle: '@guide', displayName: 'Ada' } });
    // More tabs: each new connection is subscribed to its user's rooms. Eight members' connections in all.
    const members: TestClient[] = [alice, bob, carol];
    for (const name of ['alice', 'alice', 'bob', 'carol', 'carol']) members.push(await parley.connect(name));
    const outsider = await parley.connect('dave-never-joins');

    const sent = await bob.ok<{ messageId: string }>('sendMessage', { roomId, text: '@guide what is on the agenda?', clientMessageId: 'q1' });

    const ends = await Promise.all(members.map((client) => client.waitFor(inRoom(roomId, 'agentDone'), 40_000)));
    const reply = ends[0]!['message'] as { messageId: string; text: string; agent: { triggerMessageId: string } };
    expect(reply.agent.triggerMessageId).toBe(sent.messageId);
    expect(reply.text).toContain("Parley's offline model");

    // The reply's end was refused to one connection once and retried by a job of the fan-out worker:
    // posted by the agent worker itself, that connection would never have had it.
    const faults = parley.events.filter((e) => e.event === 'post-fault');
    expect(faults).toHaveLength(3);
    expect(new Set(faults.map((f) => f['connectionId'])).size).toBe(1);
    const fanOutBatches = parley.events.filter((e) => e.event === 'batch' && String(e['mapping']).includes('FanOutWorker') && e['records'] !== 0);
    expect(fanOutBatches.length).toBeGreaterThan(0);

    for (const client of members) {
      const frames = client.frames.filter((f) => f['roomId'] === roomId && ['agentDelta', 'agentDone', 'message'].includes(f.type ?? ''));
      // The question, once.
      expect(frames.filter((f) => f.type === 'message').map((f) => (f['message'] as { messageId: string }).messageId)).toEqual([sent.messageId]);
      const replyFrames = frames.filter((f) => f.type !== 'message');
      const deltas = replyFrames.filter((f) => f.type === 'agentDelta') as Array<Frame & { seq: number; text: string; replyId: string }>;
      // Every part once, in order, and the end once, after them.
      expect(deltas.length).toBeGreaterThan(0);
      expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => i));
      expect(deltas.every((d) => d.replyId === reply.messageId)).toBe(true);
      expect(deltas.map((d) => d.text).join('')).toBe(reply.text);
      expect(replyFrames.map((f) => f.type)).toEqual([...deltas.map(() => 'agentDelta'), 'agentDone']);
    }
    expect(outsider.frames.filter((f) => f['roomId'] === roomId)).toEqual([]);
  });
});
