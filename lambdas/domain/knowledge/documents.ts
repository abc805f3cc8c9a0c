import { ValidationError } from '../errors';
import { isBlank, isWellFormed } from '../text';
import { KNOWLEDGE_CONTENT_TYPES, type KnowledgeContentType } from './indexing';

/**
 * A room's documents: the record of each uploaded document, its lifecycle
 * and its limits (docs/knowledge.md, "Documents"). The record is the
 * documents feature's; the chunks of its versions are the index's
 * (indexing.ts), which only the `DocumentIndexer` port reaches.
 *
 * A document's lifecycle, per version:
 *
 *   pending ──(object arrives)──▶ uploaded ──▶ indexing ──▶ ready
 *                                                      └──▶ failed (reason)
 *
 * `pending` means an upload was granted and its object has not arrived (it
 * may never: the link expires). Replacing a document starts the next
 * version at `pending`; `indexedVersion` keeps naming the version whose
 * chunks are searchable until the new one is `ready`.
 */
export const DOCUMENT_STATUSES = ['pending', 'uploaded', 'indexing', 'ready', 'failed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** The largest document: a 200-page PDF with images fits well within it. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
/** Documents one room may hold, shared and per agent together. */
export const MAX_DOCUMENTS_PER_ROOM = 100;
/** A document's name, in characters. */
export const MAX_DOCUMENT_NAME_LENGTH = 200;
/** A failure reason as stored and shown, in characters. */
export const MAX_REASON_LENGTH = 300;

/** The reason given when a version kept failing for a transient cause until its last attempt. */
export const NOT_INDEXED_REASON = 'could not be indexed';

export interface RoomDocument {
  readonly roomId: string;
  readonly documentId: string;
  readonly name: string;
  readonly contentType: KnowledgeContentType;
  /** Bytes: as announced while `pending`, as stored once the object arrived. */
  readonly size: number;
  /** The agent the document belongs to; absent, every agent of the room shares it. */
  readonly agentId?: string;
  /** The current version: the last one an upload was granted for. */
  readonly version: number;
  readonly status: DocumentStatus;
  /** Why the current version failed (status `failed` only). */
  readonly reason?: string;
  /** The version whose chunks are searchable; absent until a version is ready. */
  readonly indexedVersion?: number;
  /** Chunks of the indexed version. */
  readonly chunks?: number;
  /** Pages of the indexed version (PDF only). */
  readonly pages?: number;
  readonly uploadedBy: string;
  readonly uploadedAt: string;
  readonly updatedAt: string;
}

/**
 * What the owner of an upload learns about a document and what a member
 * sees of it: the record without its room, and `reason` for moderators only
 * (a reason may name what is wrong inside the file).
 */
export type DocumentView = Omit<RoomDocument, 'roomId'>;

/** A document as a viewer may see it: reasons are for moderators. */
export function viewOf(document: RoomDocument, moderator: boolean): DocumentView {
  const { roomId: _roomId, reason, ...rest } = document;
  return { ...rest, ...(moderator && reason !== undefined ? { reason } : {}) };
}

export const isKnowledgeContentType = (value: string): value is KnowledgeContentType =>
  (KNOWLEDGE_CONTENT_TYPES as readonly string[]).includes(value);

/**
 * The name a document is shown by: trimmed, something visible, no control
 * characters, no unpaired surrogates, at most MAX_DOCUMENT_NAME_LENGTH
 * characters. Throws ValidationError otherwise.
 */
export function documentName(raw: string): string {
  const name = raw.trim();
  if (!isWellFormed(name)) throw new ValidationError('The document name holds an unpaired surrogate.');
  if (isBlank(name)) throw new ValidationError('The document name has nothing visible.');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/u.test(name)) throw new ValidationError('The document name holds control characters.');
  if ([...name].length > MAX_DOCUMENT_NAME_LENGTH) {
    throw new ValidationError(`A document name has at most ${MAX_DOCUMENT_NAME_LENGTH} characters.`);
  }
  return name;
}

