import { DynamoChunkStore } from '../adapters/dynamodb/knowledge-chunks';
import { LexicalEmbedder } from '../adapters/knowledge/lexical-embedder';
import { FormatParser } from '../adapters/knowledge/parse-document';
import { TitanEmbedder } from '../adapters/memory/titan-embedder';
import type { DocumentIndexer, DocumentPassages, DocumentSearch, DocumentSource } from '../domain/knowledge/indexing';
import type { ChunkEmbedding } from '../domain/knowledge/ports';
import { logger } from '../shared/observability';
import { ChunkIndexer, type IndexDeps, type IndexReport } from '../use-cases/knowledge/index-document';
import { ChunkSearch } from '../use-cases/knowledge/search-documents';
import { bedrockRuntimeClient, dynamoDocumentClient } from './clients';
import { DOCUMENTS_ENV, requireEnv } from './env';
import { endpointEmbedding, readEmbeddingModelId } from './memory';

/**
 * The documents index's wiring: the chunk store on the knowledge table and
 * the embedder, the one room memory is configured with: Titan (Bedrock)
 * when MEMORY_EMBEDDING_MODEL_ID is set (the function then needs
 * bedrock:InvokeModel on it), the OpenAI-compatible endpoint when
 * MEMORY_EMBEDDING_BASE_URL is, otherwise the lexical embedder, which needs
 * nothing and says in its name that it is lexical. Search ranks by vectors
 * only when they are semantic: fused with BM25+, the lexical embedder's
 * vectors found fewer answers than BM25+ alone (docs/knowledge.md), so
 * without a semantic embedder search is BM25+ alone. Chunks remember which
 * embedder made their vectors, so switching embedders never compares one's
 * vectors with the other's: re-index to give old chunks the new vectors.
 */

/** The embedder chunks and queries get (Titan 512 dimensions, as precise as the lexical one is wide). */
export function chunkEmbedding(): ChunkEmbedding {
  const modelId = readEmbeddingModelId();
  if (modelId !== undefined) {
    return { model: `bedrock:${modelId}`, embedder: new TitanEmbedder(bedrockRuntimeClient(), { modelId, dimensions: 512 }) };
  }
  const endpoint = endpointEmbedding();
  if (endpoint !== undefined) return { model: `openai:${endpoint.model}`, embedder: endpoint.embedder };
  const embedder = new LexicalEmbedder();
  return { model: embedder.model, embedder };
}

/** Whether an embedding's vectors carry meaning beyond the words (not the lexical embedder's). */
export const isSemantic = (embedding: ChunkEmbedding): boolean => !(embedding.embedder instanceof LexicalEmbedder);

const chunkStore = () => new DynamoChunkStore(dynamoDocumentClient(), requireEnv(DOCUMENTS_ENV.knowledgeTable));

/** The indexer, logging what each indexing did: chunks, embedding calls, items written and deleted (never text). */
class LoggedIndexer extends ChunkIndexer {
  constructor(deps: IndexDeps, private readonly model: string) {
    super(deps);
  }

  override async index(source: DocumentSource): Promise<IndexReport> {
    const report = await super.index(source);
    logger.info('document indexed', {
      roomId: source.roomId,
      documentId: source.documentId,
      version: source.version,
      embeddedBy: this.model,
      ...report,
    });
    return report;
  }
}

/** The indexer the ingestion function calls (needs the knowledge table's read and write binding). */
export const documentIndexer = (): DocumentIndexer => {
  const embedding = chunkEmbedding();
  return new LoggedIndexer({ parser: new FormatParser(), store: chunkStore(), embedding }, embedding.model);
};

/** The search agents use (needs the knowledge table's read binding): BM25+, fused with vectors when they are semantic. */
export const documentSearch = (): DocumentSearch => {
  const embedding = chunkEmbedding();
  return new ChunkSearch({ store: chunkStore(), ...(isSemantic(embedding) ? { embedding } : {}) });
};

/** The passages citations open (needs GetItem on the knowledge table). */
export const documentPassages = (): DocumentPassages => chunkStore();
