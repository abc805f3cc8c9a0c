import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseStreamCommand,
  ThrottlingException,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { BedrockModelClient } from '../../../../lambdas/adapters/bedrock/bedrock-model';
import { ModelStreamError, ModelUnavailableError } from '../../../../lambdas/domain/agents/errors';
import type { ModelEvent, ModelRequest } from '../../../../lambdas/domain/agents/ports';
import { TOOL_SPECS } from '../../../../lambdas/domain/agents/tools';

const bedrock = mockClient(BedrockRuntimeClient);
afterEach(() => bedrock.reset());

const request: ModelRequest = {
  modelId: 'amazon.nova-lite-v1:0',
  prompt: {
    system: 'Be brief.',
    turns: [{ role: 'user', text: '[Alice] @assistant hi' }],
    estimatedTokens: 20,
    includedMessageIds: ['M1'],
    trimmed: { messages: 0, passages: 0, summary: false },
  },
  temperature: 0.3,
  maxOutputTokens: 256,
};

async function* events(...items: Array<ConverseStreamOutput | Error>): AsyncGenerator<ConverseStreamOutput> {
  for (const item of items) {
    if (item instanceof Error) throw item;
    yield item;
  }
}

const delta = (text: string): ConverseStreamOutput => ({ contentBlockDelta: { contentBlockIndex: 0, delta: { text } } });

async function collect(stream: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

describe('BedrockModelClient', () => {
  it('calls ConverseStream with the prompt and yields deltas, then the stop reason and usage', async () => {
    bedrock.on(ConverseStreamCommand).resolves({
      stream: events(
        { messageStart: { role: 'assistant' } },
        delta('Hello'),
        delta(' there'),
        { contentBlockStop: { contentBlockIndex: 0 } },
        { messageStop: { stopReason: 'max_tokens' } },
        { metadata: { usage: { inputTokens: 21, outputTokens: 2, totalTokens: 23 }, metrics: { latencyMs: 80 } } },
      ),
      $metadata: {},
    });

    const out = await collect(new BedrockModelClient(new BedrockRuntimeClient({})).stream(request));

    expect(out).toEqual([
      { type: 'delta', text: 'Hello' },
      { type: 'delta', text: ' there' },
      { type: 'done', stopReason: 'max_tokens', usage: { inputTokens: 21, outputTokens: 2 } },
    ]);
    expect(bedrock).toHaveReceivedCommandWith(ConverseStreamCommand, {
      modelId: 'amazon.nova-lite-v1:0',
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: '[Alice] @assistant hi' }] }],
      inferenceConfig: { maxTokens: 256, temperature: 0.3 },
    });
  });

  it('turns throttling into a retryable ModelUnavailableError', async () => {
    bedrock.on(ConverseStreamCommand).rejects(new ThrottlingException({ message: 'Too many requests', $metadata: { httpStatusCode: 429 } }));

    const error = await collect(new BedrockModelClient(new BedrockRuntimeClient({})).stream(request)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error).toMatchObject({ retryable: true, reason: 'ThrottlingException' });
  });

  it('turns a refusal no retry can fix into a final ModelUnavailableError', async () => {
    bedrock.on(ConverseStreamCommand).rejects(new AccessDeniedException({ message: 'no access', $metadata: { httpStatusCode: 403 } }));

    const error = await collect(new BedrockModelClient(new BedrockRuntimeClient({})).stream(request)).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ModelUnavailableError', retryable: false, reason: 'AccessDeniedException' });
  });

  it('yields the text before a mid-stream failure, then throws a ModelStreamError', async () => {
    bedrock.on(ConverseStreamCommand).resolves({
      stream: events(delta('Partial '), delta('answer'), Object.assign(new Error('socket hang up'), { name: 'ECONNRESET' })),
      $metadata: {},
    });
    const seen: ModelEvent[] = [];

    const error = await (async () => {
      for await (const event of new BedrockModelClient(new BedrockRuntimeClient({})).stream(request)) seen.push(event);
    })().catch((e: unknown) => e);

    expect(seen).toEqual([
      { type: 'delta', text: 'Partial ' },
      { type: 'delta', text: 'answer' },
    ]);
    expect(error).toBeInstanceOf(ModelStreamError);
    expect(error).toMatchObject({ reason: 'ECONNRESET' });
  });

  it('turns an exception event in the stream into a ModelStreamError', async () => {
    bedrock.on(ConverseStreamCommand).resolves({
      stream: events(delta('Hi'), { modelStreamErrorException: { message: 'model fell over', originalStatusCode: 500 } } as ConverseStreamOutput),
      $metadata: {},
    });

    const error = await collect(new BedrockModelClient(new BedrockRuntimeClient({})).stream(request)).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ModelStreamError', reason: 'modelStreamErrorException' });
  });

  it('passes inference profile ids and application profile ARNs to ConverseStream as they are', async () => {
    const client = new BedrockModelClient(new BedrockRuntimeClient({}));
    bedrock.on(ConverseStreamCommand).callsFake(async () => ({ stream: events(delta('ok'), { messageStop: { stopReason: 'end_turn' } }) }));
    const ids = [
      'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6',
    ];

    for (const modelId of ids) await collect(client.stream({ ...request, modelId }));

    expect(bedrock.commandCalls(ConverseStreamCommand).map((call) => call.args[0].input.modelId)).toEqual(ids);
  });
});

