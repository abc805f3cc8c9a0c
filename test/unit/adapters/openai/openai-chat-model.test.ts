import { describe, expect, it } from 'vitest';
import { ApiKeySecretError, OpenAiChatModel, apiKeyFromSecret } from '../../../../lambdas/adapters/openai/openai-chat-model';
import { ModelStreamError, ModelUnavailableError } from '../../../../lambdas/domain/agents/errors';
import type { ModelEvent, ModelRequest } from '../../../../lambdas/domain/agents/ports';
import { TOOL_SPECS } from '../../../../lambdas/domain/agents/tools';

const request: ModelRequest = {
  modelId: 'gpt-4o-mini',
  prompt: {
    system: 'Be brief.',
    turns: [
      { role: 'user', text: '[Alice] @assistant hi' },
      { role: 'assistant', text: 'Hello Alice.' },
      { role: 'user', text: '[Alice] and now?' },
    ],
    estimatedTokens: 20,
    includedMessageIds: ['M1'],
    trimmed: { messages: 0, passages: 0, summary: false },
  },
  temperature: 0.3,
  maxOutputTokens: 256,
};

const chunk = (body: object) => `data: ${JSON.stringify(body)}\n\n`;
const delta = (content: string) => chunk({ choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const finish = (reason: string) => chunk({ choices: [{ index: 0, delta: {}, finish_reason: reason }] });
const usage = (input: number, output: number) => chunk({ choices: [], usage: { prompt_tokens: input, completion_tokens: output } });

/** A streamed response whose body yields the pieces, then fails with `error` if given. */
function streamed(pieces: string[], options: { error?: Error; status?: number } = {}): Response {
  const encoder = new TextEncoder();
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(encoder.encode(pieces[i++]!));
      else if (options.error) controller.error(options.error);
      else controller.close();
    },
  });
  return new Response(body, { status: options.status ?? 200, headers: { 'content-type': 'text/event-stream' } });
}

/** A fetch that answers each call with the next response (or throws the next error), recording the calls. */
function fakeFetch(...answers: Array<Response | Error | (() => Promise<Response>)>) {
  const calls: Array<{ url: string; init: RequestInit; body: any }> = [];
  const fn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({ url: String(input), init: init!, body: JSON.parse(String(init?.body)) });
    const answer = answers.shift();
    if (answer === undefined) throw new Error('unexpected call');
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer() : answer;
  };
  return { fetch: fn as typeof fetch, calls };
}

const model = (f: typeof fetch, options: { apiKey?: () => Promise<string | undefined>; idleTimeoutMs?: number } = {}) =>
  new OpenAiChatModel({ baseUrl: 'https://llm.example.com/v1/', apiKey: options.apiKey ?? (async () => 'sk-test'), fetch: f, ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}) });

async function collect(stream: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

/** The events that arrived before the stream failed, and the failure. */
async function collectUntilFailure(stream: AsyncIterable<ModelEvent>): Promise<{ events: ModelEvent[]; error: unknown }> {
  const events: ModelEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
  } catch (error) {
    return { events, error };
  }
  throw new Error('the stream did not fail');
}

