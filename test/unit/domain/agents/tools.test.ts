import { describe, expect, it } from 'vitest';
import { agentSettingsSchema } from '../../../../lambdas/domain/agents/config';
import { boundResult, checkToolUse, TOOL_LIMITS, TOOL_NAMES, TOOL_SPECS, type ToolName } from '../../../../lambdas/domain/agents/tools';

const all = new Set<ToolName>(TOOL_NAMES);

describe('checkToolUse', () => {
  it('accepts a search with a query, trimmed', () => {
    expect(checkToolUse({ toolUseId: 't1', name: 'search_room_history', input: { query: '  launch date ' } }, all)).toEqual({
      ok: true,
      name: 'search_room_history',
      input: { query: 'launch date' },
    });
  });

  it('accepts a tool without input when the model sends none', () => {
    expect(checkToolUse({ toolUseId: 't1', name: 'current_time', input: undefined }, all)).toMatchObject({ ok: true, name: 'current_time' });
  });

  it.each([
    ['no query', {}],
    ['an empty query', { query: '   ' }],
    ['a query that is not text', { query: 42 }],
    ['an oversize query', { query: 'x'.repeat(201) }],
    ['input that was not JSON', '{"query": "unterminated'],
  ])('refuses a search with %s, saying why, for the model to read', (_, input) => {
    const checked = checkToolUse({ toolUseId: 't1', name: 'search_room_history', input }, all);
    expect(checked).toMatchObject({ ok: false, error: expect.stringContaining('Invalid input for search_room_history') });
  });

  it('refuses a tool the agent was not given, and one that does not exist', () => {
    expect(checkToolUse({ toolUseId: 't1', name: 'current_time', input: {} }, new Set(['search_room_history']))).toMatchObject({ ok: false });
    expect(checkToolUse({ toolUseId: 't1', name: 'rm_rf', input: {} }, all)).toEqual({ ok: false, name: 'rm_rf', error: 'There is no tool named rm_rf.' });
  });
});

describe('tool specs', () => {
  it('describe every tool with an object schema for the model', () => {
    for (const name of TOOL_NAMES) {
      expect(TOOL_SPECS[name]).toMatchObject({ name, description: expect.any(String), inputSchema: { type: 'object' } });
    }
  });
});

describe('boundResult', () => {
  it('keeps a short result and cuts a long one to the bound, on a character boundary', () => {
    expect(boundResult('ok')).toBe('ok');
    const cut = boundResult('😀'.repeat(TOOL_LIMITS.resultChars));
    expect(cut.length).toBeLessThanOrEqual(TOOL_LIMITS.resultChars + 1);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF]…$/);
  });
});

describe('agent settings, tools', () => {
  it('gives an agent no tools by default', () => {
    expect(agentSettingsSchema.parse({ handle: 'helper' }).tools).toEqual([]);
  });

  it('keeps each chosen tool once', () => {
    expect(agentSettingsSchema.parse({ handle: 'helper', tools: ['current_time', 'current_time', 'search_room_history'] }).tools).toEqual([
      'current_time',
      'search_room_history',
    ]);
  });

  it('refuses a tool that is not built in', () => {
    expect(agentSettingsSchema.safeParse({ handle: 'helper', tools: ['shell'] }).success).toBe(false);
  });
});
