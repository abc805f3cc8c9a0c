import { createServer, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BedrockModelClient } from '../../../lambdas/adapters/bedrock/bedrock-model';
import type { ModelEvent, ModelRequest } from '../../../lambdas/domain/agents/ports';
import { buildPrompt } from '../../../lambdas/domain/agents/prompt';
import { TOOL_SPECS } from '../../../lambdas/domain/agents/tools';
import { OpenAiBackend } from '../../../scripts/local/bedrock/openai-backend';
import { createBedrockServer, type BedrockServer } from '../../../scripts/local/bedrock/server';
import { agentOf, human } from '../../support/fakes/agents';

const NOW = Date.parse('2026-12-06T14:05:00Z');

const listen = async (server: NetServer): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** What the fake chat server answers: server-sent chunks, or one JSON completion. */
type Script = { readonly sse: readonly object[] } | { readonly json: object };

const sse = (chunks: readonly object[]) => chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';
const toolCall = (fields: { id?: string; name?: string; arguments: string }) => ({
  choices: [
    {
      delta: {
        tool_calls: [{ index: 0, ...(fields.id ? { id: fields.id, type: 'function' } : {}), function: { ...(fields.name ? { name: fields.name } : {}), arguments: fields.arguments } }],
      },
      finish_reason: null,
    },
  ],
});

/**
 * The local Bedrock endpoint in front of a scripted OpenAI-compatible
 * server, driven by the agents' own Bedrock adapter: a tool call the chat
 * server streams in pieces reaches the agent as Converse tool use, and the
 * call with its result goes back as OpenAI tool messages.
 */
describe('tools through the local Bedrock endpoint and an OpenAI-compatible server', () => {
  let openAi: Server;
  let bedrock: BedrockServer;
  let endpoint: string;
  const scripts: Script[] = [];
  const received: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    openAi = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as Record<string, unknown>);
        const script = scripts.shift();
        if (!script) {
          res.writeHead(500).end('no script');
        } else if ('json' in script) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(script.json));
        } else {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          // Each chunk in a write of its own, so the endpoint relays pieces as they come.
          for (const line of sse(script.sse).split(/(?<=\n\n)/)) res.write(line);
          res.end();
        }
      });
    });
    const openAiUrl = await listen(openAi);
    bedrock = createBedrockServer(new OpenAiBackend({ baseUrl: `${openAiUrl}/v1`, model: 'llama3.2' }));
    endpoint = await listen(bedrock.server);
  });
  afterAll(async () => {
    await bedrock.close();
    openAi.closeAllConnections();
    await new Promise<void>((resolve) => openAi.close(() => resolve()));
  });
  beforeEach(() => {
    scripts.length = 0;
    received.length = 0;
  });

  const client = () =>
    new BedrockRuntimeClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const asking: ModelRequest = {
    modelId: 'amazon.nova-lite-v1:0',
    prompt: buildPrompt({ now: NOW, agent: agentOf({ handle: 'scout' }), history: [human('M1', 'Alice', '@scout when is the launch?')] }),
    temperature: 0.5,
    maxOutputTokens: 400,
    tools: [TOOL_SPECS.search_room_history, TOOL_SPECS.current_time],
  };
  const collect = async (request: ModelRequest): Promise<ModelEvent[]> => {
    const events: ModelEvent[] = [];
    for await (const event of new BedrockModelClient(client()).stream(request)) events.push(event);
    return events;
  };

  it('relays a tool call split across chunks, then answers from its result', async () => {
    scripts.push(
      {
        sse: [
          { choices: [{ delta: { role: 'assistant', content: null }, finish_reason: null }] },
          toolCall({ id: 'call_7', name: 'search_room_history', arguments: '' }),
          toolCall({ arguments: '{"qu' }),
          toolCall({ arguments: 'ery":"lau' }),
          toolCall({ arguments: 'nch"}' }),
          { choices: [{ delta: {}, finish_reason: 'tool_calls' }] },
          { choices: [], usage: { prompt_tokens: 120, completion_tokens: 11 } },
        ],
      },
      {
        sse: [
          { choices: [{ delta: { content: 'The launch is ' }, finish_reason: null }] },
          { choices: [{ delta: { content: 'on Friday.' }, finish_reason: 'stop' }] },
        ],
      },
    );

    const first = await collect(asking);
    const second = await collect({
      ...asking,
      toolRounds: [
        {
          text: '',
          uses: [{ toolUseId: 'call_7', name: 'search_room_history', input: { query: 'launch' } }],
          results: [{ toolUseId: 'call_7', status: 'success', text: '[M0] Bob: launch on Friday' }],
        },
      ],
    });

    expect(first).toEqual([
      { type: 'toolUse', toolUseId: 'call_7', name: 'search_room_history', input: { query: 'launch' } },
      { type: 'done', stopReason: 'tool_use', usage: { inputTokens: 120, outputTokens: 11 } },
    ]);
    expect(received[0]).toMatchObject({
      tools: [
        { type: 'function', function: { name: 'search_room_history', description: TOOL_SPECS.search_room_history.description, parameters: TOOL_SPECS.search_room_history.inputSchema } },
        { type: 'function', function: { name: 'current_time', description: TOOL_SPECS.current_time.description, parameters: TOOL_SPECS.current_time.inputSchema } },
      ],
    });
    expect((received[1]?.['messages'] as unknown[]).slice(-2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_7', type: 'function', function: { name: 'search_room_history', arguments: '{"query":"launch"}' } }] },
      { role: 'tool', tool_call_id: 'call_7', content: '[M0] Bob: launch on Friday' },
    ]);
    expect(second.filter((e) => e.type === 'delta').map((e) => (e.type === 'delta' ? e.text : '')).join('')).toBe('The launch is on Friday.');
    expect(second.at(-1)).toMatchObject({ type: 'done', stopReason: 'end_turn' });
  });

  it('answers Converse with tool use from a chat server that does not stream, and relays toolChoice', async () => {
    scripts.push({
      json: {
        choices: [{ message: { content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'current_time', arguments: '{}' } }] }, finish_reason: 'tool_calls' }],
        usage: { prompt_tokens: 20, completion_tokens: 3 },
      },
    });

    const response = await client().send(
      new ConverseCommand({
        modelId: 'amazon.nova-lite-v1:0',
        messages: [{ role: 'user', content: [{ text: 'what time is it?' }] }],
        toolConfig: {
          tools: [{ toolSpec: { name: 'current_time', description: 'The time.', inputSchema: { json: { type: 'object', properties: {} } } } }],
          toolChoice: { tool: { name: 'current_time' } },
        },
      }),
    );

    expect(received[0]).toMatchObject({ tool_choice: { type: 'function', function: { name: 'current_time' } } });
    expect(response.output?.message?.content).toEqual([{ toolUse: { toolUseId: 'call_1', name: 'current_time', input: {} } }]);
    expect(response.stopReason).toBe('tool_use');
  });

  it('refuses a toolChoice naming a tool that is not offered, before asking the chat server', async () => {
    const refused = client().send(
      new ConverseCommand({
        modelId: 'amazon.nova-lite-v1:0',
        messages: [{ role: 'user', content: [{ text: 'hi' }] }],
        toolConfig: {
          tools: [{ toolSpec: { name: 'current_time', inputSchema: { json: { type: 'object' } } } }],
          toolChoice: { tool: { name: 'launch_missiles' } },
        },
      }),
    );

    await expect(refused).rejects.toMatchObject({ name: 'ValidationException' });
    expect(received).toEqual([]);
  });
});