describe('OpenAiChatModel', () => {
  it('posts the prompt to chat/completions, streamed, with the key, and yields deltas then the stop reason and usage', async () => {
    const { fetch, calls } = fakeFetch(streamed([delta('Hel'), delta('lo'), delta(''), finish('stop'), usage(42, 7), 'data: [DONE]\n\n']));

    const events = await collect(model(fetch).stream(request));

    expect(events).toEqual([
      { type: 'delta', text: 'Hel' },
      { type: 'delta', text: 'lo' },
      { type: 'done', stopReason: 'end_turn', usage: { inputTokens: 42, outputTokens: 7 } },
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://llm.example.com/v1/chat/completions');
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.headers).toMatchObject({ authorization: 'Bearer sk-test', 'content-type': 'application/json' });
    expect(calls[0]!.body).toEqual({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 256,
      temperature: 0.3,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: '[Alice] @assistant hi' },
        { role: 'assistant', content: 'Hello Alice.' },
        { role: 'user', content: '[Alice] and now?' },
      ],
    });
  });

  it('reads events split across chunks, and says why a reply stopped in Bedrock’s words', async () => {
    const text = delta('Part one, ') + delta('part two') + finish('length') + 'data: [DONE]\n\n';
    const { fetch } = fakeFetch(streamed([text.slice(0, 17), text.slice(17, 60), text.slice(60)]));

    const events = await collect(model(fetch).stream(request));

    expect(events).toEqual([
      { type: 'delta', text: 'Part one, ' },
      { type: 'delta', text: 'part two' },
      { type: 'done', stopReason: 'max_tokens' },
    ]);
  });

  it('sends no Authorization header when there is no key', async () => {
    const { fetch, calls } = fakeFetch(streamed([delta('hi'), 'data: [DONE]\n\n']));

    await collect(model(fetch, { apiKey: async () => undefined }).stream(request));

    expect(Object.keys(calls[0]!.init.headers as object)).not.toContain('authorization');
  });

  it('turns HTTP 429 into a retryable throttling failure', async () => {
    const { fetch } = fakeFetch(new Response(JSON.stringify({ error: { message: 'Rate limit reached' } }), { status: 429 }));

    const { events, error } = await collectUntilFailure(model(fetch).stream(request));

    expect(events).toEqual([]);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error).toMatchObject({ retryable: true, reason: 'ThrottlingException', message: expect.stringContaining('Rate limit reached') });
  });

  it('turns HTTP 500 and 503 into retryable failures, and a refused request into a final one', async () => {
    const failure = async (status: number) =>
      (await collectUntilFailure(model(fakeFetch(new Response('upstream trouble', { status })).fetch).stream(request))).error;

    expect(await failure(500)).toMatchObject({ name: 'ModelUnavailableError', retryable: true, reason: 'InternalServerException' });
    expect(await failure(503)).toMatchObject({ retryable: true, reason: 'ServiceUnavailableException' });
    expect(await failure(502)).toMatchObject({ retryable: true, reason: 'ServiceUnavailableException' });
    expect(await failure(401)).toMatchObject({ retryable: false, reason: 'AccessDeniedException' });
    expect(await failure(404)).toMatchObject({ retryable: false, reason: 'ResourceNotFoundException' });
    expect(await failure(400)).toMatchObject({ retryable: false, reason: 'ValidationException', message: expect.stringContaining('upstream trouble') });
  });

  it('turns an unreachable endpoint into a retryable failure', async () => {
    const { fetch } = fakeFetch(new TypeError('fetch failed'));

    const { error } = await collectUntilFailure(model(fetch).stream(request));

    expect(error).toMatchObject({ name: 'ModelUnavailableError', retryable: true, reason: 'NetworkError' });
  });

  it('gives up on an endpoint that does not answer in time, as retryable', async () => {
    const never = (): Promise<Response> => new Promise(() => undefined);
    const { fetch } = fakeFetch(() => never());
    const hanging: typeof globalThis.fetch = (input, init) =>
      new Promise((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        void fetch(input, init);
      });

    const { error } = await collectUntilFailure(model(hanging, { idleTimeoutMs: 20 }).stream(request));

    expect(error).toMatchObject({ name: 'ModelUnavailableError', retryable: true, reason: 'TimeoutError' });
  });

  it('reports a stream that breaks mid-reply after the text that arrived', async () => {
    const { fetch } = fakeFetch(streamed([delta('Half a '), delta('reply')], { error: new TypeError('terminated') }));

    const { events, error } = await collectUntilFailure(model(fetch).stream(request));

    expect(events).toEqual([
      { type: 'delta', text: 'Half a ' },
      { type: 'delta', text: 'reply' },
    ]);
    expect(error).toBeInstanceOf(ModelStreamError);
    expect(error).toMatchObject({ reason: 'TypeError', message: expect.stringContaining('terminated') });
  });

  it('reports a stream that ends before the reply did as incomplete', async () => {
    const { fetch } = fakeFetch(streamed([delta('Cut '), delta('off')]));

    const { events, error } = await collectUntilFailure(model(fetch).stream(request));

    expect(events).toHaveLength(2);
    expect(error).toMatchObject({ name: 'ModelStreamError', reason: 'IncompleteStream' });
  });

  it('accepts a stream that ends after its finish reason without [DONE]', async () => {
    const { fetch } = fakeFetch(streamed([delta('Done.'), finish('stop')]));

    expect(await collect(model(fetch).stream(request))).toEqual([
      { type: 'delta', text: 'Done.' },
      { type: 'done', stopReason: 'end_turn' },
    ]);
  });

  it('reports a malformed stream', async () => {
    const { fetch } = fakeFetch(streamed([delta('Fine so far'), 'data: {"choices": [ oops\n\n']));

    const { events, error } = await collectUntilFailure(model(fetch).stream(request));

    expect(events).toEqual([{ type: 'delta', text: 'Fine so far' }]);
    expect(error).toMatchObject({ name: 'ModelStreamError', reason: 'MalformedStream' });
  });

  it('reports an error the endpoint sends in the stream', async () => {
    const { fetch } = fakeFetch(streamed([chunk({ error: { message: 'overloaded', type: 'server_error' } })]));

    const { events, error } = await collectUntilFailure(model(fetch).stream(request));

    expect(events).toEqual([]);
    expect(error).toMatchObject({ name: 'ModelStreamError', reason: 'ModelStreamErrorException', message: expect.stringContaining('overloaded') });
  });

  it('reports a stream that goes silent mid-reply', async () => {
    const encoder = new TextEncoder();
    const silent = new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(delta('Thinking')));
        },
      }),
      { status: 200 },
    );
    const hanging: typeof globalThis.fetch = async (_input, init) => {
      // What fetch does to a body whose request is aborted: the next read fails.
      const reader = silent.body!.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const aborted = new Promise<never>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
          const next = await Promise.race([reader.read(), aborted]);
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
      });
      return new Response(body, { status: 200 });
    };

    const { events, error } = await collectUntilFailure(model(hanging, { idleTimeoutMs: 20 }).stream(request));

    expect(events).toEqual([{ type: 'delta', text: 'Thinking' }]);
    expect(error).toMatchObject({ name: 'ModelStreamError', reason: 'TimeoutError' });
  });

  it('turns an unreadable key into a failure before any call: retryable when Secrets Manager is throttled, final when the key is missing', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const failure = async (apiKey: () => Promise<string | undefined>) => {
      const { fetch, calls } = fakeFetch();
      const { error } = await collectUntilFailure(model(fetch, { apiKey }).stream(request));
      expect(calls).toEqual([]);
      return error;
    };

    expect(await failure(() => Promise.reject(throttled))).toMatchObject({ name: 'ModelUnavailableError', retryable: true, reason: 'ApiKeyUnavailable' });
    expect(await failure(() => Promise.reject(denied))).toMatchObject({ retryable: false, reason: 'ApiKeyUnavailable' });
    expect(await failure(async () => apiKeyFromSecret(''))).toMatchObject({ retryable: false, reason: 'ApiKeyUnavailable' });
  });
});

