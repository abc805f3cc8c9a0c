import { describe, expect, it } from 'vitest';
import { InMemoryMemoryStore } from '../../../support/fakes/memory';
import type { MemoryChange } from '../../../../lambdas/domain/memory/changes';
import type { Summarizer, SummaryDraft, SummaryInput } from '../../../../lambdas/domain/memory/ports';
import { extractiveSummary } from '../../../../lambdas/domain/memory/summary';
import { DEFAULT_MEMORY_POLICY, type RememberedMessage } from '../../../../lambdas/domain/memory/types';
import { applyMemoryChange, type MemoryDeps } from '../../../../lambdas/use-cases/memory/apply-memory-change';
import { quantize } from '../../../../lambdas/domain/memory/vectors';
import { conceptVector, remembered, streamSequence } from '../../../support/memory';

/** The extractive summarizer, counting its calls and failing on demand. */
class RecordingSummarizer implements Summarizer {
  readonly inputs: SummaryInput[] = [];
  failNext = false;

  async summarize(input: SummaryInput): Promise<SummaryDraft> {
    this.inputs.push(input);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('model throttled');
    }
    return { ...extractiveSummary(input), producedBy: 'extractive' };
  }
}

const setup = () => {
  const store = new InMemoryMemoryStore();
  const summarizer = new RecordingSummarizer();
  const deps: MemoryDeps = { store, summarizer, policy: DEFAULT_MEMORY_POLICY, clock: { now: () => Date.UTC(2026, 10, 21) } };
  return { store, summarizer, deps };
};

const remember = (message: RememberedMessage, sequence: number): MemoryChange => ({
  kind: 'remember',
  message,
  sequence: streamSequence(sequence),
});

const topics = ['deploy pipeline', 'design review', 'offsite travel', 'billing export', 'oncall rota'];
const chat = (n: number): RememberedMessage =>
  remembered(n, `Update ${n} on the ${topics[n % topics.length]}: item ${n} is done and reviewed by the team.`);

async function rememberMany(deps: MemoryDeps, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n += 1) await applyMemoryChange(deps, remember(chat(n), n));
}

