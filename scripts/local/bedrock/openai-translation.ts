import { BackendError, countTokens, type ChatEvent, type ChatMessage, type ChatRequest, type ChatToolChoice, type ChatUsage } from './types';

/**
 * Converse ⇄ OpenAI chat completions, for the local Bedrock endpoint's
 * OpenAI-compatible backend. Pure: requests one way, replies (streamed
 * chunks or a whole completion) the other.
 *
 * | Converse | OpenAI |
 * |---|---|
 * | `toolConfig.tools[].toolSpec` {name, description, inputSchema.json} | `tools[]` {type: function, function: {name, description, parameters}} |
 * | `toolChoice` auto / any / tool {name} | `tool_choice` auto / required / {type: function, function: {name}} |
 * | assistant `toolUse` {toolUseId, name, input} | assistant `tool_calls[]` {id, type: function, function: {name, arguments}} |
 * | user `toolResult` {toolUseId, content, status} | one `role: tool` message {tool_call_id, content} each, before the user's text |
 * | stream `contentBlockStart.start.toolUse`, `contentBlockDelta.delta.toolUse.input`, `contentBlockStop` | `delta.tool_calls[]` {index, id, function: {name, arguments}} |
 * | `stopReason: tool_use` | `finish_reason: tool_calls` |
 */

/** OpenAI's finish reasons in Converse's words. */
const STOP_REASONS: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  content_filter: 'content_filtered',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
};

/** Converse's result status has no OpenAI field: a failed tool says so in its content. */
const FAILED_PREFIX = 'The tool failed: ';

/** A tool call's input as OpenAI's `arguments`: JSON text of an object. */
const argumentsOf = (input: unknown): string =>
  JSON.stringify(typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {});

/** The conversation as OpenAI messages: the system part first, each tool result as a `tool` message answering its call. */
export function toOpenAiMessages(request: Pick<ChatRequest, 'system' | 'messages'>): object[] {
  const messages: object[] = request.system ? [{ role: 'system', content: request.system }] : [];
  for (const message of request.messages) messages.push(...messagesOf(message));
  return messages;
}

function messagesOf(message: ChatMessage): object[] {
  if (message.role === 'assistant') {
    if (!message.toolUses) return [{ role: 'assistant', content: message.text }];
    return [
      {
        role: 'assistant',
        content: message.text.length > 0 ? message.text : null,
        tool_calls: message.toolUses.map((use) => ({
          id: use.toolUseId,
          type: 'function',
          function: { name: use.name, arguments: argumentsOf(use.input) },
        })),
      },
    ];
  }
  // OpenAI wants the answers right after the assistant's calls, so they come before the user's own words.
  const results = (message.toolResults ?? []).map((result) => ({
    role: 'tool',
    tool_call_id: result.toolUseId,
    content: result.status === 'error' ? `${FAILED_PREFIX}${result.text}` : result.text,
  }));
  return results.length > 0 && message.text === '' ? results : [...results, { role: 'user', content: message.text }];
}

/** The offered tools as OpenAI function tools; a tool without a schema takes an empty object. */
export function toOpenAiTools(tools: NonNullable<ChatRequest['tools']>): object[] {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.inputSchema ?? { type: 'object', properties: {} },
    },
  }));
}

/** Converse's toolChoice as OpenAI's tool_choice. */
export function toOpenAiToolChoice(choice: ChatToolChoice): unknown {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
  }
}

/** The whole `POST /chat/completions` body for a Converse request. */
export function toOpenAiChatBody(request: ChatRequest, options: { readonly model: string; readonly stream: boolean }): object {
  const tools = request.tools && request.tools.length > 0 ? request.tools : undefined;
  return {
    model: options.model,
    stream: options.stream,
    ...(options.stream ? { stream_options: { include_usage: true } } : {}),
    max_tokens: request.maxTokens,
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    messages: toOpenAiMessages(request),
    ...(tools ? { tools: toOpenAiTools(tools) } : {}),
    ...(tools && request.toolChoice ? { tool_choice: toOpenAiToolChoice(request.toolChoice) } : {}),
  };
}

