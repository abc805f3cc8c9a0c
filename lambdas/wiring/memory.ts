import { DynamoMemoryStore } from '../adapters/dynamodb/memory-store';
import { BedrockSummarizer } from '../adapters/memory/bedrock-summarizer';
import { ExtractiveSummarizer } from '../adapters/memory/extractive-summarizer';
import { StoredRoomMemory } from '../adapters/memory/room-memory';
import { TitanEmbedder } from '../adapters/memory/titan-embedder';
import type { RoomMemory } from '../domain/agents/memory';
import type { Embedder, Summarizer } from '../domain/memory/ports';
import { DEFAULT_MEMORY_POLICY, type MemoryPolicy } from '../domain/memory/types';
import { bedrockRuntimeClient, dynamoDocumentClient } from './clients';
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

/** The embedder for semantic recall, when the function has the embeddings binding. */
export const embedder = (): Embedder | undefined => {
  const modelId = readEmbeddingModelId();
  return modelId === undefined ? undefined : new TitanEmbedder(bedrockRuntimeClient(), { modelId });
};

/** The room memory an agent function recalls from (needs the memory table's read binding). */
export const roomMemory = (): RoomMemory => {
  const queries = embedder();
  return new StoredRoomMemory(memoryStore(), queries ? { embedder: queries } : {});
};