/** Refuses a size S3 would refuse anyway (the upload policy's content-length-range), before a link is made. */
export function assertDocumentSize(size: number): void {
  if (!Number.isInteger(size) || size < 1) throw new ValidationError('A document has at least one byte.');
  if (size > MAX_DOCUMENT_BYTES) {
    throw new ValidationError(
      `A document has at most ${MAX_DOCUMENT_BYTES} bytes (${MAX_DOCUMENT_BYTES / 1024 / 1024} MB); this one has ${size}.`,
    );
  }
}

/** A reason fit to store and show: one line, bounded. */
export const boundedReason = (reason: string): string => {
  const line = reason.replace(/\s+/gu, ' ').trim();
  const chars = [...line];
  return chars.length <= MAX_REASON_LENGTH ? line : `${chars.slice(0, MAX_REASON_LENGTH - 1).join('')}…`;
};

const KEY_PREFIX = 'rooms/';

/** Where a version's object lives in the documents bucket. */
export const documentObjectKey = (roomId: string, documentId: string, version: number): string =>
  `${KEY_PREFIX}${roomId}/documents/${documentId}/v${version}`;

/** Every version of a document, as a key prefix. */
export const documentObjectPrefix = (roomId: string, documentId: string): string =>
  `${KEY_PREFIX}${roomId}/documents/${documentId}/`;

/** Every document of a room, as a key prefix. */
export const roomDocumentsPrefix = (roomId: string): string => `${KEY_PREFIX}${roomId}/documents/`;

/** The prefix the bucket's notification is filtered on. */
export const DOCUMENT_KEY_PREFIX = KEY_PREFIX;

export interface DocumentObjectRef {
  readonly roomId: string;
  readonly documentId: string;
  readonly version: number;
}

const KEY_PATTERN = /^rooms\/([^/]+)\/documents\/([^/]+)\/v([1-9]\d{0,8})$/u;

/** The document version an object key names, or undefined for any other key. */
export function parseDocumentObjectKey(key: string): DocumentObjectRef | undefined {
  const match = KEY_PATTERN.exec(key);
  if (!match) return undefined;
  return { roomId: match[1]!, documentId: match[2]!, version: Number(match[3]) };
}

/**
 * What ingestion should do with an object that arrived for `ref`, given the
 * document's record: index it, or skip it (an older version, a document
 * deleted since, or a version already indexed: S3 and SQS may deliver an
 * event more than once).
 */
export function ingestionDecision(
  document: RoomDocument | undefined,
  ref: DocumentObjectRef,
): { readonly index: true } | { readonly index: false; readonly why: string } {
  if (document === undefined) return { index: false, why: 'no such document (deleted since)' };
  if (document.version !== ref.version) return { index: false, why: 'not the current version' };
  if (document.indexedVersion === ref.version) return { index: false, why: 'already indexed' };
  if (document.status === 'failed') return { index: false, why: 'already failed' };
  return { index: true };
}

/** The `documentStatus` frame: a document's status, sent live to the room's owners and moderators. */
export interface DocumentStatusFrame {
  readonly type: 'documentStatus';
  readonly roomId: string;
  readonly documentId: string;
  readonly name: string;
  readonly version: number;
  readonly status: DocumentStatus;
  readonly reason?: string;
  readonly chunks?: number;
}

/** The `documentDeleted` frame: a document and all it held are gone. */
export interface DocumentDeletedFrame {
  readonly type: 'documentDeleted';
  readonly roomId: string;
  readonly documentId: string;
}

export type DocumentFrame = DocumentStatusFrame | DocumentDeletedFrame;

export const documentStatusFrame = (document: RoomDocument): DocumentStatusFrame => ({
  type: 'documentStatus',
  roomId: document.roomId,
  documentId: document.documentId,
  name: document.name,
  version: document.version,
  status: document.status,
  ...(document.reason !== undefined ? { reason: document.reason } : {}),
  ...(document.status === 'ready' && document.chunks !== undefined ? { chunks: document.chunks } : {}),
});
