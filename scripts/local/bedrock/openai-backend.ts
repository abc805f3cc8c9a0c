import { readServerSentEvents } from '../../../lambdas/adapters/openai/sse';
import { fromOpenAiCompletion, OpenAiStreamTranslator, toOpenAiChatBody, type OpenAiChunk, type OpenAiCompletion } from './openai-translation';
import { BackendError, type ChatBackend, type ChatEvent, type ChatRequest } from './types';

export interface OpenAiBackendOptions {
  /** e.g. `http://127.0.0.1:11434/v1` for Ollama. */
  readonly baseUrl: string;
  /** The model to ask for; default: the Bedrock model id of the request. */
  readonly model?: string;
  readonly apiKey?: string;
}

/**
 * Any OpenAI-compatible chat server (Ollama, llama.cpp, vLLM, LM Studio…)
 * behind the local Bedrock endpoint: `POST {baseUrl}/chat/completions` with
 * `stream: true`, read as server-sent events (or as one JSON completion from
 * a server that does not stream). Tools are relayed both ways
 * (openai-translation.ts): the offered tools, the tool choice, earlier calls
 * and their results go out; the model's tool calls come back as Converse
 * tool-use blocks.
 */
export class OpenAiBackend implements ChatBackend {
  readonly name: string;

  constructor(private readonly options: OpenAiBackendOptions) {
    this.name = `OpenAI-compatible server at ${options.baseUrl}`;
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatEvent> {
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST',
        signal,
        headers: {
          'content-type': 'application/json',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify(toOpenAiChatBody(request, { model: this.options.model ?? request.modelId, stream: true })),
      });
    } catch (error) {
      throw new BackendError(503, 'ServiceUnavailableException', `The chat server is unreachable: ${(error as Error).message}`);
    }
    if (!response.ok || !response.body) {
      const detail = (await response.text().catch(() => '')).slice(0, 200);
      if (response.status === 429) throw new BackendError(429, 'ThrottlingException', `The chat server is busy: ${detail}`);
      if (response.status === 404) throw new BackendError(404, 'ResourceNotFoundException', `Unknown model: ${detail}`);
      if (response.status >= 500) throw new BackendError(503, 'ServiceUnavailableException', `The chat server failed: ${detail}`);
      throw new BackendError(400, 'ValidationException', `The chat server refused the request: ${detail}`);
    }

    // A server that ignores `stream` answers with the whole completion.
    if (response.headers.get('content-type')?.includes('application/json')) {
      yield* fromOpenAiCompletion((await response.json()) as OpenAiCompletion, request);
      return;
    }
    const translator = new OpenAiStreamTranslator(request);
    for await (const event of readServerSentEvents(response.body as unknown as AsyncIterable<Uint8Array>)) {
      if (event.data.trim() === '[DONE]') break;
      yield* translator.push(JSON.parse(event.data) as OpenAiChunk);
    }
    yield* translator.finish();
  }
}
