import {
  ConverseStreamCommand,
  type BedrockRuntimeClient,
  type ConverseStreamCommandOutput,
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
          messages: request.prompt.turns.map((turn) => ({ role: turn.role, content: [{ text: turn.text }] })),
          inferenceConfig: { maxTokens: request.maxOutputTokens, temperature: request.temperature },
        }),
      );
    } catch (error) {
      throw toModelUnavailable(error);
    }
    if (!output.stream) throw new ModelUnavailableError('Bedrock returned no stream.', true, 'EmptyStream');

    let stopReason = 'end_turn';
    let usage: ModelUsage | undefined;
    try {
      for await (const event of output.stream as AsyncIterable<StreamEvent>) {
        const text = event.contentBlockDelta?.delta?.text;
        if (text !== undefined) {
          if (text.length > 0) yield { type: 'delta', text };
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
