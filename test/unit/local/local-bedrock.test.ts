import { createServer, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BedrockModelClient } from '../../../lambdas/adapters/bedrock/bedrock-model';
import { ModelStreamError, ModelUnavailableError } from '../../../lambdas/domain/agents/errors';
import type { ModelEvent, ModelRequest } from '../../../lambdas/domain/agents/ports';
import { buildPrompt } from '../../../lambdas/domain/agents/prompt';
import { TOOL_SPECS } from '../../../lambdas/domain/agents/tools';
import {
  composeOfflineReply,
  INTERRUPT_AFTER_PIECES,
  OFFLINE_TEST_MODELS,
  OfflineResponder,
} from '../../../scripts/local/bedrock/offline-responder';
import { OpenAiBackend } from '../../../scripts/local/bedrock/openai-backend';
import { createBedrockServer, type BedrockServer } from '../../../scripts/local/bedrock/server';
import { agentOf, byAgent, human } from '../../support/fakes/agents';

/** Sunday 6 December 2026, 14:05 UTC. */
const NOW = Date.parse('2026-12-06T14:05:00Z');

const listen = async (server: NetServer): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** The real SDK client, configured like the functions' one, pointed at a local endpoint. */
const clientFor = (endpoint: string) =>
  new BedrockRuntimeClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

const prompt = buildPrompt({
  now: NOW,
  agent: agentOf({ handle: 'assistant', displayName: 'Ada' }),
  history: [human('M1', 'Bob', 'morning all'), human('M2', 'Alice', '@assistant what is the plan?')],
});
const requestFor = (modelId: string): ModelRequest => ({ modelId, prompt, temperature: 0.5, maxOutputTokens: 400 });

async function run(client: BedrockModelClient, request: ModelRequest): Promise<{ events: ModelEvent[]; error?: unknown }> {
  const events: ModelEvent[] = [];
  try {
    for await (const event of client.stream(request)) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}
const textOf = (events: ModelEvent[]) => events.map((e) => (e.type === 'delta' ? e.text : '')).join('');

describe('the local Bedrock endpoint with the offline responder', () => {
  let bedrock: BedrockServer;
  let model: BedrockModelClient;
  let endpoint: string;

  beforeAll(async () => {
    bedrock = createBedrockServer(new OfflineResponder({ pieceDelayMs: 1 }));
    endpoint = await listen(bedrock.server);
    model = new BedrockModelClient(clientFor(endpoint));
  });
  afterAll(() => bedrock.close());

  it('streams a reply through ConverseStream, piece by piece, with usage', async () => {
    const { events, error } = await run(model, requestFor('amazon.nova-lite-v1:0'));

    expect(error).toBeUndefined();
    expect(events.filter((e) => e.type === 'delta').length).toBeGreaterThan(10);
    expect(textOf(events)).toBe(composeOfflineReply({ system: prompt.system, messages: prompt.turns }));
    expect(events.at(-1)).toEqual({
      type: 'done',
      stopReason: 'end_turn',
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
    });
  });

  it('answers Converse with the whole reply', async () => {
    const response = await clientFor(endpoint).send(
      new ConverseCommand({
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        system: [{ text: prompt.system }],
        messages: [{ role: 'user', content: [{ text: '[Alice] hello' }] }],
      }),
    );

    expect(response.output?.message?.content?.[0]?.text).toContain("Parley's offline model");
    expect(response.stopReason).toBe('end_turn');
    expect(response.usage?.totalTokens).toBeGreaterThan(0);
  });

  it('throttles the unavailable test model before streaming, as Bedrock does', async () => {
    const { events, error } = await run(model, requestFor(OFFLINE_TEST_MODELS.unavailable));

    expect(events).toEqual([]);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error).toMatchObject({ retryable: true, reason: 'ThrottlingException' });
  });

  it('breaks the interrupted test model’s stream after a few pieces', async () => {
    const { events, error } = await run(model, requestFor(OFFLINE_TEST_MODELS.interrupted));

    expect(events.filter((e) => e.type === 'delta')).toHaveLength(INTERRUPT_AFTER_PIECES);
    expect(error).toBeInstanceOf(ModelStreamError);
  });

  it('refuses a conversation that does not start with a user turn', async () => {
    const bad = { ...requestFor('amazon.nova-lite-v1:0'), prompt: { ...prompt, turns: [{ role: 'assistant' as const, text: 'hi' }] } };

    const { error } = await run(model, bad);

    expect(error).toMatchObject({ name: 'ModelUnavailableError', retryable: false, reason: 'ValidationException' });
  });
});

