import {
  ConverseStreamCommand,
  type BedrockRuntimeClient,
  type ContentBlock,
  type ConverseStreamCommandOutput,
  type Message,
  type Tool,
  type ToolChoice,
} from '@aws-sdk/client-bedrock-runtime';
import { ModelStreamError, ModelUnavailableError } from '../../domain/agents/errors';
import type { ModelClient, ModelEvent, ModelRequest, ModelUsage } from '../../domain/agents/ports';

/** Failures that may pass: Bedrock asks to slow down, or was briefly unable to serve. */
const RETRYABLE = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'ModelNotReadyException',
  'InternalServerException',
  'ModelTimeoutException',
  'TimeoutError',
  'RequestTimeout',
]);

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { httpStatusCode?: number };
}

const describe = (error: unknown): { name: string; status?: number; message: string } => {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  return {
    name: typeof e.name === 'string' && e.name !== '' ? e.name : 'UnknownError',
    ...(e.$metadata?.httpStatusCode === undefined ? {} : { status: e.$metadata.httpStatusCode }),
    message: typeof e.message === 'string' ? e.message : String(error),
  };
};

/** Throttling, 5xx and network failures (no HTTP status) are worth another try; 4xx are not. */
export function toModelUnavailable(error: unknown): ModelUnavailableError {
  const { name, status, message } = describe(error);
  const retryable = RETRYABLE.has(name) || status === 429 || (status ?? 500) >= 500;
  return new ModelUnavailableError(`The model call failed: ${message}`, retryable, name, { cause: error });
}

/** Converse wants a tool call's input as a JSON object; anything else the model sent is passed back as empty. */
const asObject = (input: unknown): Record<string, unknown> =>
  typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};

/** The prompt's turns, then each tool round: the model's text and calls, and the results as a user turn. */
export function converseMessages(request: ModelRequest): Message[] {
  const turns: Message[] = request.prompt.turns.map((turn) => ({ role: turn.role, content: [{ text: turn.text }] }));
  for (const round of request.toolRounds ?? []) {
    const said: ContentBlock[] = round.text.length > 0 ? [{ text: round.text }] : [];
    turns.push({
      role: 'assistant',
      content: [
        ...said,
        ...round.uses.map((use): ContentBlock => ({ toolUse: { toolUseId: use.toolUseId, name: use.name, input: asObject(use.input) as never } })),
      ],
    });
    turns.push({
      role: 'user',
      content: round.results.map((result): ContentBlock => ({
        toolResult: { toolUseId: result.toolUseId, content: [{ text: result.text }], status: result.status },
      })),
    });
  }
  return turns;
}

const converseTools = (request: ModelRequest): { tools: Tool[]; toolChoice?: ToolChoice } | undefined =>
  request.tools && request.tools.length > 0
    ? {
        tools: request.tools.map(
          (tool): Tool => ({ toolSpec: { name: tool.name, description: tool.description, inputSchema: { json: tool.inputSchema as never } } }),
        ),
        ...(request.toolChoice ? { toolChoice: { tool: { name: request.toolChoice.tool } } } : {}),
      }
    : undefined;

/** A tool call's input as streamed: JSON pieces, parsed at the block's end; text that is not JSON is passed on as is. */
const parseToolInput = (raw: string): unknown => {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
};

type StreamEvent = NonNullable<ConverseStreamCommandOutput['stream']> extends AsyncIterable<infer E> ? E : never;

const STREAM_EXCEPTIONS = [
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
] as const;

/**
 * Bedrock's ConverseStream behind the ModelClient port. The prompt's
 * system part goes in `system`, its turns in `messages`; text deltas are
 * yielded as they arrive, then `done` with the stop reason and the token
 * usage from the stream's metadata. A failure before the stream opens is a
 * ModelUnavailableError; one while reading it is a ModelStreamError.
 */
export class BedrockModelClient implements ModelClient {
  constructor(private readonly client: BedrockRuntimeClient) {}

  async *stream(request: ModelRequest): AsyncGenerator<ModelEvent> {
    let output: ConverseStreamCommandOutput;
    try {
      output = await this.client.send(
        new ConverseStreamCommand({
          modelId: request.modelId,
          system: [{ text: request.prompt.system }],
          messages: converseMessages(request),
          inferenceConfig: { maxTokens: request.maxOutputTokens, temperature: request.temperature },
          ...(converseTools(request) ? { toolConfig: converseTools(request) } : {}),
        }),
      );
    } catch (error) {
      throw toModelUnavailable(error);
    }
    if (!output.stream) throw new ModelUnavailableError('Bedrock returned no stream.', true, 'EmptyStream');

    let stopReason = 'end_turn';
    let usage: ModelUsage | undefined;
    // Tool calls being streamed, by content block: their id, name and input so far.
    const calls = new Map<number, { toolUseId: string; name: string; input: string }>();
    try {
      for await (const event of output.stream as AsyncIterable<StreamEvent>) {
        const text = event.contentBlockDelta?.delta?.text;
        if (text !== undefined) {
          if (text.length > 0) yield { type: 'delta', text };
          continue;
        }
        const started = event.contentBlockStart?.start?.toolUse;
        if (started) {
          calls.set(event.contentBlockStart?.contentBlockIndex ?? 0, { toolUseId: started.toolUseId ?? '', name: started.name ?? '', input: '' });
          continue;
        }
        const piece = event.contentBlockDelta?.delta?.toolUse?.input;
        if (piece !== undefined) {
          const call = calls.get(event.contentBlockDelta?.contentBlockIndex ?? 0);
          if (call) call.input += piece;
          continue;
        }
        if (event.contentBlockStop) {
          const index = event.contentBlockStop.contentBlockIndex ?? 0;
          const call = calls.get(index);
          if (call) {
            calls.delete(index);
            yield { type: 'toolUse', toolUseId: call.toolUseId, name: call.name, input: parseToolInput(call.input) };
          }
          continue;
        }
        if (event.messageStop) stopReason = event.messageStop.stopReason ?? stopReason;
        else if (event.metadata?.usage) {
          usage = {
            inputTokens: event.metadata.usage.inputTokens ?? 0,
            outputTokens: event.metadata.usage.outputTokens ?? 0,
          };
        } else {
          const exception = STREAM_EXCEPTIONS.find((key) => event[key as keyof StreamEvent] !== undefined);
          if (exception) {
            const detail = event[exception as keyof StreamEvent] as { message?: string } | undefined;
            throw new ModelStreamError(`The reply stream failed: ${detail?.message ?? exception}`, exception);
          }
        }
      }
    } catch (error) {
      if (error instanceof ModelStreamError) throw error;
      const { name, message } = describe(error);
      throw new ModelStreamError(`The reply stream broke: ${message}`, name, { cause: error });
    }
    yield { type: 'done', stopReason, ...(usage ? { usage } : {}) };
  }
}
