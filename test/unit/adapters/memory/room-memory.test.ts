import { describe, expect, it } from 'vitest';
import { InMemoryMemoryStore } from '../../../support/fakes/memory';
import { StoredRoomMemory } from '../../../../lambdas/adapters/memory/room-memory';
import { DEFAULT_MEMORY_POLICY } from '../../../../lambdas/domain/memory/types';
import { quantize } from '../../../../lambdas/domain/memory/vectors';
import { conceptVector, remembered, streamSequence } from '../../../support/memory';

const texts = [
  'Heads up: the staging database moved to port 6543 last night.',
  'Lunch at the ramen place?',
  'The design review is on Thursday at 15:00 in room Aurora.',
  'Who is on call this weekend?',
  'Lee is on call, Sam covers Sunday morning.',
];

const setup = async () => {
  const store = new InMemoryMemoryStore();
  const policy = { ...DEFAULT_MEMORY_POLICY, windowSize: 2 };
  for (const [i, text] of texts.entries()) await store.remember(remembered(i + 1, text), streamSequence(i + 1), policy);
  return { store, memory: new StoredRoomMemory(store) };
};

describe('StoredRoomMemory', () => {
  it('recalls the passages that match the query, best first', async () => {
    const { memory } = await setup();

    const result = await memory.recall('r1', 'what port is the staging database on?', { k: 2, excludeMessageIds: new Set() });

    expect(result.summary).toBeUndefined();
    expect(result.passages[0]?.messageIds).toEqual(['m001', 'm002']);
    expect(result.passages[0]?.text).toContain('port 6543');
  });

  it('returns the latest summary with its bounds', async () => {
    const { store, memory } = await setup();
    await store.saveSummary({
      roomId: 'r1',
      text: 'Alice: staging moved.',
      fromMessageId: 'm001',
      toMessageId: 'm005',
      fromSeq: 1,
      throughSeq: 5,
      producedBy: 'extractive',
      createdAt: '2026-11-21T12:00:00.000Z',
    });

    const result = await memory.recall('r1', 'on call', { k: 1, excludeMessageIds: new Set() });

    expect(result.summary).toEqual({ text: 'Alice: staging moved.', fromMessageId: 'm001', toMessageId: 'm005' });
    expect(result.passages).toHaveLength(1);
  });

  it('never quotes a message the agent already has in its window', async () => {
    const { memory } = await setup();

    const result = await memory.recall('r1', 'on call weekend Sunday', {
      k: 3,
      excludeMessageIds: new Set(['m004', 'm005']),
    });

    expect(result.passages.flatMap((p) => p.messageIds)).not.toContain('m005');
    expect(result.passages.flatMap((p) => p.messageIds)).not.toContain('m004');
  });

  it('returns no passages when k is 0', async () => {
    const { memory } = await setup();

    expect((await memory.recall('r1', 'staging', { k: 0, excludeMessageIds: new Set() })).passages).toEqual([]);
  });

  it('embeds the query and ranks semantically too when given an embedder', async () => {
    const store = new InMemoryMemoryStore();
    const policy = { ...DEFAULT_MEMORY_POLICY, windowSize: 1 };
    const texts = ['Our new beagle is called Biscuit.', 'Postgres is slow today.'];
    for (const [i, text] of texts.entries()) {
      await store.remember({ ...remembered(i + 1, text), vector: quantize(conceptVector(text)) }, streamSequence(i + 1), policy);
    }
    const queries: string[] = [];
    const memory = new StoredRoomMemory(store, {
      embedder: { embed: async (text) => (queries.push(text), conceptVector(text)) },
    });

    const result = await memory.recall('r1', 'what is the puppy called', { k: 1, excludeMessageIds: new Set() });

    expect(queries).toEqual(['what is the puppy called']);
    expect(result.passages[0]?.messageIds).toEqual(['m001']);
  });

  it('recalls lexically and says why when the embedder fails', async () => {
    const { store } = await setup();
    const failures: unknown[] = [];
    const memory = new StoredRoomMemory(store, {
      embedder: {
        embed: async () => {
          throw new Error('The embeddings endpoint answered HTTP 503: overloaded');
        },
      },
      onEmbeddingFailure: (error) => failures.push(error),
    });

    const result = await memory.recall('r1', 'what port is the staging database on?', { k: 1, excludeMessageIds: new Set() });

    expect(result.passages[0]?.text).toContain('port 6543');
    expect(failures).toEqual([new Error('The embeddings endpoint answered HTTP 503: overloaded')]);
  });
});