describe('the offline model’s tool calls through the local Bedrock endpoint', () => {
  let bedrock: BedrockServer;
  let model: BedrockModelClient;

  beforeAll(async () => {
    bedrock = createBedrockServer(new OfflineResponder({ pieceDelayMs: 0 }));
    model = new BedrockModelClient(clientFor(await listen(bedrock.server)));
  });
  afterAll(() => bedrock.close());

  const asking = (text: string, tools = [TOOL_SPECS.current_time, TOOL_SPECS.search_room_history]): ModelRequest => ({
    modelId: 'amazon.nova-lite-v1:0',
    prompt: buildPrompt({ now: NOW, agent: agentOf({ handle: 'assistant' }), history: [human('M1', 'Alice', text)] }),
    temperature: 0.5,
    maxOutputTokens: 400,
    tools,
  });

  it('calls current_time when asked for the time and the tool is offered', async () => {
    const { events, error } = await run(model, asking('@assistant what time is it?'));

    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'toolUse', toolUseId: 'tooluse-current_time-1', name: 'current_time', input: {} },
      { type: 'done', stopReason: 'tool_use', usage: expect.any(Object) },
    ]);
  });

  it('searches history for the words after “search history for”', async () => {
    const { events } = await run(model, asking('@assistant search history for the launch date'));

    expect(events[0]).toMatchObject({ type: 'toolUse', name: 'search_room_history', input: { query: 'the launch date' } });
  });

  it('calls no tool it was not offered, and answers as usual', async () => {
    const { events } = await run(model, asking('@assistant what time is it?', [TOOL_SPECS.search_room_history]));

    expect(events.some((e) => e.type === 'toolUse')).toBe(false);
    expect(textOf(events)).toContain("Parley's offline model");
  });

  it('answers with the tool’s result once it has it', async () => {
    const request = asking('@assistant what time is it?');
    const { events } = await run(model, {
      ...request,
      toolRounds: [
        {
          text: '',
          uses: [{ toolUseId: 'tooluse-current_time-1', name: 'current_time', input: {} }],
          results: [{ toolUseId: 'tooluse-current_time-1', status: 'success', text: 'It is Sunday 6 December 2026, 14:05 UTC.' }],
        },
      ],
    });

    expect(textOf(events)).toBe('I used current_time: It is Sunday 6 December 2026, 14:05 UTC.');
    expect(events.at(-1)).toMatchObject({ type: 'done', stopReason: 'end_turn' });
  });

  it('cites the numbered passages a document search returned, each by its number', async () => {
    const request = asking('@assistant search documents for warranty', [TOOL_SPECS.search_documents]);
    const { events } = await run(model, {
      ...request,
      toolRounds: [
        {
          text: '',
          uses: [{ toolUseId: 'tooluse-search_documents-1', name: 'search_documents', input: { query: 'warranty' } }],
          results: [
            {
              toolUseId: 'tooluse-search_documents-1',
              status: 'success',
              text: '[1] Handbook › Warranty: Two years.\n\n[2] Policy › Returns: Thirty days.\n\nCite each passage you use by its number, as [1] or [2].',
            },
          ],
        },
      ],
    });

    expect(textOf(events)).toBe('I used search_documents: Handbook › Warranty: Two years. [1] Policy › Returns: Thirty days. [2]');
  });

  it('refuses tool blocks without toolConfig, as Bedrock does', async () => {
    const request = asking('@assistant what time is it?');
    const { tools: _tools, ...withoutTools } = request;
    const { error } = await run(model, {
      ...withoutTools,
      toolRounds: [{ text: '', uses: [{ toolUseId: 't', name: 'current_time', input: {} }], results: [{ toolUseId: 't', status: 'success', text: 'noon' }] }],
    });

    expect(error).toMatchObject({ reason: 'ValidationException' });
  });
});

describe('composeOfflineReply', () => {
  it('addresses a person by name, quotes them and says it is the offline model', () => {
    const reply = composeOfflineReply({ system: prompt.system, messages: prompt.turns });

    expect(reply).toMatch(/^Alice, this is @assistant on Parley's offline model/);
    expect(reply).toContain('“@assistant what is the plan?”');
    expect(reply).toContain('I see 2 messages in this conversation, from Bob, Alice.');
  });

  it('addresses an agent by its handle', () => {
    const fromAgent = buildPrompt({
      now: NOW,
      agent: agentOf({ handle: 'beta' }),
      history: [byAgent('M1', 'alpha', 'Alpha', '@beta your turn')],
    });

    expect(composeOfflineReply({ system: fromAgent.system, messages: fromAgent.turns })).toMatch(/^@alpha, this is @beta/);
  });
});

describe('the local Bedrock endpoint with an OpenAI-compatible server', () => {
  let openAi: Server;
  let bedrock: BedrockServer;
  const received: unknown[] = [];

  beforeAll(async () => {
    openAi = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url, auth: req.headers.authorization, body: JSON.parse(body) as unknown });
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const piece of ['Hel', 'lo ', 'from Ollama']) {
          res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: piece }, finish_reason: null }] })}\n\n`);
        }
        res.write(`data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`);
        res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 33, completion_tokens: 4 } })}\n\n`);
        res.end('data: [DONE]\n\n');
      });
    });
    const openAiUrl = await listen(openAi);
    bedrock = createBedrockServer(new OpenAiBackend({ baseUrl: `${openAiUrl}/v1`, model: 'llama3.2', apiKey: 'k' }));
  });
  afterAll(async () => {
    await bedrock.close();
    await close(openAi);
  });

  it('relays the chat server’s streamed reply and usage as Bedrock events', async () => {
    const model = new BedrockModelClient(clientFor(await listen(bedrock.server)));

    const { events, error } = await run(model, requestFor('amazon.nova-lite-v1:0'));

    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Hello from Ollama');
    expect(events.at(-1)).toEqual({ type: 'done', stopReason: 'end_turn', usage: { inputTokens: 33, outputTokens: 4 } });
    expect(received).toEqual([
      {
        path: '/v1/chat/completions',
        auth: 'Bearer k',
        body: expect.objectContaining({
          model: 'llama3.2',
          stream: true,
          max_tokens: 400,
          messages: [
            { role: 'system', content: prompt.system },
            { role: 'user', content: '[2026-12-06 14:03] [Bob] morning all\n[2026-12-06 14:03] [Alice] @assistant what is the plan?' },
          ],
        }),
      },
    ]);
  });
});
