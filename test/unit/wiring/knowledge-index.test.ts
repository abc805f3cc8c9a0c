import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LexicalEmbedder } from '../../../lambdas/adapters/knowledge/lexical-embedder';
import { TitanEmbedder } from '../../../lambdas/adapters/memory/titan-embedder';
import { logger } from '../../../lambdas/shared/observability';
import { resetClients } from '../../../lambdas/wiring/clients';
import { DOCUMENTS_ENV, MEMORY_ENV, resetEnvCache } from '../../../lambdas/wiring/env';
import { OpenAiEmbedder } from '../../../lambdas/adapters/openai/openai-embedder';
import { chunkEmbedding, documentIndexer, documentSearch, isSemantic } from '../../../lambdas/wiring/knowledge-index';

const ddb = mockClient(DynamoDBDocumentClient);

afterEach(() => {
  ddb.reset();
  vi.unstubAllEnvs();
  resetEnvCache();
  resetClients();
});

describe('chunkEmbedding', () => {
  it('is the lexical embedder, named as such, without an embeddings model', () => {
    const embedding = chunkEmbedding();

    expect(embedding.embedder).toBeInstanceOf(LexicalEmbedder);
    expect(embedding.model).toBe('lexical-hash-512');
  });

  it('is Titan, named by its model, when room memory’s embeddings model is configured', () => {
    vi.stubEnv(MEMORY_ENV.embeddingModelId, 'amazon.titan-embed-text-v2:0');

    const embedding = chunkEmbedding();

    expect(embedding.embedder).toBeInstanceOf(TitanEmbedder);
    expect(embedding.model).toBe('bedrock:amazon.titan-embed-text-v2:0');
  });

  it('is the OpenAI-compatible endpoint, named by its model, when room memory uses one', () => {
    vi.stubEnv(MEMORY_ENV.embeddingBaseUrl, 'http://127.0.0.1:9/v1');
    vi.stubEnv(MEMORY_ENV.embeddingModel, 'nomic-embed-text');

    const embedding = chunkEmbedding();

    expect(embedding.embedder).toBeInstanceOf(OpenAiEmbedder);
    expect(embedding.model).toBe('openai:nomic-embed-text');
  });

  it('counts as semantic for search only when it is not the lexical embedder', () => {
    expect(isSemantic(chunkEmbedding())).toBe(false);
    vi.stubEnv(MEMORY_ENV.embeddingModelId, 'amazon.titan-embed-text-v2:0');
    resetEnvCache();
    expect(isSemantic(chunkEmbedding())).toBe(true);
  });
});

describe('documentIndexer and documentSearch', () => {
  it('need the knowledge table’s name', () => {
    expect(() => documentIndexer()).toThrow(/KNOWLEDGE_TABLE/);
    expect(() => documentSearch()).toThrow(/KNOWLEDGE_TABLE/);
  });

  it('build with it', () => {
    vi.stubEnv(DOCUMENTS_ENV.knowledgeTable, 'knowledge');

    expect(typeof documentIndexer().index).toBe('function');
    expect(typeof documentSearch().search).toBe('function');
  });
});

describe('documentIndexer', () => {
  it('logs what an indexing did, without the document’s text', async () => {
    vi.stubEnv(DOCUMENTS_ENV.knowledgeTable, 'knowledge');
    ddb.on(BatchWriteCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    const info = vi.spyOn(logger, 'info');

    await documentIndexer().index({
      roomId: 'r1',
      documentId: 'd1',
      version: 2,
      name: 'Handbook',
      contentType: 'text/markdown',
      bytes: new TextEncoder().encode('# Warranty\n\nThe secret warranty text.'),
    });

    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, { RequestItems: { knowledge: expect.any(Array) } });
    expect(info).toHaveBeenCalledWith('document indexed', {
      roomId: 'r1',
      documentId: 'd1',
      version: 2,
      embeddedBy: 'lexical-hash-512',
      chunks: 1,
      characters: 25,
      embeddingCalls: 1,
      written: 1,
      deleted: 0,
    });
    expect(JSON.stringify(info.mock.calls)).not.toContain('secret');
  });
});
