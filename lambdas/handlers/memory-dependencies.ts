import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { dynamoDocumentClient } from '../adapters/clients';
import { DynamoMemoryStore } from '../adapters/dynamodb/memory-store';
import { BedrockSummarizer } from '../adapters/memory/bedrock-summarizer';
import { ExtractiveSummarizer } from '../adapters/memory/extractive-summarizer';
import { StoredRoomMemory } from '../adapters/memory/room-memory';
import { MEMORY_ENV, readSummarizerKind } from '../adapters/memory/settings';
import type { RoomMemory } from '../domain/agents/memory';
import type { Summarizer } from '../domain/memory/ports';
import { requireEnv } from '../shared/env';

/**
 * Builders for room memory's adapters, from the environment the memory
 * bindings set. Handlers call them once, at cold start.
 */
export const memoryStore = () => new DynamoMemoryStore(dynamoDocumentClient(), requireEnv(MEMORY_ENV.table));

export const summarizer = (): Summarizer =>
  readSummarizerKind() === 'bedrock'
    ? new BedrockSummarizer(new BedrockRuntimeClient({}), { modelId: requireEnv(MEMORY_ENV.summaryModelId) })
    : new ExtractiveSummarizer();

/** The room memory an agent function recalls from (needs the memory table's read binding). */
export const roomMemory = (): RoomMemory => new StoredRoomMemory(memoryStore());
