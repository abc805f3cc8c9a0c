import { CHUNKING, charactersOf, chunkDocument, type ChunkingOptions, type DocumentChunk } from '../../domain/knowledge/chunking';
import {
  DocumentUnreadableError,
  type DocumentIndexer,
  type DocumentSource,
  type IndexedDocument,
} from '../../domain/knowledge/indexing';
import { termStats } from '../../domain/knowledge/lexical';
import type { ChunkEmbedding, ChunkStore, DocumentParser, StoredChunk } from '../../domain/knowledge/ports';
import { quantize } from '../../domain/memory/vectors';

export interface IndexDeps {
  readonly parser: DocumentParser;
  readonly store: ChunkStore;
  /** Absent: chunks are stored without vectors and found lexically only. */
  readonly embedding?: ChunkEmbedding;
  /** Embedding calls in flight at once (default 8): Titan takes one text a call. */
  readonly embedConcurrency?: number;
  readonly chunking?: ChunkingOptions;
}

/** What indexing one version did, for the ingestion function's log and the benchmark. */
export interface IndexReport extends IndexedDocument {
  readonly embeddingCalls: number;
  readonly written: number;
  /** Chunks of this version left by an earlier indexing, past the new last one. */
  readonly deleted: number;
}

/** What a chunk is searched and embedded by: its section's headings and its text. */
export const indexedText = (chunk: Pick<DocumentChunk, 'section' | 'text'>): string =>
  chunk.section === '' ? chunk.text : `${chunk.section}\n${chunk.text}`;

/**
 * Embeds `texts` with at most `concurrency` calls in flight, in order. One
 * call a text: the embedders Parley uses take one text per request.
 */
export async function embedAll(embedding: ChunkEmbedding, texts: readonly string[], concurrency: number): Promise<string[]> {
  const vectors: string[] = new Array<string>(texts.length);
  for (let start = 0; start < texts.length; start += concurrency) {
    const batch = texts.slice(start, start + concurrency);
    const embedded = await Promise.all(batch.map((text) => embedding.embedder.embed(text)));
    embedded.forEach((values, i) => {
      vectors[start + i] = quantize(values);
    });
  }
  return vectors;
}

/**
 * Indexes one version of a document: parses it (the parser enforces type
 * and limits), chunks it by structure, embeds every chunk, and writes the
 * chunks under keys made of the document, version and chunk number, so
 * indexing the same version again overwrites the same items (and deletes
 * any numbered past the new last one). Nothing is written before every
 * chunk is embedded: a failing embedder leaves no half-indexed version.
 * Throws DocumentUnreadableError when the document has no text.
 */
export async function indexDocument(deps: IndexDeps, source: DocumentSource): Promise<IndexReport> {
  const parsed = await deps.parser.parse(source.contentType, source.bytes);
  const chunks = chunkDocument(parsed, deps.chunking ?? CHUNKING);
  if (chunks.length === 0) throw new DocumentUnreadableError('the document has no text');

  const texts = chunks.map(indexedText);
  const vectors = deps.embedding ? await embedAll(deps.embedding, texts, deps.embedConcurrency ?? 8) : undefined;
  const stored: StoredChunk[] = chunks.map((chunk, i) => ({
    documentId: source.documentId,
    version: source.version,
    chunk: chunk.chunk,
    name: source.name,
    ...(source.agentId !== undefined ? { agentId: source.agentId } : {}),
    section: chunk.section,
    ...(chunk.page !== undefined ? { page: chunk.page } : {}),
    text: chunk.text,
    terms: termStats(texts[i] as string),
    ...(vectors && deps.embedding ? { vector: vectors[i] as string, embeddedBy: deps.embedding.model } : {}),
  }));
  const { written, deleted } = await deps.store.writeVersion(source.roomId, source.documentId, source.version, stored);
  return {
    chunks: chunks.length,
    characters: charactersOf(parsed),
    ...(parsed.pages !== undefined ? { pages: parsed.pages } : {}),
    embeddingCalls: vectors?.length ?? 0,
    written,
    deleted,
  };
}

/** The DocumentIndexer the ingestion function uses. */
export class ChunkIndexer implements DocumentIndexer {
  constructor(private readonly deps: IndexDeps) {}

  index(source: DocumentSource): Promise<IndexReport> {
    return indexDocument(this.deps, source);
  }

  async remove(roomId: string, documentId: string, keepVersion?: number): Promise<void> {
    await this.deps.store.removeChunks(roomId, documentId, keepVersion);
  }
}
