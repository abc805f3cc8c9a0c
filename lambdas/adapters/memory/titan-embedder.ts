import { InvokeModelCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ParleyError } from '../../domain/errors';
import type { Embedder } from '../../domain/memory/ports';

export interface TitanEmbedderOptions {
  /** e.g. `amazon.titan-embed-text-v2:0`. */
  readonly modelId: string;
  /** 256, 512 or 1024 (default 256: small to store, close in quality for short chat passages). */
  readonly dimensions?: number;
}

/** Titan v2 reads at most 8,192 tokens; chat messages are far shorter, this only bounds the request. */
const MAX_INPUT_CHARS = 20_000;

/**
 * Embeddings from Amazon Titan Text Embeddings v2 on Bedrock (InvokeModel),
 * normalized to unit length. Errors propagate: the stream record (or the
 * agent's recall) is retried.
 */
export class TitanEmbedder implements Embedder {
  constructor(
    private readonly client: BedrockRuntimeClient,
    private readonly options: TitanEmbedderOptions,
  ) {}

  async embed(text: string): Promise<number[]> {
    const response = await this.client.send(
      new InvokeModelCommand({
        modelId: this.options.modelId,
        contentType: 'application/json',
        accept: 'application/json',
        body: JSON.stringify({
          inputText: text.slice(0, MAX_INPUT_CHARS),
          dimensions: this.options.dimensions ?? 256,
          normalize: true,
        }),
      }),
    );
    const parsed = JSON.parse(new TextDecoder().decode(response.body)) as { embedding?: unknown };
    if (!Array.isArray(parsed.embedding) || parsed.embedding.length === 0) {
      throw new ParleyError('The embeddings model returned no vector.');
    }
    return parsed.embedding as number[];
  }
}