interface ToolCallDelta {
  readonly index?: unknown;
  readonly id?: unknown;
  readonly function?: { readonly name?: unknown; readonly arguments?: unknown } | null;
}

/** One streamed chunk (`chat.completion.chunk`), as far as it is read. */
export interface OpenAiChunk {
  readonly choices?: ReadonlyArray<{
    readonly delta?: { readonly content?: unknown; readonly tool_calls?: readonly ToolCallDelta[] | null } | null;
    readonly finish_reason?: unknown;
  }>;
  readonly usage?: { readonly prompt_tokens?: unknown; readonly completion_tokens?: unknown } | null;
  readonly error?: { readonly message?: unknown } | null;
}

/** A whole completion (`chat.completion`), from a server that does not stream. */
export interface OpenAiCompletion {
  readonly choices?: ReadonlyArray<{
    readonly message?: {
      readonly content?: unknown;
      readonly tool_calls?: ReadonlyArray<{ readonly id?: unknown; readonly function?: { readonly name?: unknown; readonly arguments?: unknown } }> | null;
    } | null;
    readonly finish_reason?: unknown;
  }>;
  readonly usage?: OpenAiChunk['usage'];
}

const usageOf = (usage: OpenAiChunk['usage']): ChatUsage | undefined =>
  usage
    ? {
        inputTokens: typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0,
        outputTokens: typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0,
      }
    : undefined;

/** What a request costs in the offline model's count, for servers that report no usage. */
const estimatedInput = (request: Pick<ChatRequest, 'system' | 'messages'>): number =>
  countTokens(request.system) + request.messages.reduce((n, m) => n + countTokens(m.text), 0);

/** A stop reason in Converse's words; a reply that called tools stops for them, whatever the server said. */
const stopReasonOf = (finishReason: string | undefined, calledTools: boolean): string => {
  const reason = finishReason === undefined ? 'end_turn' : (STOP_REASONS[finishReason] ?? 'end_turn');
  return calledTools && reason === 'end_turn' ? 'tool_use' : reason;
};

/**
 * Turns a streamed completion, chunk by chunk, into the local endpoint's
 * events: text as it comes; each tool call as a start (id and name, which
 * OpenAI sends in the call's first delta) followed by its arguments'
 * fragments, so ConverseStream relays them as `contentBlockStart`,
 * `contentBlockDelta` (`toolUse.input`) and `contentBlockStop`. Calls are
 * told apart by `index` (or, from servers that send none, by a new `id`);
 * Converse has one block open at a time, so a fragment for a call that
 * already ended is refused as a broken stream.
 */
export class OpenAiStreamTranslator {
  private current: { key: number; id: string; name: string; started: boolean; pending: string; sentInput: boolean } | undefined;
  private readonly ended = new Set<number>();
  private calls = 0;
  private outputText = '';
  private finishReason: string | undefined;
  private usage: ChatUsage | undefined;

  constructor(private readonly request: Pick<ChatRequest, 'system' | 'messages'>) {}

  /** The events one chunk carries. */
  push(chunk: OpenAiChunk): ChatEvent[] {
    if (chunk.error) {
      const message = typeof chunk.error.message === 'string' ? chunk.error.message : 'unknown error';
      throw new BackendError(500, 'ModelStreamErrorException', `The chat server's stream failed: ${message}`);
    }
    const events: ChatEvent[] = [];
    const choice = chunk.choices?.[0];
    const text = choice?.delta?.content;
    if (typeof text === 'string' && text.length > 0) {
      this.outputText += text;
      events.push({ type: 'text', text });
    }
    for (const piece of choice?.delta?.tool_calls ?? []) events.push(...this.toolCallPiece(piece));
    if (typeof choice?.finish_reason === 'string') this.finishReason = choice.finish_reason;
    this.usage = usageOf(chunk.usage) ?? this.usage;
    return events;
  }

