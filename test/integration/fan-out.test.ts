import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';

/**
 * Sharded fan-out through Parley's front door: the local runtime with a
 * fan-out threshold of three connections and shards of two (set through
 * PARLEY_FUNCTION_ENV, as the functions' own variables), so a room of a few
 * people with a few tabs each goes through the FIFO fan-out queue and its
 * worker. The management API refuses the first posts of one frame to one
 * connection (PARLEY_FAIL_POSTS), so that shard's post is retried.
 */
describe('sharded fan-out on the local runtime', () => {
  let parley: LocalParleyProcess;
  const MARKER = 'refused-once-then-retried';
  const isMessage = (roomId: string) => (f: Frame) => f.type === 'message' && f['roomId'] === roomId;
  const textOf = (f: Frame) => (f['message'] as { text: string }).text;

  beforeAll(async () => {
    parley = await startLocalParley({
      env: {
        PARLEY_FUNCTION_ENV: JSON.stringify({ FAN_OUT_SHARD_THRESHOLD: '3', FAN_OUT_SHARD_SIZE: '2' }),
        // Three refusals: the SDK's three attempts at one post, so the worker sees it fail once.
        PARLEY_FAIL_POSTS: `3:${MARKER}`,
      },
    });
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('delivers every message exactly once to every connection, in each sender’s order, a refused post included', async () => {
    const alice = await parley.connect('alice');
    const { room } = await alice.ok<{ room: { roomId: string } }>('createRoom', { name: 'auditorium', visibility: 'public' });
    const roomId = room.roomId;
    const bob = await parley.connect('bob');
    await bob.ok('joinRoom', { roomId });
    const carol = await parley.connect('carol');
    await carol.ok('joinRoom', { roomId });
    // More tabs: each new connection is subscribed to its user's rooms. Ten connections in all.
    const clients: TestClient[] = [alice, bob, carol];
    for (const name of ['alice', 'alice', 'bob', 'bob', 'carol', 'carol', 'dave-never-joins']) clients.push(await parley.connect(name));
    const members = clients.slice(0, -1);
    const outsider = clients.at(-1) as TestClient;

    const fromAlice = ['a1', 'a2', 'a3', 'a4', 'a5'];
    for (const text of fromAlice) {
      const ack = await alice.ok<{ duplicate: boolean }>('sendMessage', { roomId, text, clientMessageId: text });
      expect(ack.duplicate).toBe(false);
    }
    await bob.ok('sendMessage', { roomId, text: MARKER, clientMessageId: 'marker' });
    await carol.ok('sendMessage', { roomId, text: 'last', clientMessageId: 'last' });

    const sent = [...fromAlice, MARKER, 'last'];
    for (const client of members) await client.waitForCount(isMessage(roomId), sent.length, 20_000);
    // The refused post was retried by a job of its own: a second batch of the worker for the marker.
    const faults = parley.events.filter((e) => e.event === 'post-fault');
    expect(faults).toHaveLength(3);
    expect(new Set(faults.map((f) => f['connectionId'])).size).toBe(1);
    const workerBatches = parley.events.filter((e) => e.event === 'batch' && String(e['mapping']).includes('FanOutWorker') && e['records'] !== 0);
    expect(workerBatches.length).toBeGreaterThan(0);

    for (const client of members) {
      const texts = client.frames.filter(isMessage(roomId)).map(textOf);
      // Exactly once each…
      expect([...texts].sort()).toEqual([...sent].sort());
      // …and one sender's messages in the order they were sent.
      expect(texts.filter((t) => t.startsWith('a'))).toEqual(fromAlice);
    }
    expect(outsider.frames.filter(isMessage(roomId))).toEqual([]);
  });

  it('acknowledges a retried send as a duplicate, and fans nothing out again', async () => {
    const erin = await parley.connect('erin');
    const { room } = await erin.ok<{ room: { roomId: string } }>('createRoom', { name: 'lecture' });
    const tabs = [erin];
    for (let i = 0; i < 4; i += 1) tabs.push(await parley.connect('erin'));

    await erin.ok('sendMessage', { roomId: room.roomId, text: 'once', clientMessageId: 'once' });
    const retry = await erin.ok<{ duplicate: boolean }>('sendMessage', { roomId: room.roomId, text: 'once', clientMessageId: 'once' });
    await erin.ok('sendMessage', { roomId: room.roomId, text: 'after', clientMessageId: 'after' });

    expect(retry.duplicate).toBe(true);
    for (const tab of tabs) {
      const texts = (await tab.waitForCount(isMessage(room.roomId), 2, 20_000)).map(textOf);
      // 'after' follows 'once' in the same group: had 'once' gone out twice, it would show before 'after'.
      expect(texts).toEqual(['once', 'after']);
    }
  });
});
