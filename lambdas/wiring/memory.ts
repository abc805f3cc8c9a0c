import { DynamoMemoryStore } from '../adapters/dynamodb/memory-store';
import { BedrockSummarizer } from '../adapters/memory/bedrock-summarizer';
import { ExtractiveSummarizer } from '../adapters/memory/extractive-summarizer';
import { StoredRoomMemory } from '../adapters/memory/room-memory';
import { TitanEmbedder } from '../adapters/memory/titan-embedder';
import { apiKeyFromSecret } from '../adapters/openai/openai-chat-model';
import { OpenAiEmbedder } from '../adapters/openai/openai-embedder';
import { cachedSecret } from '../adapters/secrets/cached-secret';
import { SecretsManagerReader } from '../adapters/secrets/secrets-manager-reader';
import type { RoomMemory } from '../domain/agents/memory';
import type { Embedder, Summarizer } from '../domain/memory/ports';
import { DEFAULT_MEMORY_POLICY, type MemoryPolicy } from '../domain/memory/types';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics } from '../shared/observability';
import { bedrockRuntimeClient, dynamoDocumentClient, secretsManagerClient } from './clients';
import { MEMORY_ENV, choiceEnv, intEnv, optionalEnv, requireEnv } from './env';

/**
 * Room memory's wiring: its settings and builders for its adapters, from
 * the environment the memory bindings set. Handlers call them once, at cold
 * start.
 */

/** The embeddings model for semantic recall, if configured. */
export const readEmbeddingModelId = (): string | undefined => optionalEnv(MEMORY_ENV.embeddingModelId);

export type SummarizerKind = 'extractive' | 'bedrock';

/** The memory policy from the environment, with defaults. */
export function readMemoryPolicy(): MemoryPolicy {
  return {
    ...DEFAULT_MEMORY_POLICY,
    windowSize: intEnv(MEMORY_ENV.windowSize, DEFAULT_MEMORY_POLICY.windowSize),
    summaryEvery: intEnv(MEMORY_ENV.summaryEvery, DEFAULT_MEMORY_POLICY.summaryEvery),
  };
}

/** Which summarizer to use; fails loudly on an unknown value, or on `bedrock` without a model. */
export function readSummarizerKind(): SummarizerKind {
  const kind = choiceEnv<SummarizerKind>(MEMORY_ENV.summarizer, ['extractive', 'bedrock'], 'extractive');
  if (kind === 'bedrock') requireEnv(MEMORY_ENV.summaryModelId);
  return kind;
}

export const memoryStore = () => new DynamoMemoryStore(dynamoDocumentClient(), requireEnv(MEMORY_ENV.table));

export const summarizer = (): Summarizer =>
  readSummarizerKind() === 'bedrock'
    ? new BedrockSummarizer(bedrockRuntimeClient(), { modelId: requireEnv(MEMORY_ENV.summaryModelId) })
    : new ExtractiveSummarizer();

/** How long the embeddings endpoint's API key is reused before it is read again. */
const API_KEY_TTL_MS = 5 * 60_000;

/**
 * The embedder for semantic recall, when the function has an embeddings
 * binding: Titan on Bedrock when MEMORY_EMBEDDING_MODEL_ID is set, else an
 * OpenAI-compatible endpoint when MEMORY_EMBEDDING_BASE_URL is (with its
 * model, and its API key from Secrets Manager when a secret is named), else
 * none: recall is lexical only.
 */
export const embedder = (): Embedder | undefined => {
  const modelId = readEmbeddingModelId();
  if (modelId !== undefined) return new TitanEmbedder(bedrockRuntimeClient(), { modelId });
  return endpointEmbedding()?.embedder;
};

/** The OpenAI-compatible embeddings endpoint and its model, when MEMORY_EMBEDDING_BASE_URL is set. */
export const endpointEmbedding = (): { readonly model: string; readonly embedder: Embedder } | undefined => {
  const baseUrl = optionalEnv(MEMORY_ENV.embeddingBaseUrl);
  if (baseUrl === undefined) return undefined;
  const model = requireEnv(MEMORY_ENV.embeddingModel);
  const secretId = optionalEnv(MEMORY_ENV.embeddingApiKeySecret);
  const secret = secretId === undefined ? undefined : cachedSecret(new SecretsManagerReader(secretsManagerClient()), secretId, { ttlMs: API_KEY_TTL_MS });
  return {
    model,
    embedder: new OpenAiEmbedder({ baseUrl, model, apiKey: async () => (secret ? apiKeyFromSecret(await secret()) : undefined) }),
  };
};

/** A failed query embedding: logged with its reason and counted, and the recall goes on lexically. */
const embeddingFailed = (error: unknown): void => {
  logger.warn('memory embedding failed, recalling lexically', { reason: error instanceof Error ? error.message : String(error) });
  metrics.addMetric('MemoryEmbeddingFailed', MetricUnit.Count, 1);
};

/** The room memory an agent function recalls from (needs the memory table's read binding). */
export const roomMemory = (): RoomMemory => {
  const queries = embedder();
  return new StoredRoomMemory(memoryStore(), queries ? { embedder: queries, onEmbeddingFailure: embeddingFailed } : {});
};
