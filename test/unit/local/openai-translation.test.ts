import { describe, expect, it } from 'vitest';
import {
  fromOpenAiCompletion,
  OpenAiStreamTranslator,
  toOpenAiChatBody,
  toOpenAiMessages,
  type OpenAiChunk,
} from '../../../scripts/local/bedrock/openai-translation';
import { BackendError, type ChatEvent, type ChatRequest } from '../../../scripts/local/bedrock/types';

const queryInput = { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] };

const request: ChatRequest = {
  modelId: 'amazon.nova-lite-v1:0',
  system: 'You are @clock.',
  maxTokens: 400,
  messages: [{ role: 'user', text: '[Alice] @clock what time is it?' }],
  tools: [
    { name: 'current_time', description: 'The current date and time.', inputSchema: { type: 'object', properties: {} } },
    { name: 'search_room_history', description: 'Searches the room.', inputSchema: queryInput },
  ],
};

const delta = (d: Record<string, unknown>, finish: string | null = null): OpenAiChunk => ({ choices: [{ delta: d, finish_reason: finish }] });
const call = (index: number, fields: { id?: string; name?: string; arguments?: string }): OpenAiChunk =>
  delta({
    tool_calls: [
      {
        index,
        ...(fields.id ? { id: fields.id, type: 'function' } : {}),
        function: { ...(fields.name ? { name: fields.name } : {}), ...(fields.arguments === undefined ? {} : { arguments: fields.arguments }) },
      },
    ],
  });

const translate = (chunks: OpenAiChunk[], on: Pick<ChatRequest, 'system' | 'messages'> = request): ChatEvent[] => {
  const translator = new OpenAiStreamTranslator(on);
  return [...chunks.flatMap((chunk) => translator.push(chunk)), ...translator.finish()];
};

describe('toOpenAiChatBody', () => {
  it('offers the Converse tools as OpenAI function tools, with their JSON schemas', () => {
    const body = toOpenAiChatBody(request, { model: 'llama3.2', stream: true });

    expect(body).toEqual({
      model: 'llama3.2',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 400,
      messages: [
        { role: 'system', content: 'You are @clock.' },
        { role: 'user', content: '[Alice] @clock what time is it?' },
      ],
      tools: [
        { type: 'function', function: { name: 'current_time', description: 'The current date and time.', parameters: { type: 'object', properties: {} } } },
        { type: 'function', function: { name: 'search_room_history', description: 'Searches the room.', parameters: queryInput } },
      ],
    });
  });

  it('maps each Converse toolChoice to OpenAI’s tool_choice', () => {
    const choiceFor = (toolChoice: ChatRequest['toolChoice']) =>
      (toOpenAiChatBody({ ...request, ...(toolChoice ? { toolChoice } : {}) }, { model: 'm', stream: true }) as { tool_choice?: unknown }).tool_choice;

    expect(choiceFor({ type: 'auto' })).toBe('auto');
    expect(choiceFor({ type: 'any' })).toBe('required');
    expect(choiceFor({ type: 'tool', name: 'current_time' })).toEqual({ type: 'function', function: { name: 'current_time' } });
    expect(choiceFor(undefined)).toBeUndefined();
  });

  it('sends no tools and no tool_choice when none are offered', () => {
    const { tools: _tools, ...withoutTools } = request;

    const body = toOpenAiChatBody({ ...withoutTools, toolChoice: { type: 'any' } }, { model: 'm', stream: false });

    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('stream_options');
  });

  it('gives a tool without a schema an empty object’s', () => {
    const body = toOpenAiChatBody({ ...request, tools: [{ name: 'ping' }] }, { model: 'm', stream: true }) as { tools: unknown[] };

    expect(body.tools).toEqual([{ type: 'function', function: { name: 'ping', parameters: { type: 'object', properties: {} } } }]);
  });
});

describe('toOpenAiMessages', () => {
  it('turns toolUse blocks into assistant tool_calls and toolResult blocks into tool messages, in order', () => {
    const messages = toOpenAiMessages({
      system: 'sys',
      messages: [
        { role: 'user', text: 'search history for launch, and what time is it?' },
        {
          role: 'assistant',
          text: 'Let me look.',
          toolUses: [
            { toolUseId: 'call_1', name: 'search_room_history', input: { query: 'launch' } },
            { toolUseId: 'call_2', name: 'current_time', input: {} },
          ],
        },
        {
          role: 'user',
          text: '',
          toolResults: [
            { toolUseId: 'call_1', text: 'Launch is on Friday.', status: 'success' },
            { toolUseId: 'call_2', text: 'clock unavailable', status: 'error' },
          ],
        },
      ],
    });

    expect(messages).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'search history for launch, and what time is it?' },
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'search_room_history', arguments: '{"query":"launch"}' } },
          { id: 'call_2', type: 'function', function: { name: 'current_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Launch is on Friday.' },
      { role: 'tool', tool_call_id: 'call_2', content: 'The tool failed: clock unavailable' },
    ]);
  });

  it('sends a call with no text as content null, and the user’s words after the results', () => {
    const messages = toOpenAiMessages({
      system: '',
      messages: [
        { role: 'user', text: 'time?' },
        { role: 'assistant', text: '', toolUses: [{ toolUseId: 't1', name: 'current_time', input: 'not an object' }] },
        { role: 'user', text: 'and thanks', toolResults: [{ toolUseId: 't1', text: 'noon' }] },
      ],
    });

    expect(messages).toEqual([
      { role: 'user', content: 'time?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'current_time', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 't1', content: 'noon' },
      { role: 'user', content: 'and thanks' },
    ]);
  });
});

