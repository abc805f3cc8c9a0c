import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { dynamoDocumentClient } from '../adapters/clients';
import { DynamoMemoryStore } from '../adapters/dynamodb/memory-store';
import { BedrockSummarizer } from '../adapters/memory/bedrock-summarizer';
import { ExtractiveSummarizer } from '../adapters/memory/extractive-summarizer';
import { StoredRoomMemory } from '../adapters/memory/room-memory';
import { MEMORY_ENV, readEmbeddingModelId, readSummarizerKind } from '../adapters/memory/settings';
import { TitanEmbedder } from '../adapters/memory/titan-embedder';
import type { RoomMemory } from '../domain/agents/memory';
import type { Embedder, Summarizer } from '../domain/memory/ports';
import { requireEnv } from '../shared/env';

/**
 * Builders for room memory's adapters, from the environment the memory
 * bindings set. Handlers call them once, at cold start.
 */
let bedrockClient: BedrockRuntimeClient | undefined;
const bedrock = (): BedrockRuntimeClient => (bedrockClient ??= new BedrockRuntimeClient({}));

export const memoryStore = () => new DynamoMemoryStore(dynamoDocumentClient(), requireEnv(MEMORY_ENV.table));

export const summarizer = (): Summarizer =>
  readSummarizerKind() === 'bedrock'
    ? new BedrockSummarizer(bedrock(), { modelId: requireEnv(MEMORY_ENV.summaryModelId) })
    : new ExtractiveSummarizer();

/** The embedder for semantic recall, when the function has the embeddings binding. */
export const embedder = (): Embedder | undefined => {
  const modelId = readEmbeddingModelId();
  return modelId === undefined ? undefined : new TitanEmbedder(bedrock(), { modelId });
};

/** The room memory an agent function recalls from (needs the memory table's read binding). */
export const roomMemory = (): RoomMemory => {
  const queries = embedder();
  return new StoredRoomMemory(memoryStore(), queries ? { embedder: queries } : {});
};
