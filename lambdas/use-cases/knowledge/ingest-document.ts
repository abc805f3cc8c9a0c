import type { DocumentStatusChange } from '../../domain/knowledge/document-ports';
import {
  boundedReason,
  ingestionDecision,
  MAX_DOCUMENT_BYTES,
  NOT_INDEXED_REASON,
  parseDocumentObjectKey,
  type RoomDocument,
} from '../../domain/knowledge/documents';
import { DocumentUnreadableError, type DocumentIndexer } from '../../domain/knowledge/indexing';
import { notifyDocumentStatus, type DocumentDeps } from './document-deps';

export interface IngestDocumentDeps extends DocumentDeps {
  readonly indexer: DocumentIndexer;
}

/** An object the bucket announced (from its S3 event record). */
export interface ArrivedObject {
  readonly key: string;
  /** This delivery is the queue's last before the dead-letter queue. */
  readonly lastAttempt: boolean;
}

export type IngestOutcome =
  | { readonly outcome: 'skipped'; readonly why: string }
  | { readonly outcome: 'ready'; readonly document: RoomDocument }
  | { readonly outcome: 'failed'; readonly document: RoomDocument };

/** The media type without parameters (`text/plain; charset=utf-8` is `text/plain`), lower-cased. */
const mediaType = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * Indexes a document version whose object just arrived in the bucket:
 * `uploaded` (with its real size), `indexing`, then `ready` (its chunks
 * searchable, the older versions' chunks removed) or `failed` with the
 * index's reason; each status reaches the room's owners and moderators.
 *
 * Idempotent per version, because S3 and SQS may deliver an event twice: an
 * object of an older version, of a deleted document, or of a version
 * already indexed or failed is skipped. The object itself is checked again
 * (size, type): the presigned POST's policy makes S3 refuse others, but the
 * object is what gets parsed.
 *
 * A DocumentUnreadableError fails the version for good; any other error is
 * thrown for the queue to retry, and on the last attempt the version is
 * marked `failed: could not be indexed` first, so nobody waits on it.
 */
export async function ingestDocument(deps: IngestDocumentDeps, object: ArrivedObject): Promise<IngestOutcome> {
  const ref = parseDocumentObjectKey(object.key);
  if (!ref) return { outcome: 'skipped', why: 'not a document key' };
  const current = await deps.documents.getDocument(ref.roomId, ref.documentId);
  const decision = ingestionDecision(current, ref);
  if (!decision.index || current === undefined) return { outcome: 'skipped', why: decision.index ? 'no such document' : decision.why };

  const change = async (patch: Omit<DocumentStatusChange, 'updatedAt'>): Promise<RoomDocument | undefined> => {
    const updated = await deps.documents.setStatus(ref.roomId, ref.documentId, ref.version, {
      ...patch,
      updatedAt: new Date(deps.clock.now()).toISOString(),
    });
    if (updated) await notifyDocumentStatus(deps, updated);
    return updated;
  };
  const fail = async (reason: string): Promise<IngestOutcome> => {
    const failed = await change({ status: 'failed', reason: boundedReason(reason) });
    return failed ? { outcome: 'failed', document: failed } : { outcome: 'skipped', why: 'replaced or deleted meanwhile' };
  };

  const stored = await deps.store.describe(object.key);
  if (!stored) return { outcome: 'skipped', why: 'object gone' };
  if (stored.size < 1 || stored.size > MAX_DOCUMENT_BYTES) {
    return fail(`the file has ${stored.size} bytes; a document has 1 to ${MAX_DOCUMENT_BYTES}`);
  }
  if (mediaType(stored.contentType) !== current.contentType) {
    return fail(`the file was stored as ${mediaType(stored.contentType) || 'no type'}, not ${current.contentType}`);
  }

  // A retried delivery finds the version `indexing` already: it is not announced twice.
  if (current.status !== 'indexing') {
    if (current.status === 'pending' && !(await change({ status: 'uploaded', size: stored.size }))) {
      return { outcome: 'skipped', why: 'replaced or deleted meanwhile' };
    }
    if (!(await change({ status: 'indexing' }))) return { outcome: 'skipped', why: 'replaced or deleted meanwhile' };
  }

  let indexed;
  try {
    const bytes = await deps.store.read(object.key);
    indexed = await deps.indexer.index({
      roomId: ref.roomId,
      documentId: ref.documentId,
      version: ref.version,
      ...(current.agentId !== undefined ? { agentId: current.agentId } : {}),
      name: current.name,
      contentType: current.contentType,
      bytes,
    });
  } catch (error) {
    if (error instanceof DocumentUnreadableError) return fail(error.reason);
    if (object.lastAttempt) await fail(NOT_INDEXED_REASON);
    throw error;
  }

  const ready = await change({
    status: 'ready',
    indexed: { chunks: indexed.chunks, ...(indexed.pages !== undefined ? { pages: indexed.pages } : {}) },
  });
  if (!ready) {
    // Replaced or deleted while indexing: a deleted document's chunks must not outlive it.
    if (!(await deps.documents.getDocument(ref.roomId, ref.documentId))) await deps.indexer.remove(ref.roomId, ref.documentId);
    return { outcome: 'skipped', why: 'replaced or deleted meanwhile' };
  }
  await deps.indexer.remove(ref.roomId, ref.documentId, ref.version);
  return { outcome: 'ready', document: ready };
}
