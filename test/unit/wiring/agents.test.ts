import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelEvent, ModelRequest } from '../../../lambdas/domain/agents/ports';
import { circuitOptions, defaultModelId, modelClient, openAiModel } from '../../../lambdas/wiring/agents';
import { DEFAULT_CIRCUIT } from '../../../lambdas/domain/agents/circuit-breaker';
import { resetClients } from '../../../lambdas/wiring/clients';
import { AGENT_ENV, resetEnvCache } from '../../../lambdas/wiring/env';

const secrets = mockClient(SecretsManagerClient);

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  resetEnvCache();
  resetClients();
  secrets.reset();
});

const request = (modelId: string): ModelRequest => ({
  modelId,
  prompt: { system: 'Be brief.', turns: [{ role: 'user', text: 'hi' }], estimatedTokens: 3, includedMessageIds: [], trimmed: { messages: 0, passages: 0, summary: false } },
  temperature: 0.5,
  maxOutputTokens: 64,
});

const collect = async (events: AsyncIterable<ModelEvent>) => {
  const all: ModelEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
};

describe('the agents wiring', () => {
  it('gives new agents Nova Lite unless the deployment names another default', () => {
    expect(defaultModelId()).toBe('amazon.nova-lite-v1:0');

    resetEnvCache();
    vi.stubEnv(AGENT_ENV.defaultModelId, 'eu.amazon.nova-pro-v1:0');
    expect(defaultModelId()).toBe('eu.amazon.nova-pro-v1:0');
  });

  it('reads the circuit breaker’s thresholds from the environment, with the defaults when unset, and fails loudly on nonsense', () => {
    expect(circuitOptions()).toEqual(DEFAULT_CIRCUIT);

    resetEnvCache();
    vi.stubEnv(AGENT_ENV.circuitFailures, '2');
    vi.stubEnv(AGENT_ENV.circuitCoolDownMs, '15000');
    expect(circuitOptions()).toEqual({ ...DEFAULT_CIRCUIT, failures: 2, coolDownMs: 15_000 });

    resetEnvCache();
    vi.stubEnv(AGENT_ENV.circuitWindowMs, 'a minute');
    expect(() => circuitOptions()).toThrow(AGENT_ENV.circuitWindowMs);
  });

  it('has no OpenAI-compatible endpoint unless one is bound, and then refuses openai: models', async () => {
    expect(openAiModel()).toBeUndefined();

    const error = await collect(modelClient().stream(request('openai:gpt-4o-mini'))).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ModelUnavailableError', retryable: false, reason: 'ProviderNotConfigured' });
  });

  it('sends openai: models to the bound endpoint with the key read from Secrets Manager', async () => {
    vi.stubEnv(AGENT_ENV.openAiBaseUrl, 'https://llm.example.com/v1');
    vi.stubEnv(AGENT_ENV.openAiApiKeySecret, 'parley/openai');
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"apiKey":"sk-from-secret"}' });
    const fetch = vi.fn(async () => new Response('data: {"choices":[{"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'));
    vi.stubGlobal('fetch', fetch);

    const events = await collect(modelClient().stream(request('openai:gpt-4o-mini')));

    expect(events).toEqual([
      { type: 'delta', text: 'hi' },
      { type: 'done', stopReason: 'end_turn' },
    ]);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'parley/openai' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://llm.example.com/v1/chat/completions');
    expect(init.headers).toMatchObject({ authorization: 'Bearer sk-from-secret' });
    expect(JSON.parse(String(init.body))).toMatchObject({ model: 'gpt-4o-mini' });
  });
});
