import { describe, expect, it } from 'vitest';
import { buildPrompt, estimateTokens } from '../../../../lambdas/domain/agents/prompt';
import { agentOf, byAgent, human } from '../../../support/fakes/agents';

/** Sunday 6 December 2026, 14:05 UTC. */
const NOW = Date.parse('2026-12-06T14:05:00Z');

const agent = agentOf({ handle: 'assistant', displayName: 'Ada', systemPrompt: 'Be kind.', persona: 'A patient librarian.' });

describe('buildPrompt', () => {
  it('puts the system prompt, persona and who the agent is in the system part', () => {
    const prompt = buildPrompt({ now: NOW, agent, roomName: 'lobby', history: [human('M1', 'Alice', '@assistant hi')] });

    expect(prompt.system).toContain('Be kind.');
    expect(prompt.system).toContain('Persona: A patient librarian.');
    expect(prompt.system).toContain('@assistant (Ada) in the chat room "lobby"');
  });

  it('states the present in UTC, in words and as the lines write it', () => {
    const prompt = buildPrompt({ now: NOW, agent, history: [human('M1', 'Alice', '@assistant what day is it?')] });

    expect(prompt.system).toContain('Now: Sunday 6 December 2026, 14:05 UTC (2026-12-06 14:05).');
  });

  it('starts people\'s and other agents\' lines with when they were sent, but not the agent\'s own turns', () => {
    const history = [
      human('M1', 'Alice', 'we shipped it', '2026-12-05T09:30:59.000Z'),
      byAgent('M2', 'assistant', 'Ada', 'Congratulations!', '2026-12-05T09:31:00.000Z'),
      byAgent('M3', 'critic', 'Crit', 'Finally.', '2026-12-05T23:59:00.000Z'),
      human('M4', 'Bob', '@assistant when did we ship?', '2026-12-06T14:04:00.000Z'),
    ];

    const prompt = buildPrompt({ now: NOW, agent, history });

    expect(prompt.turns).toEqual([
      { role: 'user', text: '[2026-12-05 09:30] [Alice] we shipped it' },
      { role: 'assistant', text: 'Congratulations!' },
      { role: 'user', text: '[2026-12-05 23:59] [agent @critic – Crit] Finally.\n[2026-12-06 14:04] [Bob] @assistant when did we ship?' },
    ]);
  });

  it('labels speakers, marks other agents and gives the agent its own turns', () => {
    const history = [
      human('M1', 'Alice', 'hello'),
      byAgent('M2', 'assistant', 'Ada', 'Hi Alice!'),
      byAgent('M3', 'critic', 'Crit', 'Meh.'),
      human('M4', 'Bob', '@assistant thoughts?'),
    ];

    const prompt = buildPrompt({ now: NOW, agent, history });

    expect(prompt.turns).toEqual([
      { role: 'user', text: '[2026-12-06 14:03] [Alice] hello' },
      { role: 'assistant', text: 'Hi Alice!' },
      { role: 'user', text: '[2026-12-06 14:03] [agent @critic – Crit] Meh.\n[2026-12-06 14:03] [Bob] @assistant thoughts?' },
    ]);
    expect(prompt.includedMessageIds).toEqual(['M1', 'M2', 'M3', 'M4']);
  });

  it('starts with a user turn, dropping the agent’s own leading messages', () => {
    const prompt = buildPrompt({
      now: NOW,
      agent,
      history: [byAgent('M1', 'assistant', 'Ada', 'I spoke first'), human('M2', 'Alice', 'and now me')],
    });

    expect(prompt.turns).toEqual([{ role: 'user', text: '[2026-12-06 14:03] [Alice] and now me' }]);
  });

  it('trims the oldest history first to stay within the token budget', () => {
    const small = { ...agent, maxPromptTokens: 500 };
    const history = Array.from({ length: 40 }, (_, i) => human(`M${String(i).padStart(2, '0')}`, 'Alice', `message ${i} `.repeat(10)));

    const prompt = buildPrompt({ now: NOW, agent: small, history });

    expect(prompt.estimatedTokens).toBeLessThanOrEqual(500);
    expect(prompt.trimmed.messages).toBeGreaterThan(0);
    expect(prompt.includedMessageIds.at(-1)).toBe('M39');
    const kept = prompt.includedMessageIds;
    expect(kept).toEqual(history.slice(history.length - kept.length).map((m) => m.messageId));
  });

  it('keeps the message being answered, shortened when it alone is too long', () => {
    const small = { ...agent, maxPromptTokens: 500 };
    const huge = human('M1', 'Alice', 'x'.repeat(20_000));

    const prompt = buildPrompt({ now: NOW, agent: small, history: [huge] });

    expect(prompt.turns).toHaveLength(1);
    expect(prompt.turns[0]?.text.endsWith('…')).toBe(true);
    expect(prompt.estimatedTokens).toBeLessThanOrEqual(500);
  });

  it('adds the room summary and the best passages that fit, leaving out the rest', () => {
    const small = { ...agent, maxPromptTokens: 600 };
    const prompt = buildPrompt({
      now: NOW,
      agent: small,
      history: [human('M9', 'Alice', '@assistant remind me?')],
      memory: {
        summary: { text: 'The team chose Lisbon for the offsite.', fromMessageId: 'M1', toMessageId: 'M5' },
        passages: [
          { messageIds: ['M2'], text: 'low score '.repeat(200), score: 0.1 },
          { messageIds: ['M3'], text: 'Bob booked the flights for the 12th.', score: 0.9 },
        ],
      },
    });

    expect(prompt.system).toContain('Summary: The team chose Lisbon for the offsite.');
    expect(prompt.system).toContain('- Bob booked the flights for the 12th.');
    expect(prompt.system).not.toContain('low score');
    expect(prompt.trimmed.passages).toBe(1);
    expect(prompt.estimatedTokens).toBeLessThanOrEqual(600);
  });

  it('has no memory section without memory', () => {
    const prompt = buildPrompt({ now: NOW, agent, history: [human('M1', 'Alice', 'hi')], memory: { passages: [] } });
    expect(prompt.system).not.toContain('memory');
  });
});

describe('estimateTokens', () => {
  it('counts about four characters per token', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
  });
});
