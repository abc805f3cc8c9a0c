import { describe, expect, it } from 'vitest';
import { runMemorySessionsBenchmark } from '../../../scripts/bench/memory-sessions';
import { QUESTION_KINDS, generateSessions } from '../../../scripts/generate-sessions';

describe('generateSessions', () => {
  it('gives the same room for the same seed and another for another seed', () => {
    const a = generateSessions({ seed: 3 });
    const b = generateSessions({ seed: 3 });
    const c = generateSessions({ seed: 4 });

    expect(a).toEqual(b);
    expect(a.messages.map((m) => m.text)).not.toEqual(c.messages.map((m) => m.text));
  });

  it('asks every kind of question in the last session about evidence told in earlier ones', () => {
    const room = generateSessions({ seed: 3 });
    const lastSession = room.sessionStarts.at(-1) as string;
    const byId = new Map(room.messages.map((m) => [m.messageId, m]));

    expect(new Set(room.questions.map((q) => q.kind))).toEqual(new Set(QUESTION_KINDS));
    for (const question of room.questions) {
      expect((byId.get(question.questionMessageId)?.createdAt ?? '') >= lastSession).toBe(true);
      for (const id of question.evidenceMessageIds) expect((byId.get(id)?.createdAt ?? '') < lastSession).toBe(true);
    }
  });

  it('tells the two facts of a multi-hop question in different sessions', () => {
    const room = generateSessions({ seed: 3 });
    const session = (id: string) => id.split('m')[0];

    for (const question of room.questions.filter((q) => q.kind === 'multi-hop')) {
      const [first, second] = question.evidenceMessageIds;
      expect(session(first as string)).not.toBe(session(second as string));
    }
  });

  it('follows a question the agent answered with a short follow-up', () => {
    const room = generateSessions({ seed: 3 });
    const index = new Map(room.messages.map((m, i) => [m.messageId, i]));

    for (const question of room.questions.filter((q) => q.kind === 'follow-up')) {
      const at = index.get(question.questionMessageId) as number;
      expect(room.messages[at - 1]?.senderType).toBe('agent');
      expect(room.messages[at - 2]?.text).toMatch(/^@helper /);
    }
  });
});

describe('memory sessions benchmark', () => {
  it('finds evidence that neither the window nor the same tokens of recent messages hold', async () => {
    const { figures } = await runMemorySessionsBenchmark({ seeds: [3], k: 4 });
    const of = (strategy: string, kind: string) => figures.find((f) => f.strategy === strategy && f.kind === kind);

    expect(of('window only', 'single-hop')?.allEvidence).toBe(0);
    expect(of('window + recent messages, same tokens', 'single-hop')?.allEvidence).toBe(0);
    const singleHop = of('window + memory', 'single-hop');
    expect((singleHop?.allEvidence ?? 0) / (singleHop?.questions ?? 1)).toBeGreaterThanOrEqual(0.75);
    const temporal = of('window + memory', 'temporal');
    expect(temporal?.needDate).toBe(temporal?.questions);
  });
});
