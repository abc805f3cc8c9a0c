import type { KnowledgeContentType } from './indexing';
import type { DocumentStatus, RoomDocument } from './documents';

/** The changes a status move may carry besides the status itself. */
export interface DocumentStatusChange {
  readonly status: DocumentStatus;
  readonly updatedAt: string;
  /** `failed` only; any other status clears the reason. */
  readonly reason?: string;
  /** The stored object's real size, once it arrived. */
  readonly size?: number;
  /** `ready` only: the version becomes the indexed one, with its chunk and page counts. */
  readonly indexed?: { readonly chunks: number; readonly pages?: number };
}

/**
 * Documents' records in the knowledge table (`DOC#<documentId>` items of the
 * room's partition). Every change is conditional on the version it is about,
 * so a late event for an older version never overwrites a newer one.
 */
export interface DocumentRepository {
  getDocument(roomId: string, documentId: string): Promise<RoomDocument | undefined>;
  /** Every document of a room, in id order (a room has at most MAX_DOCUMENTS_PER_ROOM). */
  listDocuments(roomId: string): Promise<RoomDocument[]>;
  /**
   * Writes a document's record for a newly granted upload: a new document
   * when `previousVersion` is undefined (ConflictError if it exists), or the
   * next version of an existing one (ConflictError unless its version is
   * still `previousVersion`).
   */
  putPending(document: RoomDocument, previousVersion?: number): Promise<void>;
  /**
   * Moves `version` of a document to a new status; resolves undefined, and
   * changes nothing, when the document is gone or at another version.
   */
  setStatus(roomId: string, documentId: string, version: number, change: DocumentStatusChange): Promise<RoomDocument | undefined>;
  /** Deletes the record; deleting a missing one succeeds. */
  deleteDocument(roomId: string, documentId: string): Promise<void>;
}

/** A granted upload: an HTML form's action and its fields, the file going last under `file`. */
export interface UploadForm {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** What S3 holds for one object. */
export interface StoredObject {
  readonly size: number;
  readonly contentType?: string;
}

/** The documents bucket. */
export interface DocumentStore {
  /**
   * A presigned POST for exactly one object: `key`, `contentType` and 1 to
   * `maxBytes` bytes, valid for `expiresInSeconds`. S3 refuses any other.
   */
  uploadForm(key: string, contentType: KnowledgeContentType, maxBytes: number, expiresInSeconds: number): Promise<UploadForm>;
  /** The object's size and type, or undefined when it is not (or no longer) there. */
  describe(key: string): Promise<StoredObject | undefined>;
  read(key: string): Promise<Uint8Array>;
  /** Deletes every object under `prefix` (a document's versions, or a room's documents); returns how many. */
  deleteUnder(prefix: string): Promise<number>;
}
