import { z } from 'zod';

/**
 * Room memory's embeddings model, as CDK context keys (part of
 * lib/config.ts's schema): Titan on Bedrock (`memoryEmbeddingModelId`), or
 * an OpenAI-compatible embeddings API (`memoryEmbeddingBaseUrl` with
 * `memoryEmbeddingModel`, and the secret holding its key if it needs one).
 * Unset, recall is lexical only.
 */

/** A Secrets Manager secret's ARN, or its name. */
const SECRET = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$|^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** The stage the local runtime synthesizes (scripts/local/synthesize-app.ts), where an endpoint on the machine may speak plain http. */
export const LOCAL_STAGE = 'local';

export const memoryEmbeddingConfigShape = {
  /**
   * Titan text embeddings model (e.g. amazon.titan-embed-text-v2:0) that
   * makes room memory's recall semantic as well as lexical; unset, lexical only.
   */
  memoryEmbeddingModelId: z
    .string()
    .regex(/^amazon\.titan-embed-text-v2(:[0-9]+)?$/, 'a Titan text embeddings v2 model id')
    .optional(),
  /**
   * Base URL of an OpenAI-compatible embeddings API (`https://api.openai.com/v1`):
   * memory embeds messages and queries with `POST <base URL>/embeddings`.
   * https, since the key travels with every request; plain http only with
   * the local runtime's stage.
   */
  memoryEmbeddingBaseUrl: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /** The model that API embeds with (`text-embedding-3-small`, `nomic-embed-text`…). */
  memoryEmbeddingModel: z.string().trim().min(1).max(200).optional(),
  /** The Secrets Manager secret (ARN or name) holding that API's key; unset, no key is sent. */
  memoryEmbeddingApiKeySecret: z.string().trim().regex(SECRET, 'a Secrets Manager secret ARN or name').optional(),
};

type MemoryEmbeddingConfig = z.output<z.ZodObject<typeof memoryEmbeddingConfigShape>> & { readonly stage: string };

/** The checks across keys: one embedder at most, a model with the URL, https outside the local runtime. */
export function checkMemoryEmbeddingConfig(config: MemoryEmbeddingConfig, ctx: z.RefinementCtx): void {
  const issue = (key: keyof typeof memoryEmbeddingConfigShape, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
  if (config.memoryEmbeddingBaseUrl === undefined) {
    if (config.memoryEmbeddingModel !== undefined) issue('memoryEmbeddingModel', 'only meaningful with memoryEmbeddingBaseUrl');
    if (config.memoryEmbeddingApiKeySecret !== undefined) issue('memoryEmbeddingApiKeySecret', 'only meaningful with memoryEmbeddingBaseUrl');
    return;
  }
  if (config.memoryEmbeddingModelId !== undefined) {
    issue('memoryEmbeddingBaseUrl', 'choose one embeddings model: memoryEmbeddingModelId (Titan) or memoryEmbeddingBaseUrl, not both');
  }
  if (config.memoryEmbeddingModel === undefined) issue('memoryEmbeddingModel', 'required with memoryEmbeddingBaseUrl (the model that endpoint embeds with)');
  if (config.stage !== LOCAL_STAGE && !config.memoryEmbeddingBaseUrl.startsWith('https://')) {
    issue('memoryEmbeddingBaseUrl', 'an https URL (the API key travels with every request); plain http only with the local runtime');
  }
}
