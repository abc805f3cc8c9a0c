import { ModelStreamError, ModelUnavailableError } from '../../domain/agents/errors';
import type { ModelClient, ModelEvent, ModelRequest, ModelUsage } from '../../domain/agents/ports';
import { readServerSentEvents } from './sse';

export interface OpenAiChatModelOptions {
  /** The API's base URL, e.g. `https://api.openai.com/v1`; calls go to `<baseUrl>/chat/completions`. */
  readonly baseUrl: string;
  /** The API key, asked for at each call (cache it); undefined sends no Authorization header. */
  readonly apiKey: () => Promise<string | undefined>;
  /** @default the global fetch */
  readonly fetch?: typeof fetch;
  /**
   * Longest wait for the response, then for each later piece of the stream;
   * longer counts as a failure, as with the Bedrock client. @default 30 s
   */
  readonly idleTimeoutMs?: number;
}

interface ToolCallDelta {
  readonly index?: unknown;
  readonly id?: unknown;
  readonly function?: { readonly name?: unknown; readonly arguments?: unknown };
}

interface Chunk {
  readonly choices?: ReadonlyArray<{ delta?: { content?: unknown; tool_calls?: readonly ToolCallDelta[] }; finish_reason?: unknown }>;
  readonly usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
  readonly error?: { message?: unknown; type?: unknown } | null;
}

/** OpenAI's finish reasons in Bedrock's words, so replies read the same whichever provider wrote them. */
const STOP_REASONS: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  content_filter: 'content_filtered',
  tool_calls: 'tool_use',
};

/** The chat messages: the system part, the prompt's turns, then each tool round (the calls, then one `tool` message per result). */
export function chatMessages(request: ModelRequest): object[] {
  const messages: object[] = [
    { role: 'system', content: request.prompt.system },
    ...request.prompt.turns.map((turn) => ({ role: turn.role, content: turn.text })),
  ];
  for (const round of request.toolRounds ?? []) {
    messages.push({
      role: 'assistant',
      content: round.text.length > 0 ? round.text : null,
      tool_calls: round.uses.map((use) => ({
        id: use.toolUseId,
        type: 'function',
        // Arguments the model sent that were not a JSON object go back as an empty one.
        function: { name: use.name, arguments: JSON.stringify(typeof use.input === 'object' && use.input !== null && !Array.isArray(use.input) ? use.input : {}) },
      })),
    });
    for (const result of round.results) messages.push({ role: 'tool', tool_call_id: result.toolUseId, content: result.text });
  }
  return messages;
}

const chatTools = (request: ModelRequest) =>
  request.tools && request.tools.length > 0
    ? {
        tools: request.tools.map((tool) => ({
          type: 'function',
          function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
        })),
        ...(request.toolChoice ? { tool_choice: { type: 'function', function: { name: request.toolChoice.tool } } } : {}),
      }
    : {};

/** A tool call's arguments, streamed as JSON text: parsed once complete; text that is not JSON is passed on as is. */
const parseArguments = (raw: string): unknown => {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
};

/** HTTP failures in the names Bedrock gives them, for the DLQ's `reason` and the audit trail. */
const REASONS: Readonly<Record<number, string>> = {
  400: 'ValidationException',
  401: 'AccessDeniedException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'TimeoutError',
  422: 'ValidationException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

/** Throttling, timeouts and server failures may pass; other refusals will not. */
const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

const errorName = (error: unknown): string =>
  error instanceof Error && error.name !== '' ? error.name : 'UnknownError';
const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The start of an OpenAI-compatible API's error response, preferring the JSON error's message (chat and embeddings). */
export async function failureDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message.slice(0, 200);
  } catch {
    // Not JSON: the text itself.
  }
  return text.slice(0, 200);
}

/** A secret whose value holds no API key: putting the key in fixes it, retrying does not. */
export class ApiKeySecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiKeySecretError';
  }
}

/** The key in a secret's value: the value itself, or the `apiKey` field of a JSON object. */
export function apiKeyFromSecret(value: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) {
    try {
      const apiKey = (JSON.parse(trimmed) as { apiKey?: unknown }).apiKey;
      if (typeof apiKey === 'string' && apiKey !== '') return apiKey;
    } catch {
      // Not JSON after all: a key that starts with a brace.
    }
    throw new ApiKeySecretError('The secret is a JSON object without a string "apiKey" field.');
  }
  if (trimmed === '') throw new ApiKeySecretError('The secret is empty.');
  return trimmed;
}

/**
 * An OpenAI-compatible chat completions API (OpenAI, Azure OpenAI's v1 API,
 * vLLM, Ollama, LiteLLM…) behind the ModelClient port, streamed:
 * `POST <baseUrl>/chat/completions` with `stream: true`, read as
 * server-sent events. Failures map as Bedrock's do, so the agents' budgets,
 * retries, notices and dead-lettering treat both providers alike:
 *
 * - before the stream: unreachable, timed out, HTTP 408/429/5xx →
 *   ModelUnavailableError, retryable; other HTTP errors → not retryable;
 * - while reading: a broken connection, a silence longer than the idle
 *   timeout, an `error` event, data that is not JSON, or an end before
 *   `[DONE]` or a finish reason → ModelStreamError (the use case keeps
 *   what arrived, marked incomplete).
 */