describe('OpenAiStreamTranslator', () => {
  it('relays a tool call split across chunks as a start and its input fragments, stopping for tool use', () => {
    const events = translate([
      delta({ role: 'assistant', content: null }),
      call(0, { id: 'call_abc', name: 'search_room_history', arguments: '' }),
      call(0, { arguments: '{"que' }),
      call(0, { arguments: 'ry": "laun' }),
      call(0, { arguments: 'ch"}' }),
      delta({}, 'tool_calls'),
      { choices: [], usage: { prompt_tokens: 40, completion_tokens: 9 } },
    ]);

    expect(events).toEqual([
      { type: 'toolUseStart', toolUseId: 'call_abc', name: 'search_room_history' },
      { type: 'toolUseInput', input: '{"que' },
      { type: 'toolUseInput', input: 'ry": "laun' },
      { type: 'toolUseInput', input: 'ch"}' },
      { type: 'end', stopReason: 'tool_use', usage: { inputTokens: 40, outputTokens: 9 } },
    ]);
  });

  it('keeps text before the calls and tells two calls apart by index', () => {
    const events = translate([
      delta({ content: 'Checking.' }),
      call(0, { id: 'c1', name: 'current_time', arguments: '{}' }),
      call(1, { id: 'c2', name: 'search_room_history', arguments: '{"query":' }),
      call(1, { arguments: '"x"}' }),
      delta({}, 'tool_calls'),
    ]);

    expect(events.filter((e) => e.type !== 'end')).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'toolUseStart', toolUseId: 'c1', name: 'current_time' },
      { type: 'toolUseInput', input: '{}' },
      { type: 'toolUseStart', toolUseId: 'c2', name: 'search_room_history' },
      { type: 'toolUseInput', input: '{"query":' },
      { type: 'toolUseInput', input: '"x"}' },
    ]);
  });

  it('tells calls apart by a new id from servers that send no index, and gives an argument-less call an empty object', () => {
    const events = translate([
      delta({ tool_calls: [{ id: 'a', function: { name: 'current_time' } }] }),
      delta({ tool_calls: [{ id: 'b', function: { name: 'search_room_history', arguments: '{"query":"q"}' } }] }),
      delta({}, 'stop'),
    ]);

    expect(events).toEqual([
      { type: 'toolUseStart', toolUseId: 'a', name: 'current_time' },
      { type: 'toolUseInput', input: '{}' },
      { type: 'toolUseStart', toolUseId: 'b', name: 'search_room_history' },
      { type: 'toolUseInput', input: '{"query":"q"}' },
      // Some servers say `stop` after calling tools; Converse says the reply stopped for them.
      { type: 'end', stopReason: 'tool_use', usage: expect.any(Object) },
    ]);
  });

  it('names a call that came without an id', () => {
    const events = translate([call(0, { name: 'current_time', arguments: '{}' }), delta({}, 'tool_calls')]);

    expect(events[0]).toEqual({ type: 'toolUseStart', toolUseId: 'tooluse-1', name: 'current_time' });
  });

  it('waits for the name before starting the block, holding the fragments that came first', () => {
    const events = translate([call(0, { id: 'c1', arguments: '{"query"' }), call(0, { name: 'search_room_history', arguments: ':"q"}' })]);

    expect(events.slice(0, 2)).toEqual([
      { type: 'toolUseStart', toolUseId: 'c1', name: 'search_room_history' },
      { type: 'toolUseInput', input: '{"query":"q"}' },
    ]);
  });

  it('passes text replies through with Converse’s stop reasons and estimates usage the server did not report', () => {
    const events = translate([delta({ content: 'Hel' }), delta({ content: 'lo' }), delta({}, 'length')]);

    expect(events).toEqual([
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
      { type: 'end', stopReason: 'max_tokens', usage: { inputTokens: expect.any(Number), outputTokens: 2 } },
    ]);
  });

  it('refuses more of a call after the next one began, since Converse has one block open at a time', () => {
    const translator = new OpenAiStreamTranslator(request);
    translator.push(call(0, { id: 'c1', name: 'current_time' }));
    translator.push(call(1, { id: 'c2', name: 'search_room_history' }));

    expect(() => translator.push(call(0, { arguments: '{}' }))).toThrow(BackendError);
  });

  it('turns an error chunk into a stream failure', () => {
    const translator = new OpenAiStreamTranslator(request);

    expect(() => translator.push({ error: { message: 'model crashed' } })).toThrow(/model crashed/);
  });
});

describe('fromOpenAiCompletion', () => {
  it('reads a whole completion’s text and tool calls, parsing their arguments', () => {
    const events = fromOpenAiCompletion(
      {
        choices: [
          {
            message: {
              content: 'One moment.',
              tool_calls: [{ id: 'call_9', function: { name: 'search_room_history', arguments: '{"query":"launch"}' } }],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 12, completion_tokens: 7 },
      },
      request,
    );

    expect(events).toEqual([
      { type: 'text', text: 'One moment.' },
      { type: 'toolUse', toolUseId: 'call_9', name: 'search_room_history', input: { query: 'launch' } },
      { type: 'end', stopReason: 'tool_use', usage: { inputTokens: 12, outputTokens: 7 } },
    ]);
  });

  it('reads a plain answer', () => {
    const events = fromOpenAiCompletion({ choices: [{ message: { content: 'Noon.' }, finish_reason: 'stop' }] }, request);

    expect(events).toEqual([
      { type: 'text', text: 'Noon.' },
      { type: 'end', stopReason: 'end_turn', usage: { inputTokens: expect.any(Number), outputTokens: 2 } },
    ]);
  });
});
