import { ParleyError } from '../../domain/errors';
import type { Embedder } from '../../domain/memory/ports';
import { failureDetail } from './openai-chat-model';

export interface OpenAiEmbedderOptions {
  /** The API's base URL, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`; calls go to `<baseUrl>/embeddings`. */
  readonly baseUrl: string;
  /** The embeddings model, e.g. `text-embedding-3-small` or `nomic-embed-text`. */
  readonly model: string;
  /** The API key, asked for at each call (cache it); undefined sends no Authorization header. */
  readonly apiKey: () => Promise<string | undefined>;
  /** @default the global fetch */
  readonly fetch?: typeof fetch;
  /** Longest wait for the whole answer; longer counts as a failure. @default 5 s (a recall waits for it) */
  readonly timeoutMs?: number;
}

/** Chat messages are far shorter; this only bounds the request (most such models read about 8,000 tokens). */
const MAX_INPUT_CHARS = 20_000;

const isVector = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number' && Number.isFinite(v));

/**
 * Embeddings from an OpenAI-compatible API (OpenAI, Azure OpenAI's v1 API,
 * Ollama, vLLM, LiteLLM, llama.cpp's server…): `POST <baseUrl>/embeddings`
 * with `{ model, input }`, the vector read from `data[0].embedding`. Any
 * dimension works: vectors are normalized when stored (see `quantize`), and
 * query and messages come from the same model. Errors propagate, as with
 * Titan, each with a message that says what failed (unreachable, timed out,
 * the HTTP status and the API's own message, or an answer with no vector);
 * the caller decides whether to retry (the memory consumer) or to recall
 * lexically (an agent's recall; see `StoredRoomMemory`).
 */
export class OpenAiEmbedder implements Embedder {
  private readonly url: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: OpenAiEmbedderOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async embed(text: string): Promise<number[]> {
    const apiKey = await this.options.apiKey();
    let response: Response;
    let parsed: unknown;
    try {
      response = await this.fetch(this.url, {
        method: 'POST',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
        },
        body: JSON.stringify({ model: this.options.model, input: text.slice(0, MAX_INPUT_CHARS) }),
      });
      if (!response.ok) {
        throw new ParleyError(`The embeddings endpoint answered HTTP ${response.status}: ${await failureDetail(response)}`);
      }
      parsed = await response.json().catch((error: unknown) => {
        throw new ParleyError('The embeddings endpoint answered with something other than JSON.', { cause: error });
      });
    } catch (error) {
      if (error instanceof ParleyError) throw error;
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new ParleyError(
        `The embeddings endpoint could not be reached: ${timedOut ? `no answer within ${this.timeoutMs} ms` : error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    const embedding = (parsed as { data?: Array<{ embedding?: unknown }> } | null)?.data?.[0]?.embedding;
    if (!isVector(embedding)) throw new ParleyError('The embeddings endpoint returned no vector.');
    return embedding;
  }
}
