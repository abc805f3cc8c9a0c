/**
 * The contract between a room's documents (upload, status, deletion) and
 * their index (parsing, chunking, embedding, search). The documents feature
 * owns a document's record and lifecycle; the index owns its chunks and
 * vectors, and nothing else reads or writes them.
 */

/** The formats a document may be uploaded in. */
export const KNOWLEDGE_CONTENT_TYPES = ['text/plain', 'text/markdown', 'text/html', 'application/pdf'] as const;
export type KnowledgeContentType = (typeof KNOWLEDGE_CONTENT_TYPES)[number];

/** One uploaded version of a document, as the index reads it. */
export interface DocumentSource {
  readonly roomId: string;
  readonly documentId: string;
  /** Grows by one with each upload that replaces the document. */
  readonly version: number;
  /** The agent the document belongs to; absent, every agent of the room shares it. */
  readonly agentId?: string;
  /** The name its uploader gave it (shown in citations). */
  readonly name: string;
  readonly contentType: KnowledgeContentType;
  readonly bytes: Uint8Array;
}

export interface IndexedDocument {
  readonly chunks: number;
  readonly characters: number;
  /** PDF only. */
  readonly pages?: number;
}

/**
 * A document that cannot be indexed as uploaded (not the type it claims,
 * encrypted, no text, over the limits). Not retried: the document's status
 * becomes `failed` with this reason.
 */
export class DocumentUnreadableError extends Error {
  constructor(readonly reason: string) {
    super(`document unreadable: ${reason}`);
    this.name = 'DocumentUnreadableError';
  }
}

export interface DocumentIndexer {
  /**
   * Parses, chunks, embeds and stores one version's chunks. Idempotent per
   * (documentId, version): indexing the same version again leaves the same
   * chunks. Throws DocumentUnreadableError for input that will never index;
   * any other error is transient (the ingestion queue retries it).
   */
  index(source: DocumentSource): Promise<IndexedDocument>;
  /**
   * Removes every chunk and vector of a document, or, given `keepVersion`,
   * of every version but that one (after a replacement is indexed).
   */
  remove(roomId: string, documentId: string, keepVersion?: number): Promise<void>;
}

/** A passage of a document that matched a query. */
export interface DocumentHit {
  readonly documentId: string;
  readonly version: number;
  readonly name: string;
  /** The heading path of the passage's section ("Warranty › Returns"), or the page ("page 12"). */
  readonly section: string;
  readonly page?: number;
  /** Position of the chunk in its version, so a citation can open it. */
  readonly chunk: number;
  readonly text: string;
  readonly score: number;
}

export interface DocumentQuery {
  readonly roomId: string;
  /** The asking agent: it sees the room's shared documents and its own. */
  readonly agentId?: string;
  readonly text: string;
  readonly k: number;
}

export interface DocumentSearch {
  /** The best `k` passages of the room's ready documents the agent may use, best first. */
  search(query: DocumentQuery): Promise<DocumentHit[]>;
}

/** One chunk of a document's version, as a citation opens it. */
export interface DocumentPassage {
  readonly documentId: string;
  readonly version: number;
  readonly chunk: number;
  readonly section: string;
  readonly page?: number;
  readonly text: string;
}

/** Reads one passage of the index: what a citation points at. */
export interface DocumentPassages {
  /** The chunk, or undefined when the index holds no such chunk (removed, superseded, never indexed). */
  passage(roomId: string, documentId: string, version: number, chunk: number): Promise<DocumentPassage | undefined>;
}
