import { describe, expect, it } from 'vitest';
import { runMemoryRecallBenchmark } from '../../../scripts/bench/memory-recall';
import { generateConversation } from '../../../scripts/generate-conversation';

describe('generateConversation', () => {
  it('gives the same conversation for the same seed and another for another seed', () => {
    const a = generateConversation({ seed: 7, messages: 400 });
    const b = generateConversation({ seed: 7, messages: 400 });
    const c = generateConversation({ seed: 8, messages: 400 });

    expect(a).toEqual(b);
    expect(a.messages.map((m) => m.text)).not.toEqual(c.messages.map((m) => m.text));
  });

  it('plants every fact in the first fifth and asks about it in the last tenth', () => {
    const { messages, facts } = generateConversation({ seed: 7, messages: 400 });
    const position = new Map(messages.map((m, i) => [m.messageId, i]));

    expect(facts).toHaveLength(32);
    expect(facts.filter((f) => f.kind === 'paraphrase')).toHaveLength(8);
    for (const fact of facts) {
      expect(position.get(fact.factMessageId)).toBeLessThan(80);
      expect(position.get(fact.questionMessageId)).toBeGreaterThanOrEqual(360);
    }
  });
});

describe('memory recall benchmark', () => {
  it('puts the fact in context for at least 90 % of late questions with the agent defaults, where the window alone has none', async () => {
    const figures = await runMemoryRecallBenchmark({ seeds: [11], messages: 600, historyWindow: 20, ks: [4] });
    const share = (strategy: string) => {
      const s = figures.strategies.find((f) => f.strategy === strategy);
      return s ? s.answered / s.questions : Number.NaN;
    };

    expect(figures.outsideWindow).toBe(32);
    expect(share('window only')).toBe(0);
    expect(share('window + memory passages, k = 4')).toBeGreaterThanOrEqual(0.9);
    // Questions that share no content word with their fact but an irregular form of one.
    const paraphrase = figures.byKind.find((b) => b.kind === 'paraphrase' && b.k === 4);
    expect(paraphrase?.questions).toBe(8);
    expect((paraphrase?.answered ?? 0) / (paraphrase?.questions ?? 1)).toBeGreaterThanOrEqual(0.75);
  });
});
