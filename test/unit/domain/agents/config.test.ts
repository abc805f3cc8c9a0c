import { describe, expect, it } from 'vitest';
import {
  agentSettingsSchema,
  completeSettings,
  DEFAULT_MODEL_ID,
  defaultDisplayName,
} from '../../../../lambdas/domain/agents/config';
import { parseAgentJob } from '../../../../lambdas/domain/agents/job';
import { InvalidJobError } from '../../../../lambdas/domain/agents/errors';

describe('agent settings', () => {
  it('fill every setting but the handle with a default', () => {
    const settings = completeSettings(agentSettingsSchema.parse({ handle: '@Research-Bot' }));

    expect(settings).toMatchObject({
      handle: 'research-bot',
      displayName: 'Research Bot',
      modelId: DEFAULT_MODEL_ID,
      temperature: 0.7,
      maxOutputTokens: 512,
      trigger: { mode: 'mention' },
      historyWindow: 20,
      useMemory: false,
      retrievalK: 4,
      dailyTokenBudget: 100_000,
    });
  });

  it('fill the ambient trigger with its probability and quiet interval', () => {
    const settings = agentSettingsSchema.parse({ handle: 'muse', trigger: { mode: 'ambient' } });
    expect(settings.trigger).toEqual({ mode: 'ambient', probability: 0.2, minQuietSeconds: 300 });
  });

  it('reject bad handles, temperatures, budgets and unknown trigger modes', () => {
    for (const bad of [
      { handle: '@1bot' },
      { handle: 'has space' },
      { handle: 'ok', temperature: 1.5 },
      { handle: 'ok', dailyTokenBudget: 0 },
      { handle: 'ok', trigger: { mode: 'sometimes' } },
      { handle: 'ok', modelId: 'not a model' },
    ]) {
      expect(agentSettingsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('make display names from handles', () => {
    expect(defaultDisplayName('helper_2')).toBe('Helper 2');
  });
});

describe('parseAgentJob', () => {
  it('reads a job body', () => {
    const job = { roomId: 'r1', handle: 'assistant', triggerMessageId: 'M1', reason: 'mention', replyDepth: 1 };
    expect(parseAgentJob(JSON.stringify(job))).toEqual(job);
  });

  it('rejects bodies that are not jobs', () => {
    expect(() => parseAgentJob('nope')).toThrow(InvalidJobError);
    expect(() => parseAgentJob('{"roomId":"r1"}')).toThrow(InvalidJobError);
  });
});