describe('BedrockModelClient, tool use', () => {
  const withTools: ModelRequest = {
    ...request,
    tools: [TOOL_SPECS.current_time, TOOL_SPECS.search_room_history],
  };

  it('offers the tools in toolConfig and sends no toolConfig when there are none', async () => {
    bedrock.on(ConverseStreamCommand).callsFake(() => ({ stream: events({ messageStop: { stopReason: 'end_turn' } }), $metadata: {} }));
    const client = new BedrockModelClient(new BedrockRuntimeClient({}));

    await collect(client.stream(withTools));
    await collect(client.stream(request));

    const [first, second] = bedrock.commandCalls(ConverseStreamCommand).map((call) => call.args[0].input);
    expect(first?.toolConfig?.tools).toEqual([
      { toolSpec: { name: 'current_time', description: TOOL_SPECS.current_time.description, inputSchema: { json: TOOL_SPECS.current_time.inputSchema } } },
      {
        toolSpec: {
          name: 'search_room_history',
          description: TOOL_SPECS.search_room_history.description,
          inputSchema: { json: TOOL_SPECS.search_room_history.inputSchema },
        },
      },
    ]);
    expect(second?.toolConfig).toBeUndefined();
  });

  it('gathers a streamed tool call’s input pieces and yields the call at its block’s end, then stop reason tool_use', async () => {
    bedrock.on(ConverseStreamCommand).resolves({
      stream: events(
        { messageStart: { role: 'assistant' } },
        delta('Let me look.'),
        { contentBlockStop: { contentBlockIndex: 0 } },
        { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tu-1', name: 'search_room_history' } } } },
        { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"query":' } } } },
        { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '"launch"}' } } } },
        { contentBlockStop: { contentBlockIndex: 1 } },
        { messageStop: { stopReason: 'tool_use' } },
        { metadata: { usage: { inputTokens: 40, outputTokens: 12, totalTokens: 52 }, metrics: { latencyMs: 50 } } },
      ),
      $metadata: {},
    });

    const out = await collect(new BedrockModelClient(new BedrockRuntimeClient({})).stream(withTools));

    expect(out).toEqual([
      { type: 'delta', text: 'Let me look.' },
      { type: 'toolUse', toolUseId: 'tu-1', name: 'search_room_history', input: { query: 'launch' } },
      { type: 'done', stopReason: 'tool_use', usage: { inputTokens: 40, outputTokens: 12 } },
    ]);
  });

  it('passes on input that is not JSON as text, for the tool check to refuse', async () => {
    bedrock.on(ConverseStreamCommand).resolves({
      stream: events(
        { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'tu-1', name: 'current_time' } } } },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{"broken' } } } },
        { contentBlockStop: { contentBlockIndex: 0 } },
        { messageStop: { stopReason: 'tool_use' } },
      ),
      $metadata: {},
    });

    const out = await collect(new BedrockModelClient(new BedrockRuntimeClient({})).stream(withTools));

    expect(out[0]).toEqual({ type: 'toolUse', toolUseId: 'tu-1', name: 'current_time', input: '{"broken' });
  });

  it('sends earlier rounds back: the model’s text and calls, then the results as a user turn', async () => {
    bedrock.on(ConverseStreamCommand).resolves({ stream: events({ messageStop: { stopReason: 'end_turn' } }), $metadata: {} });

    await collect(
      new BedrockModelClient(new BedrockRuntimeClient({})).stream({
        ...withTools,
        toolRounds: [
          {
            text: 'Let me look.',
            uses: [{ toolUseId: 'tu-1', name: 'search_room_history', input: { query: 'launch' } }],
            results: [{ toolUseId: 'tu-1', status: 'success', text: '1. launch is on the 9th' }],
          },
          { text: '', uses: [{ toolUseId: 'tu-2', name: 'current_time', input: 'not an object' }], results: [{ toolUseId: 'tu-2', status: 'error', text: 'Invalid input' }] },
        ],
      }),
    );

    expect(bedrock).toHaveReceivedCommandWith(ConverseStreamCommand, {
      messages: [
        { role: 'user', content: [{ text: '[Alice] @assistant hi' }] },
        { role: 'assistant', content: [{ text: 'Let me look.' }, { toolUse: { toolUseId: 'tu-1', name: 'search_room_history', input: { query: 'launch' } } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 'tu-1', content: [{ text: '1. launch is on the 9th' }], status: 'success' } }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 'tu-2', name: 'current_time', input: {} } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 'tu-2', content: [{ text: 'Invalid input' }], status: 'error' } }] },
      ],
    });
  });
});
