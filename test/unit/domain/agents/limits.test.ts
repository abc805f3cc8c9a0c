import { describe, expect, it } from 'vitest';
import { AGENT_LIMITS, AGENT_TEXT_LIMITS, boundProblem } from '../../../../lambdas/domain/agents/limits';
import { agentChangesSchema, agentSettingsSchema } from '../../../../lambdas/domain/agents/config';

const settingOf: Record<string, (value: number) => Record<string, unknown>> = {
  temperature: (v) => ({ temperature: v }),
  maxOutputTokens: (v) => ({ maxOutputTokens: v }),
  historyWindow: (v) => ({ historyWindow: v }),
  maxPromptTokens: (v) => ({ maxPromptTokens: v }),
  retrievalK: (v) => ({ retrievalK: v }),
  dailyTokenBudget: (v) => ({ dailyTokenBudget: v }),
  ambientProbability: (v) => ({ trigger: { mode: 'ambient', probability: v } }),
  ambientMinQuietSeconds: (v) => ({ trigger: { mode: 'ambient', minQuietSeconds: v } }),
};

const accepts = (settings: Record<string, unknown>) => agentSettingsSchema.safeParse({ handle: 'helper', ...settings }).success;

describe('AGENT_LIMITS', () => {
  it.each(Object.entries(AGENT_LIMITS))('bounds %s exactly as the server schema does', (name, bound) => {
    const setting = settingOf[name]!;
    const step = bound.integer ? 1 : 0.01;

    expect(accepts(setting(bound.min))).toBe(true);
    expect(accepts(setting(bound.max))).toBe(true);
    expect(accepts(setting(bound.min - step))).toBe(false);
    expect(accepts(setting(bound.max + step))).toBe(false);
    expect(boundProblem(bound, bound.min)).toBeUndefined();
    expect(boundProblem(bound, bound.max + step)).toBe(`Enter a number from ${bound.min} to ${bound.max}.`);
  });

  it('bounds the text settings as the server schema does', () => {
    for (const [name, max] of Object.entries(AGENT_TEXT_LIMITS)) {
      expect(agentChangesSchema.safeParse({ [name]: 'a'.repeat(max) }).success).toBe(true);
      expect(agentChangesSchema.safeParse({ [name]: 'a'.repeat(max + 1) }).success).toBe(false);
    }
  });
});

describe('boundProblem', () => {
  it('asks for a whole number where only whole numbers are accepted', () => {
    expect(boundProblem(AGENT_LIMITS.retrievalK, 2.5)).toBe('Enter a whole number.');
    expect(boundProblem(AGENT_LIMITS.temperature, 0.5)).toBeUndefined();
  });

  it('asks for a number when the field holds none', () => {
    expect(boundProblem(AGENT_LIMITS.historyWindow, Number.NaN)).toBe('Enter a number.');
  });
});
