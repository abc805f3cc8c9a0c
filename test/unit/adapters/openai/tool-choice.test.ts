import { describe, expect, it } from 'vitest';
import { OpenAiChatModel } from '../../../../lambdas/adapters/openai/openai-chat-model';
import type { ModelRequest } from '../../../../lambdas/domain/agents/ports';

const request = (toolChoice?: { tool: string }): ModelRequest => ({
  modelId: 'gpt-4o-mini',
  prompt: { system: 'Answer with the tool.', turns: [{ role: 'user', text: 'Hi' }], estimatedTokens: 5, includedMessageIds: [], trimmed: { messages: 0, passages: 0, summary: false } },
  temperature: 0.5,
  maxOutputTokens: 100,
  tools: [{ name: 'dialogue_turn', description: 'The characters answer.', inputSchema: { type: 'object' } }],
  ...(toolChoice ? { toolChoice } : {}),
});

/** The JSON body the adapter posts for a request (the stream is ended at once). */
async function bodyOf(req: ModelRequest): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {};
  const fetch = (async (_url: string, init?: RequestInit) => {
    body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    return new Response('data: [DONE]\n\n', { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }) as typeof globalThis.fetch;
  const model = new OpenAiChatModel({ baseUrl: 'https://llm.example.com/v1/', apiKey: async () => 'sk-test', fetch });
  try {
    for await (const _event of model.stream(req)) {
      // drained
    }
  } catch {
    // An empty stream may end as a broken one; only the request matters here.
  }
  return body;
}

describe('OpenAiChatModel: a forced tool', () => {
  it('names the tool in tool_choice when the request forces it, and leaves the choice to the model otherwise', async () => {
    expect(await bodyOf(request({ tool: 'dialogue_turn' }))).toMatchObject({ tool_choice: { type: 'function', function: { name: 'dialogue_turn' } } });
    expect(await bodyOf(request())).not.toHaveProperty('tool_choice');
  });
});
