import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../../../../lambdas/domain/agents/ports';
import { STOPPED, streamReply, type StreamProgress } from '../../../../lambdas/use-cases/agents/stream-reply';
import { FakeFeed } from '../../../support/fakes/agents';

const realClock = { now: () => Date.now() };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const target = { roomId: 'r1', replyId: 'R1', agent: { handle: 'assistant', displayName: 'Ada' } };
const fresh = (): StreamProgress => ({ text: '', deltas: 0, flushes: 0, posts: 0 });

describe('streamReply', () => {
  it('posts held text when the model pauses, before the next token arrives', async () => {
    const feed = new FakeFeed(2);
    const seenWhenResumed: string[] = [];
    async function* model(): AsyncGenerator<ModelEvent> {
      yield { type: 'delta', text: 'one ' };
      yield { type: 'delta', text: 'two ' }; // held: arrives within the interval
      // The model stalls until the held text is out: only the flush timer can end the wait.
      await feed.published((f) => f.type === 'agentDelta' && f.text === 'two ');
      seenWhenResumed.push(...feed.ofType('agentDelta').map((d) => d.text));
      yield { type: 'delta', text: 'three' };
      yield { type: 'done', stopReason: 'end_turn', usage: { inputTokens: 5, outputTokens: 3 } };
    }
    const progress = fresh();

    const result = await streamReply(
      { feed, clock: realClock, sleep, coalescing: { minIntervalMs: 50, maxChars: 1000 } },
      target,
      model(),
      progress,
    );

    expect(seenWhenResumed).toEqual(['one ', 'two ']);
    expect(feed.ofType('agentDelta').map((d) => [d.seq, d.text])).toEqual([
      [0, 'one '],
      [1, 'two '],
      [2, 'three'],
    ]);
    expect(result).toEqual({ stopReason: 'end_turn', usage: { inputTokens: 5, outputTokens: 3 } });
    expect(progress).toMatchObject({ text: 'one two three', deltas: 3, flushes: 3, posts: 6 });
  });

  it('posts what arrived before a failure, then lets the failure through', async () => {
    const feed = new FakeFeed(1);
    async function* model(): AsyncGenerator<ModelEvent> {
      yield { type: 'delta', text: 'a' };
      yield { type: 'delta', text: 'b' };
      throw new Error('connection reset');
    }
    const progress = fresh();

    await expect(
      streamReply({ feed, clock: realClock, sleep, coalescing: { minIntervalMs: 10_000, maxChars: 1000 } }, target, model(), progress),
    ).rejects.toThrow('connection reset');
    expect(feed.ofType('agentDelta').map((d) => d.text)).toEqual(['a', 'b']);
    expect(progress.text).toBe('ab');
  });
});

describe('streamReply in a room above the fan-out threshold', () => {
  it('sends the first words at once, then gathers the rest at the large-room cadence', async () => {
    const feed = new FakeFeed(600, true);
    let now = 0;
    const clock = { now: () => now };
    async function* model(): AsyncGenerator<ModelEvent> {
      // Ten tokens, 150 ms apart: each would be its own frame in a small room.
      for (let i = 0; i < 10; i += 1) {
        yield { type: 'delta', text: `t${i} ` };
        now += 150;
      }
      yield { type: 'done', stopReason: 'end_turn' };
    }
    const progress = fresh();

    await streamReply(
      {
        feed,
        clock,
        sleep: () => new Promise<void>(() => undefined),
        coalescing: { minIntervalMs: 100, maxChars: 1000 },
        largeRoomCoalescing: { minIntervalMs: 1000, maxChars: 1000 },
      },
      target,
      model(),
      progress,
    );

    const parts = feed.ofType('agentDelta').map((d) => d.text);
    expect(parts[0]).toBe('t0 ');
    expect(parts.join('')).toBe(progress.text);
    // 1.5 s of tokens at one update a second: the first, one in between, and the rest at the end.
    expect(parts).toHaveLength(3);
    expect(progress).toMatchObject({ flushes: 3, posts: 1800 });
  });
});

describe('streamReply, stopped on request', () => {
  it('stops at the next part once asked, posts nothing more and closes the model’s stream', async () => {
    const feed = new FakeFeed(2);
    let now = 0;
    let closed = false;
    async function* model(): AsyncGenerator<ModelEvent> {
      try {
        for (let i = 0; i < 20; i += 1) {
          yield { type: 'delta', text: `t${i} ` };
          now += 200;
        }
        yield { type: 'done', stopReason: 'end_turn' };
      } finally {
        closed = true;
      }
    }
    const progress = fresh();
    const asked: number[] = [];

    const result = await streamReply(
      {
        feed,
        clock: { now: () => now },
        sleep: () => new Promise<void>(() => undefined),
        coalescing: { minIntervalMs: 100, maxChars: 1000 },
        // Asked to stop from 1 s in; the worker looks at most every 500 ms.
        stopRequested: async () => {
          asked.push(now);
          return now >= 1000;
        },
      },
      target,
      model(),
      progress,
    );

    expect(result).toEqual({ stopReason: STOPPED });
    expect(closed).toBe(true);
    expect(asked).toEqual([600, 1200]);
    expect(progress.text).toBe('t0 t1 t2 t3 t4 t5 ');
    expect(feed.ofType('agentDelta').map((d) => d.text).join('')).toBe(progress.text);
  });
});