export class OpenAiChatModel implements ModelClient {
  private readonly url: string;
  private readonly fetch: typeof fetch;
  private readonly idleTimeoutMs: number;

  constructor(private readonly options: OpenAiChatModelOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelEvent> {
    let apiKey: string | undefined;
    try {
      apiKey = await this.options.apiKey();
    } catch (error) {
      // Secrets Manager throttling or an outage passes; a missing secret or grant does not.
      const retryable =
        !(error instanceof ApiKeySecretError) && !/AccessDenied|ResourceNotFound|InvalidRequest|InvalidParameter|Decryption/.test(errorName(error));
      throw new ModelUnavailableError(`The API key could not be read: ${errorMessage(error)}`, retryable, 'ApiKeyUnavailable', {
        cause: error,
      });
    }

    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const rearm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.idleTimeoutMs);
    };

    try {
      rearm();
      let response: Response;
      try {
        response = await this.fetch(this.url, {
          method: 'POST',
          signal: controller.signal,
          headers: {
            'content-type': 'application/json',
            accept: 'text/event-stream',
            ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
          },
          body: JSON.stringify({
            model: request.modelId,
            stream: true,
            stream_options: { include_usage: true },
            max_tokens: request.maxOutputTokens,
            temperature: request.temperature,
            messages: chatMessages(request),
            ...chatTools(request),
          }),
        });
      } catch (error) {
        const reason = timedOut ? 'TimeoutError' : 'NetworkError';
        throw new ModelUnavailableError(`The model endpoint could not be reached: ${timedOut ? 'no response in time' : errorMessage(error)}`, true, reason, {
          cause: error,
        });
      }
      if (!response.ok) {
        const detail = await failureDetail(response);
        const reason = REASONS[response.status] ?? (response.status >= 500 ? 'ServiceUnavailableException' : 'ValidationException');
        throw new ModelUnavailableError(
          `The model endpoint answered HTTP ${response.status}: ${detail}`,
          isRetryableStatus(response.status),
          reason,
        );
      }
      if (!response.body) throw new ModelUnavailableError('The model endpoint returned no stream.', true, 'EmptyStream');

      yield* this.read(response.body as unknown as AsyncIterable<Uint8Array>, rearm, () => timedOut);
    } finally {
      clearTimeout(timer);
      // Releases the connection when the reader stopped early or the stream failed.
      controller.abort();
    }
  }

  private async *read(body: AsyncIterable<Uint8Array>, rearm: () => void, timedOut: () => boolean): AsyncGenerator<ModelEvent> {
    async function* watched(): AsyncGenerator<Uint8Array> {
      for await (const bytes of body) {
        rearm();
        yield bytes;
      }
    }

    let finished = false;
    let stopReason: string | undefined;
    let usage: ModelUsage | undefined;
    // Tool calls as they stream, by index: the id and name come first, the arguments in pieces.
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    try {
      for await (const event of readServerSentEvents(watched())) {
        if (event.data.trim() === '[DONE]') {
          finished = true;
          break;
        }
        let chunk: Chunk;
        try {
          chunk = JSON.parse(event.data) as Chunk;
        } catch {
          throw new ModelStreamError('The reply stream carried something other than JSON.', 'MalformedStream');
        }
        if (typeof chunk !== 'object' || chunk === null) {
          throw new ModelStreamError('The reply stream carried something other than a chunk.', 'MalformedStream');
        }
        if (chunk.error) {
          const message = typeof chunk.error.message === 'string' ? chunk.error.message : 'unknown error';
          throw new ModelStreamError(`The reply stream failed: ${message}`, 'ModelStreamErrorException');
        }
        const choice = chunk.choices?.[0];
        const text = choice?.delta?.content;
        if (typeof text === 'string' && text.length > 0) yield { type: 'delta', text };
        for (const piece of choice?.delta?.tool_calls ?? []) {
          const index = typeof piece.index === 'number' ? piece.index : 0;
          const call = calls.get(index) ?? { id: '', name: '', arguments: '' };
          if (typeof piece.id === 'string') call.id = piece.id;
          if (typeof piece.function?.name === 'string') call.name += piece.function.name;
          if (typeof piece.function?.arguments === 'string') call.arguments += piece.function.arguments;
          calls.set(index, call);
        }
        if (typeof choice?.finish_reason === 'string') stopReason = STOP_REASONS[choice.finish_reason] ?? choice.finish_reason;
        if (chunk.usage) {
          const { prompt_tokens: input, completion_tokens: output } = chunk.usage;
          usage = { inputTokens: typeof input === 'number' ? input : 0, outputTokens: typeof output === 'number' ? output : 0 };
        }
      }
    } catch (error) {
      if (error instanceof ModelStreamError) throw error;
      const reason = timedOut() ? 'TimeoutError' : errorName(error);
      throw new ModelStreamError(`The reply stream broke: ${timedOut() ? 'it went silent' : errorMessage(error)}`, reason, { cause: error });
    }
    if (!finished && stopReason === undefined) {
      throw new ModelStreamError('The reply stream ended before the reply did.', 'IncompleteStream');
    }
    for (const [, call] of [...calls].sort(([a], [b]) => a - b)) {
      yield { type: 'toolUse', toolUseId: call.id, name: call.name, input: parseArguments(call.arguments) };
    }
    yield { type: 'done', stopReason: stopReason ?? 'end_turn', ...(usage ? { usage } : {}) };
  }
}