describe('apiKeyFromSecret', () => {
  it('takes the value itself, or the apiKey field of a JSON value', () => {
    expect(apiKeyFromSecret(' sk-abc \n')).toBe('sk-abc');
    expect(apiKeyFromSecret('{"apiKey":"sk-json","note":"team key"}')).toBe('sk-json');
  });

  it('refuses an empty value or JSON without a key', () => {
    expect(() => apiKeyFromSecret('  ')).toThrow(ApiKeySecretError);
    expect(() => apiKeyFromSecret('{"key":"sk"}')).toThrow(/"apiKey"/);
  });
});

describe('OpenAiChatModel, tool calls', () => {
  const withTools: ModelRequest = { ...request, tools: [TOOL_SPECS.current_time, TOOL_SPECS.search_room_history] };

  it('offers the tools as functions, and none when there are none', async () => {
    const { fetch, calls } = fakeFetch(streamed([finish('stop'), 'data: [DONE]\n\n']), streamed([finish('stop'), 'data: [DONE]\n\n']));

    await collect(model(fetch).stream(withTools));
    await collect(model(fetch).stream(request));

    expect(calls[0]?.body.tools).toEqual([
      { type: 'function', function: { name: 'current_time', description: TOOL_SPECS.current_time.description, parameters: TOOL_SPECS.current_time.inputSchema } },
      {
        type: 'function',
        function: { name: 'search_room_history', description: TOOL_SPECS.search_room_history.description, parameters: TOOL_SPECS.search_room_history.inputSchema },
      },
    ]);
    expect(calls[1]?.body.tools).toBeUndefined();
  });

  it('gathers streamed tool_calls by index and yields them before the end, with stop reason tool_use', async () => {
    const call = (index: number, fn: object, id?: string) => chunk({ choices: [{ index: 0, delta: { tool_calls: [{ index, ...(id ? { id, type: 'function' } : {}), function: fn }] }, finish_reason: null }] });
    const { fetch } = fakeFetch(
      streamed([
        call(0, { name: 'search_room_history', arguments: '' }, 'call_1'),
        call(0, { arguments: '{"query":' }),
        call(1, { name: 'current_time', arguments: '{}' }, 'call_2'),
        call(0, { arguments: '"launch"}' }),
        finish('tool_calls'),
        usage(30, 9),
        'data: [DONE]\n\n',
      ]),
    );

    const out = await collect(model(fetch).stream(withTools));

    expect(out).toEqual([
      { type: 'toolUse', toolUseId: 'call_1', name: 'search_room_history', input: { query: 'launch' } },
      { type: 'toolUse', toolUseId: 'call_2', name: 'current_time', input: {} },
      { type: 'done', stopReason: 'tool_use', usage: { inputTokens: 30, outputTokens: 9 } },
    ]);
  });

  it('sends earlier rounds back as the assistant’s tool_calls and one tool message per result', async () => {
    const { fetch, calls } = fakeFetch(streamed([finish('stop'), 'data: [DONE]\n\n']));

    await collect(
      model(fetch).stream({
        ...withTools,
        toolRounds: [
          {
            text: '',
            uses: [{ toolUseId: 'call_1', name: 'search_room_history', input: { query: 'launch' } }],
            results: [{ toolUseId: 'call_1', status: 'success', text: '1. launch is on the 9th' }],
          },
        ],
      }),
    );

    expect(calls[0]?.body.messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'search_room_history', arguments: '{"query":"launch"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '1. launch is on the 9th' },
    ]);
  });
});
