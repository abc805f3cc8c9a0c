import { BackendError, countTokens, type ChatBackend, type ChatEvent, type ChatRequest } from './types';

export interface OpenAiBackendOptions {
  /** e.g. `http://127.0.0.1:11434/v1` for Ollama. */
  readonly baseUrl: string;
  /** The model to ask for; default: the Bedrock model id of the request. */
  readonly model?: string;
  readonly apiKey?: string;
}

interface Chunk {
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

const STOP_REASONS: Record<string, string> = { stop: 'end_turn', length: 'max_tokens', content_filter: 'content_filtered' };

/**
 * Any OpenAI-compatible chat server (Ollama, llama.cpp, vLLM, LM Studio…)
 * behind the local Bedrock endpoint: `POST {baseUrl}/chat/completions` with
 * `stream: true`, read as server-sent events.
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
        body: JSON.stringify({
          model: this.options.model ?? request.modelId,
          stream: true,
          stream_options: { include_usage: true },
          max_tokens: request.maxTokens,
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          messages: [
            ...(request.system ? [{ role: 'system', content: request.system }] : []),
            ...request.messages.map((m) => ({ role: m.role, content: m.text })),
          ],
        }),
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

    let text = '';
    let stopReason = 'end_turn';
    let usage: { inputTokens: number; outputTokens: number } | undefined;
    let buffer = '';
    const decoder = new TextDecoder();
    for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(bytes, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') continue;
        const chunk = JSON.parse(data) as Chunk;
        const choice = chunk.choices?.[0];
        const piece = choice?.delta?.content;
        if (piece) {
          text += piece;
          yield { type: 'text', text: piece };
        }
        if (choice?.finish_reason) stopReason = STOP_REASONS[choice.finish_reason] ?? 'end_turn';
        if (chunk.usage) {
          usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
        }
      }
    }
    const input = countTokens(request.system) + request.messages.reduce((n, m) => n + countTokens(m.text), 0);
    yield { type: 'end', stopReason, usage: usage ?? { inputTokens: input, outputTokens: countTokens(text) } };
  }
}
