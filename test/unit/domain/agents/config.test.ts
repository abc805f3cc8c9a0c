import { describe, expect, it } from 'vitest';
import {
  agentChangesSchema,
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
      useMemory: true,
      retrievalK: 4,
      dailyTokenBudget: 100_000,
    });
  });

  it('keep memory off when the manager turns it off, on adding or later', () => {
    const added = agentSettingsSchema.parse({ handle: 'helper', useMemory: false });
    const changed = agentChangesSchema.parse({ useMemory: false });

    expect(added.useMemory).toBe(false);
    expect(changed.useMemory).toBe(false);
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

  it('accept every form of model id: foundation model, inference profile, application profile ARN, openai:', () => {
    for (const modelId of [
      'amazon.nova-lite-v1:0',
      'eu.anthropic.claude-3-7-sonnet-20250219-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6',
      'openai:gpt-4o-mini',
    ]) {
      expect(agentSettingsSchema.parse({ handle: 'ok', modelId }).modelId).toBe(modelId);
      expect(agentChangesSchema.parse({ modelId }).modelId).toBe(modelId);
    }
  });

  it('say what is wrong with a malformed model id', () => {
    const result = agentSettingsSchema.safeParse({ handle: 'ok', modelId: 'us.Claude' });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['modelId'], message: expect.stringMatching(/"us\." followed by a foundation model id/) });
    expect(agentChangesSchema.safeParse({ modelId: 'arn:aws:s3:::bucket' }).error?.issues[0]?.message).toMatch(/application inference profile ARN/);
  });

  it('give an agent without a model the default model of the deployment', () => {
    const parsed = agentSettingsSchema.parse({ handle: 'ok' });

    expect(completeSettings(parsed, 'us.amazon.nova-pro-v1:0').modelId).toBe('us.amazon.nova-pro-v1:0');
    expect(completeSettings(agentSettingsSchema.parse({ handle: 'ok', modelId: 'amazon.nova-micro-v1:0' }), 'us.amazon.nova-pro-v1:0').modelId).toBe(
      'amazon.nova-micro-v1:0',
    );
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
