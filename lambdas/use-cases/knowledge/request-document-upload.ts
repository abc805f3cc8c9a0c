import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import type { UploadForm } from '../../domain/knowledge/document-ports';
import {
  assertDocumentSize,
  documentName,
  documentObjectKey,
  isKnowledgeContentType,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENTS_PER_ROOM,
  viewOf,
  type DocumentView,
  type RoomDocument,
} from '../../domain/knowledge/documents';
import { KNOWLEDGE_CONTENT_TYPES } from '../../domain/knowledge/indexing';
import type { DocumentRequestOf } from '../../domain/knowledge/protocol';
import type { Identity } from '../../domain/types';
import { notifyDocumentStatus, requireDocumentManager, type DocumentActionDeps } from './document-deps';

export interface DocumentUpload {
  readonly document: DocumentView;
  /** POST it as multipart/form-data: every field, then the file under `file`, last. */
  readonly upload: UploadForm & { readonly expiresAt: string; readonly maxBytes: number };
}

/**
 * Grants an owner or moderator one upload: a new document, or, given
 * `documentId`, the next version of an existing one (its indexed version
 * stays searchable until the new one is ready). Checks everything before
 * writing: the name, type and size rules (documents.ts), the agent, the
 * room's document count; then writes the record `pending`, audits the grant
 * and returns a presigned POST that lets S3 itself refuse any other type or
 * size. The object's arrival starts ingestion.
 *
 * @example
 * const { upload } = await requestDocumentUpload(deps, identity, {
 *   roomId, name: 'Handbook.pdf', contentType: 'application/pdf', size: 182_113,
 * });
 * // POST upload.fields + file to upload.url
 */
export async function requestDocumentUpload(
  deps: DocumentActionDeps,
  identity: Identity,
  request: DocumentRequestOf<'requestDocumentUpload'>,
): Promise<DocumentUpload> {
  const name = documentName(request.name);
  const { contentType } = request;
  if (!isKnowledgeContentType(contentType)) {
    throw new ValidationError(`A document is one of ${KNOWLEDGE_CONTENT_TYPES.join(', ')}; not "${contentType.slice(0, 64)}".`);
  }
  assertDocumentSize(request.size);
  await requireDocumentManager(deps.rooms, request.roomId, identity);
  if (request.agentId !== undefined && !(await deps.agents.getAgent(request.roomId, request.agentId))) {
    throw new NotFoundError(`The room has no agent "${request.agentId.slice(0, 64)}".`);
  }

  const now = deps.clock.now();
  const at = new Date(now).toISOString();
  let previous: RoomDocument | undefined;
  if (request.documentId !== undefined) {
    previous = await deps.documents.getDocument(request.roomId, request.documentId);
    if (!previous) throw new NotFoundError(`The room has no document "${request.documentId}".`);
  } else if ((await deps.documents.listDocuments(request.roomId)).length >= MAX_DOCUMENTS_PER_ROOM) {
    throw new ConflictError(`A room holds at most ${MAX_DOCUMENTS_PER_ROOM} documents; delete one first.`);
  }

  const version = (previous?.version ?? 0) + 1;
  const agentId = request.agentId ?? previous?.agentId;
  const document: RoomDocument = {
    roomId: request.roomId,
    documentId: previous?.documentId ?? deps.nextId(now),
    name,
    contentType,
    size: request.size,
    ...(agentId !== undefined ? { agentId } : {}),
    version,
    status: 'pending',
    ...(previous?.indexedVersion !== undefined
      ? { indexedVersion: previous.indexedVersion, ...(previous.chunks !== undefined ? { chunks: previous.chunks } : {}), ...(previous.pages !== undefined ? { pages: previous.pages } : {}) }
      : {}),
    uploadedBy: identity.userId,
    uploadedAt: at,
    updatedAt: at,
  };
  // Signed before anything is written (signing needs no request): a failure leaves no record without a link.
  const form = await deps.store.uploadForm(
    documentObjectKey(document.roomId, document.documentId, version),
    contentType,
    MAX_DOCUMENT_BYTES,
    deps.uploadSeconds,
  );
  // Conditional on the version read: two replacements at once cannot both take version + 1.
  await deps.documents.putPending(document, previous?.version);
  await deps.audit.record({
    roomId: document.roomId,
    idempotencyKey: `document:${document.documentId}:v${version}:requested`,
    occurredAt: at,
    actor: { type: 'user', id: identity.userId },
    action: 'document.uploadRequested',
    target: { type: 'document', id: document.documentId },
    details: { version, contentType, size: request.size, ...(agentId !== undefined ? { agentId } : {}) },
  });
  await notifyDocumentStatus(deps, document);
  return {
    document: viewOf(document, true),
    upload: { ...form, expiresAt: new Date(now + deps.uploadSeconds * 1000).toISOString(), maxBytes: MAX_DOCUMENT_BYTES },
  };
}
