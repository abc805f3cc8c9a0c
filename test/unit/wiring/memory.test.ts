import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../lambdas/shared/observability';
import { MEMORY_ENV, resetEnvCache } from '../../../lambdas/wiring/env';
import { TitanEmbedder } from '../../../lambdas/adapters/memory/titan-embedder';
import { OpenAiEmbedder } from '../../../lambdas/adapters/openai/openai-embedder';
import { embedder, readMemoryPolicy, readSummarizerKind, roomMemory } from '../../../lambdas/wiring/memory';

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe('readMemoryPolicy', () => {
  it('uses windows of 8 and a summary every 20 messages by default', () => {
    expect(readMemoryPolicy()).toMatchObject({ windowSize: 8, summaryEvery: 20 });
  });

  it('takes the summary interval from the environment', () => {
    vi.stubEnv(MEMORY_ENV.summaryEvery, '50');

    expect(readMemoryPolicy().summaryEvery).toBe(50);
  });
});

describe('readSummarizerKind', () => {
  it('is extractive unless told otherwise', () => {
    expect(readSummarizerKind()).toBe('extractive');
  });

  it('is bedrock only with a model id', () => {
    vi.stubEnv(MEMORY_ENV.summarizer, 'bedrock');
    expect(() => readSummarizerKind()).toThrow(/MEMORY_SUMMARY_MODEL_ID/);

    resetEnvCache();
    vi.stubEnv(MEMORY_ENV.summaryModelId, 'anthropic.claude-3-haiku-20240307-v1:0');
    expect(readSummarizerKind()).toBe('bedrock');
  });

  it('refuses an unknown summarizer', () => {
    vi.stubEnv(MEMORY_ENV.summarizer, 'magic');

    expect(() => readSummarizerKind()).toThrow(/extractive" or "bedrock/);
  });
});

describe('embedder', () => {
  it('is none without an embeddings binding: recall is lexical only', () => {
    expect(embedder()).toBeUndefined();
  });

  it('is Titan when a Titan model is bound', () => {
    vi.stubEnv(MEMORY_ENV.embeddingModelId, 'amazon.titan-embed-text-v2:0');

    expect(embedder()).toBeInstanceOf(TitanEmbedder);
  });

  it('is the OpenAI-compatible endpoint when its URL is bound, and needs its model', () => {
    vi.stubEnv(MEMORY_ENV.embeddingBaseUrl, 'http://127.0.0.1:11434/v1');
    expect(() => embedder()).toThrow(/MEMORY_EMBEDDING_MODEL/);

    resetEnvCache();
    vi.stubEnv(MEMORY_ENV.embeddingModel, 'nomic-embed-text');
    expect(embedder()).toBeInstanceOf(OpenAiEmbedder);
  });

  it('sends the endpoint no key when no secret is named', async () => {
    vi.stubEnv(MEMORY_ENV.embeddingBaseUrl, 'http://127.0.0.1:11434/v1');
    vi.stubEnv(MEMORY_ENV.embeddingModel, 'nomic-embed-text');
    const calls: RequestInit[] = [];
    vi.stubGlobal('fetch', async (_: unknown, init: RequestInit) => {
      calls.push(init);
      return new Response(JSON.stringify({ data: [{ embedding: [1, 0] }] }), { status: 200 });
    });

    try {
      expect(await embedder()?.embed('hi')).toEqual([1, 0]);
      expect(calls[0]?.headers).not.toHaveProperty('authorization');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('roomMemory', () => {
  it('recalls lexically and logs why when the embeddings endpoint fails', async () => {
    vi.stubEnv(MEMORY_ENV.table, 'memory');
    vi.stubEnv(MEMORY_ENV.embeddingBaseUrl, 'http://127.0.0.1:11434/v1');
    vi.stubEnv(MEMORY_ENV.embeddingModel, 'nomic-embed-text');
    const ddb = mockClient(DynamoDBDocumentClient);
    ddb.on(QueryCommand).resolves({ Items: [] });
    vi.stubGlobal('fetch', async () => new Response('{"error":{"message":"overloaded"}}', { status: 503 }));
    const warn = vi.spyOn(logger, 'warn');

    try {
      const recalled = await roomMemory().recall('r1', 'which pets does Farah keep?', { k: 4, excludeMessageIds: new Set() });

      expect(recalled.passages).toEqual([]);
      expect(warn).toHaveBeenCalledWith('memory embedding failed, recalling lexically', {
        reason: 'The embeddings endpoint answered HTTP 503: overloaded',
      });
    } finally {
      vi.unstubAllGlobals();
      ddb.restore();
      warn.mockRestore();
    }
  });
});
