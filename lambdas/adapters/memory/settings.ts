import { DEFAULT_MEMORY_POLICY, type MemoryPolicy } from '../../domain/memory/types';
import { intEnv, requireEnv } from '../../shared/env';

/**
 * Environment variables of room memory, set by the function construct's
 * memory bindings (lib/constructs/parley-function.ts).
 */
export const MEMORY_ENV = {
  /** The memory table's name. */
  table: 'MEMORY_TABLE',
  /** Messages between summary refreshes (default 20). */
  summaryEvery: 'MEMORY_SUMMARY_EVERY',
  /** Messages per retrieval window (default 8). */
  windowSize: 'MEMORY_WINDOW_SIZE',
  /** `extractive` (default) or `bedrock`. */
  summarizer: 'MEMORY_SUMMARIZER',
  /** The Bedrock model that writes summaries when MEMORY_SUMMARIZER is `bedrock`. */
  summaryModelId: 'MEMORY_SUMMARY_MODEL_ID',
  /** A Titan text embeddings model; set, recall is semantic as well as lexical. */
  embeddingModelId: 'MEMORY_EMBEDDING_MODEL_ID',
} as const;

/** The embeddings model for semantic recall, if configured. */
export const readEmbeddingModelId = (): string | undefined => process.env[MEMORY_ENV.embeddingModelId] || undefined;

export type SummarizerKind = 'extractive' | 'bedrock';

/** The memory policy from the environment, with defaults. */
export function readMemoryPolicy(): MemoryPolicy {
  return {
    ...DEFAULT_MEMORY_POLICY,
    windowSize: intEnv(MEMORY_ENV.windowSize, DEFAULT_MEMORY_POLICY.windowSize),
    summaryEvery: intEnv(MEMORY_ENV.summaryEvery, DEFAULT_MEMORY_POLICY.summaryEvery),
  };
}

/** Which summarizer to use; fails loudly on an unknown value. */
export function readSummarizerKind(): SummarizerKind {
  const raw = process.env[MEMORY_ENV.summarizer];
  if (raw === undefined || raw === '' || raw === 'extractive') return 'extractive';
  if (raw === 'bedrock') {
    requireEnv(MEMORY_ENV.summaryModelId);
    return 'bedrock';
  }
  throw new Error(`Environment variable ${MEMORY_ENV.summarizer} must be "extractive" or "bedrock", got "${raw}".`);
}