  /** The events after the last chunk: the open call's end, then the reply's end. */
  finish(): ChatEvent[] {
    const events = this.endCall();
    events.push({
      type: 'end',
      stopReason: stopReasonOf(this.finishReason, this.calls > 0),
      usage: this.usage ?? { inputTokens: estimatedInput(this.request), outputTokens: countTokens(this.outputText) },
    });
    return events;
  }

  private toolCallPiece(piece: ToolCallDelta): ChatEvent[] {
    const id = typeof piece.id === 'string' && piece.id !== '' ? piece.id : undefined;
    const key =
      typeof piece.index === 'number'
        ? piece.index
        : id !== undefined && this.current !== undefined && this.current.id !== id
          ? this.current.key + 1
          : (this.current?.key ?? 0);
    const events: ChatEvent[] = [];
    if (this.current?.key !== key) {
      if (this.ended.has(key)) {
        throw new BackendError(500, 'ModelStreamErrorException', 'The chat server sent more of a tool call after the next one began.');
      }
      events.push(...this.endCall());
      this.calls += 1;
      this.current = { key, id: id ?? `tooluse-${this.calls}`, name: '', started: false, pending: '', sentInput: false };
    }
    const call = this.current as NonNullable<typeof this.current>;
    if (id !== undefined && !call.started) call.id = id;
    const name = piece.function?.name;
    if (typeof name === 'string' && !call.started) call.name += name;
    const fragment = piece.function?.arguments;
    if (typeof fragment === 'string' && fragment.length > 0) {
      this.outputText += fragment;
      call.pending += fragment;
    }
    // The block starts once the call has its name; its input follows in the fragments as they come.
    if (!call.started && call.name !== '') events.push(...this.startCall(call));
    if (call.started && call.pending !== '') {
      events.push({ type: 'toolUseInput', input: call.pending });
      call.pending = '';
      call.sentInput = true;
    }
    return events;
  }

  private startCall(call: NonNullable<typeof this.current>): ChatEvent[] {
    call.started = true;
    return [{ type: 'toolUseStart', toolUseId: call.id, name: call.name }];
  }

  private endCall(): ChatEvent[] {
    const call = this.current;
    if (!call) return [];
    this.current = undefined;
    this.ended.add(call.key);
    const events = call.started ? [] : this.startCall(call);
    // Converse always carries an input; a call with no arguments takes an empty object.
    const input = call.pending !== '' ? call.pending : call.sentInput ? '' : '{}';
    if (input !== '') events.push({ type: 'toolUseInput', input });
    return events;
  }
}

/** A tool call's arguments, parsed; text that is not JSON is passed on as it is. */
export const parseToolArguments = (raw: string): unknown => {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
};

/** A whole completion as the local endpoint's events: its text, its tool calls, its end. */
export function fromOpenAiCompletion(completion: OpenAiCompletion, request: Pick<ChatRequest, 'system' | 'messages'>): ChatEvent[] {
  const choice = completion.choices?.[0];
  const text = typeof choice?.message?.content === 'string' ? choice.message.content : '';
  const calls = (choice?.message?.tool_calls ?? []).map((call, i) => ({
    type: 'toolUse' as const,
    toolUseId: typeof call.id === 'string' && call.id !== '' ? call.id : `tooluse-${i + 1}`,
    name: typeof call.function?.name === 'string' ? call.function.name : '',
    input: parseToolArguments(typeof call.function?.arguments === 'string' ? call.function.arguments : ''),
  }));
  const finishReason = typeof choice?.finish_reason === 'string' ? choice.finish_reason : undefined;
  return [
    ...(text.length > 0 ? [{ type: 'text' as const, text }] : []),
    ...calls,
    {
      type: 'end',
      stopReason: stopReasonOf(finishReason, calls.length > 0),
      usage: usageOf(completion.usage) ?? {
        inputTokens: estimatedInput(request),
        outputTokens: countTokens(text) + calls.reduce((n, c) => n + countTokens(JSON.stringify(c.input)), 0),
      },
    },
  ];
}
