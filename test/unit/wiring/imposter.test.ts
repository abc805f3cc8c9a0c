import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MODEL_ID } from '../../../lambdas/domain/agents/config';
import { resetClients } from '../../../lambdas/wiring/clients';
import { AGENT_ENV, GAMES_ENV, resetEnvCache } from '../../../lambdas/wiring/env';
import { gamesModelId } from '../../../lambdas/wiring/agents';
import { imposterDeps } from '../../../lambdas/wiring/imposter';
import { stubHandlerEnv } from '../../support/events';

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
  resetClients();
});

describe('imposter wiring', () => {
  it('plays with the games’ model, else the agents’ default, else Parley’s', () => {
    expect(gamesModelId()).toBe(DEFAULT_MODEL_ID);
    vi.stubEnv(AGENT_ENV.defaultModelId, 'agents-default');
    resetEnvCache();
    expect(gamesModelId()).toBe('agents-default');
    vi.stubEnv(GAMES_ENV.modelId, 'games-model');
    resetEnvCache();
    expect(gamesModelId()).toBe('games-model');
  });

  it('fails loudly without the games table or the job queue', () => {
    stubHandlerEnv({ AUDIT_TABLE: 'audit', [GAMES_ENV.imposterJobsQueueUrl]: 'https://sqs.eu-west-1.amazonaws.com/1/imposter' });
    expect(() => imposterDeps()).toThrow(GAMES_ENV.table);
    vi.stubEnv(GAMES_ENV.table, 'games');
    resetEnvCache();
    expect(imposterDeps().agentLabel).toBe(`AI (${DEFAULT_MODEL_ID})`);
  });
});