describe('applyMemoryChange', () => {
  it('remembers messages and writes a summary once 20 are remembered', async () => {
    const { store, summarizer, deps } = setup();

    await rememberMany(deps, 1, 19);
    const before = await store.latestSummary('r1');
    const result = await applyMemoryChange(deps, remember(chat(20), 20));

    expect(before).toBeUndefined();
    expect(result).toEqual({ kind: 'remember', status: 'remembered', summary: 'created' });
    expect(await store.latestSummary('r1')).toMatchObject({
      fromMessageId: 'm001',
      toMessageId: 'm020',
      fromSeq: 1,
      throughSeq: 20,
      producedBy: 'extractive',
    });
    expect(summarizer.inputs).toHaveLength(1);
  });

  it('rolls the next summary forward from the previous one over the 20 messages since', async () => {
    const { store, summarizer, deps } = setup();

    await rememberMany(deps, 1, 40);

    expect(summarizer.inputs[1]?.previous?.throughSeq).toBe(20);
    expect(summarizer.inputs[1]?.messages.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 21 + i));
    expect(await store.latestSummary('r1')).toMatchObject({ fromMessageId: 'm001', toMessageId: 'm040' });
  });

  it('changes nothing when a record is delivered again: no second message, no second summary', async () => {
    const { store, summarizer, deps } = setup();
    await rememberMany(deps, 1, 20);

    const again = await applyMemoryChange(deps, remember(chat(20), 20));

    expect(again).toEqual({ kind: 'remember', status: 'unchanged', summary: 'exists' });
    expect(summarizer.inputs).toHaveLength(1);
    expect((await store.messagesBetween('r1', 1, 100)).map((m) => m.seq)).toHaveLength(20);
  });

  it('writes a summary that failed on the first delivery when the record is retried', async () => {
    const { store, summarizer, deps } = setup();
    await rememberMany(deps, 1, 19);
    summarizer.failNext = true;

    await expect(applyMemoryChange(deps, remember(chat(20), 20))).rejects.toThrow('model throttled');
    const retried = await applyMemoryChange(deps, remember(chat(20), 20));

    expect(retried).toEqual({ kind: 'remember', status: 'unchanged', summary: 'created' });
    expect((await store.latestSummary('r1'))?.throughSeq).toBe(20);
  });

  it('ignores changes memory has no use for', async () => {
    const { store, deps } = setup();

    expect(await applyMemoryChange(deps, { kind: 'ignore' })).toEqual({ kind: 'ignore' });
    expect(await store.recentChunks('r1', 10)).toEqual([]);
  });

  it('forgets a message: it leaves its window and the summary is rebuilt without it', async () => {
    const { store, deps } = setup();
    const secret = remembered(5, 'The vault code for the server room is 7731, keep it quiet.', 'Dana');
    await rememberMany(deps, 1, 4);
    await applyMemoryChange(deps, remember(secret, 5));
    await rememberMany(deps, 6, 20);
    expect((await store.latestSummary('r1'))?.text).toContain('7731');

    const result = await applyMemoryChange(deps, { kind: 'forget', roomId: 'r1', messageId: 'm005', sequence: streamSequence(99) });

    expect(result).toEqual({ kind: 'forget', status: 'forgotten', summary: 'created' });
    const chunks = await store.recentChunks('r1', 10);
    expect(chunks.flatMap((c) => c.messages).some((m) => m.messageId === 'm005')).toBe(false);
    expect((await store.latestSummary('r1'))?.text).not.toContain('7731');
  });

  it('replaces the text of a message redacted after it was remembered, in its window and its summary', async () => {
    const { store, deps } = setup();
    await rememberMany(deps, 1, 4);
    await applyMemoryChange(deps, remember(remembered(5, 'Reach the landlord Mr Okafor on 0612345678 about the lease.'), 5));
    await rememberMany(deps, 6, 20);

    const result = await applyMemoryChange(
      deps,
      remember(remembered(5, 'Reach the landlord Mr Okafor on [phone redacted] about the lease.'), 99),
    );

    expect(result).toMatchObject({ kind: 'remember', status: 'revised', summary: 'created' });
    const texts = (await store.recentChunks('r1', 10)).flatMap((c) => c.messages.map((m) => m.text)).join('\n');
    expect(texts).toContain('[phone redacted]');
    expect(texts).not.toContain('0612345678');
    expect((await store.latestSummary('r1'))?.text).not.toContain('0612345678');
  });

  it('does not bring back a forgotten message when an earlier change is replayed', async () => {
    const { store, deps } = setup();
    await applyMemoryChange(deps, { kind: 'forget', roomId: 'r1', messageId: 'm001', sequence: streamSequence(2) });

    const replay = await applyMemoryChange(deps, remember(chat(1), 1));

    expect(replay).toEqual({ kind: 'remember', status: 'unchanged' });
    expect(await store.recentChunks('r1', 10)).toEqual([]);
  });

  it('reports a summary another writer stored first as a lost race', async () => {
    const { store, deps } = setup();
    await rememberMany(deps, 1, 19);
    store.saveSummary = async () => false;

    const result = await applyMemoryChange(deps, remember(chat(20), 20));

    expect(result.summary).toBe('lost-race');
  });
});

describe('applyMemoryChange with an embedder', () => {
  it('remembers each message with its embedding', async () => {
    const { store, deps } = setup();
    const embedded: string[] = [];
    const embedder = { embed: async (text: string) => (embedded.push(text), conceptVector(text)) };

    await applyMemoryChange({ ...deps, embedder }, remember(remembered(1, 'Our new beagle is called Biscuit.'), 1));

    const [message] = await store.messagesBetween('r1', 1, 1);
    expect(embedded).toEqual(['Our new beagle is called Biscuit.']);
    expect(message?.vector).toBe(quantize(conceptVector('Our new beagle is called Biscuit.')));
  });

  it('remembers the message without a vector, and says why, when the embedder fails', async () => {
    const { store, deps } = setup();
    const embedder = {
      embed: async () => {
        throw new Error('The embeddings endpoint could not be reached: no answer within 5000 ms');
      },
    };

    const result = await applyMemoryChange({ ...deps, embedder }, remember(remembered(1, 'Our new beagle is called Biscuit.'), 1));

    const [message] = await store.messagesBetween('r1', 1, 1);
    expect(result).toEqual({
      kind: 'remember',
      status: 'remembered',
      embeddingFailure: 'The embeddings endpoint could not be reached: no answer within 5000 ms',
    });
    expect(message?.text).toBe('Our new beagle is called Biscuit.');
    expect(message?.vector).toBeUndefined();
  });
});
