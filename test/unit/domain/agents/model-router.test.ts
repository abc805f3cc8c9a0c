import { describe, expect, it } from 'vitest';
import { ModelUnavailableError } from '../../../../lambdas/domain/agents/errors';
import { ModelRouter } from '../../../../lambdas/domain/agents/model-router';
import type { ModelClient, ModelEvent, ModelRequest } from '../../../../lambdas/domain/agents/ports';

class RecordingModel implements ModelClient {
  readonly requests: ModelRequest[] = [];
  constructor(private readonly text: string) {}
  async *stream(request: ModelRequest): AsyncGenerator<ModelEvent> {
    this.requests.push(request);
    yield { type: 'delta', text: this.text };
    yield { type: 'done', stopReason: 'end_turn' };
  }
}

const request = (modelId: string): ModelRequest => ({
  modelId,
  prompt: {
    system: 'be brief',
    turns: [{ role: 'user', text: 'hi' }],
    estimatedTokens: 3,
    includedMessageIds: [],
    trimmed: { messages: 0, passages: 0, summary: false },
  },
  temperature: 0.5,
  maxOutputTokens: 100,
});

const collect = async (events: AsyncIterable<ModelEvent>) => {
  const all: ModelEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
};

describe('ModelRouter', () => {
  it('sends Bedrock models, inference profiles included, to Bedrock unchanged', async () => {
    const bedrock = new RecordingModel('from bedrock');
    const openai = new RecordingModel('from openai');
    const router = new ModelRouter({ bedrock, openai });

    for (const id of ['amazon.nova-lite-v1:0', 'us.anthropic.claude-3-5-haiku-20241022-v1:0', 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123']) {
      expect(await collect(router.stream(request(id)))).toContainEqual({ type: 'delta', text: 'from bedrock' });
    }
    expect(bedrock.requests.map((r) => r.modelId)).toEqual([
      'amazon.nova-lite-v1:0',
      'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123',
    ]);
    expect(openai.requests).toEqual([]);
  });

  it('sends openai: models to the OpenAI-compatible endpoint by their own name', async () => {
    const bedrock = new RecordingModel('from bedrock');
    const openai = new RecordingModel('from openai');

    const events = await collect(new ModelRouter({ bedrock, openai }).stream(request('openai:gpt-4o-mini')));

    expect(events[0]).toEqual({ type: 'delta', text: 'from openai' });
    expect(openai.requests[0]).toMatchObject({ modelId: 'gpt-4o-mini', temperature: 0.5, maxOutputTokens: 100 });
    expect(bedrock.requests).toEqual([]);
  });

  it('refuses, without retry, an openai: model where no endpoint is configured', async () => {
    const router = new ModelRouter({ bedrock: new RecordingModel('x') });

    const error = await collect(router.stream(request('openai:gpt-4o-mini'))).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error).toMatchObject({ retryable: false, reason: 'ProviderNotConfigured' });
  });

  it('refuses, without retry, a model id that names no model', async () => {
    const error = await collect(new ModelRouter({ bedrock: new RecordingModel('x') }).stream(request('not a model'))).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ModelUnavailableError', retryable: false, reason: 'ValidationException' });
  });
});
