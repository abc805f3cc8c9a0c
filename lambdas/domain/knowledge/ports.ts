import type { Embedder } from '../memory/ports';
import type { ParsedDocument } from './chunking';
import type { KnowledgeContentType } from './indexing';
import type { TermStats } from './lexical';

/**
 * Reads a document's bytes as text by structure. Throws
 * DocumentUnreadableError when the bytes are not the declared type, cannot
 * be read (encrypted, damaged, no text) or exceed KNOWLEDGE_LIMITS.
 */
export interface DocumentParser {
  parse(contentType: KnowledgeContentType, bytes: Uint8Array): Promise<ParsedDocument>;
}

/** A chunk as the index stores it: its passage, where it comes from, and what search ranks it by. */
export interface StoredChunk {
  readonly documentId: string;
  readonly version: number;
  readonly chunk: number;
  /** The document's name and agent when it was indexed (denormalised: search reads no other item per chunk). */
  readonly name: string;
  readonly agentId?: string;
  readonly section: string;
  readonly page?: number;
  readonly text: string;
  /** Index terms of the section and text, for BM25+. */
  readonly terms: TermStats;
  /** The quantized embedding (see `quantize`), and the embedder that made it: vectors of different embedders are never compared. */
  readonly vector?: string;
  readonly embeddedBy?: string;
}

/** A document's record as search reads it (the documents feature writes it). */
export interface DocumentRecordView {
  readonly documentId: string;
  readonly name: string;
  /** Absent: every agent of the room may use it. */
  readonly agentId?: string;
  readonly status: string;
  /** The version whose chunks are searchable; absent until one is indexed. */
  readonly indexedVersion?: number;
}

/** Where the index keeps chunks: the CHUNK# items of the knowledge table. */
export interface ChunkStore {
  /**
   * Writes a version's chunks, overwriting any with the same numbers, and
   * deletes the version's chunks numbered past the last (left by an earlier
   * indexing that made more). Returns how many items it wrote and deleted.
   */
  writeVersion(roomId: string, documentId: string, version: number, chunks: readonly StoredChunk[]): Promise<{ written: number; deleted: number }>;
  /** Deletes a document's chunks, of every version or of every version but `keepVersion`; returns how many. */
  removeChunks(roomId: string, documentId: string, keepVersion?: number): Promise<number>;
  /** The room's document records. */
  documentsOf(roomId: string): Promise<DocumentRecordView[]>;
  /** One version's chunks, in order. */
  chunksOf(roomId: string, documentId: string, version: number): Promise<StoredChunk[]>;
}

/** The embedder chunks and queries are embedded with, and its name, stored on each chunk it embedded. */
export interface ChunkEmbedding {
  /** e.g. `lexical-hash-256` or `bedrock:amazon.titan-embed-text-v2:0`. */
  readonly model: string;
  readonly embedder: Embedder;
}
