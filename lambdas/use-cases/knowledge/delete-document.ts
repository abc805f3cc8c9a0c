import { NotFoundError } from '../../domain/errors';
import { documentObjectPrefix } from '../../domain/knowledge/documents';
import type { DocumentRequestOf } from '../../domain/knowledge/protocol';
import type { Identity } from '../../domain/types';
import { notifyDocumentManagers, requireDocumentManager, type DocumentActionDeps } from './document-deps';

/**
 * Deletes a document for good, for an owner or moderator: every version's
 * object, every chunk and vector (through the index's port), then the record,
 * and audits it. The record goes last, so a failure part way leaves a record
 * the caller can delete again; each step succeeds when what it removes is
 * already gone. An upload still in flight may land after the deletion: its
 * event finds no record and ingestion skips it; the object stays until the
 * room's purge removes the room's documents.
 */
export async function deleteDocument(
  deps: DocumentActionDeps,
  identity: Identity,
  request: DocumentRequestOf<'deleteDocument'>,
): Promise<{ readonly roomId: string; readonly documentId: string; readonly objects: number }> {
  await requireDocumentManager(deps.rooms, request.roomId, identity);
  const document = await deps.documents.getDocument(request.roomId, request.documentId);
  if (!document) throw new NotFoundError(`The room has no document "${request.documentId}".`);

  const objects = await deps.store.deleteUnder(documentObjectPrefix(request.roomId, request.documentId));
  await deps.indexer.remove(request.roomId, request.documentId);
  await deps.documents.deleteDocument(request.roomId, request.documentId);
  const at = new Date(deps.clock.now()).toISOString();
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `document:${request.documentId}:deleted`,
    occurredAt: at,
    actor: { type: 'user', id: identity.userId },
    action: 'document.deleted',
    target: { type: 'document', id: request.documentId },
    details: { version: document.version, objects },
  });
  await notifyDocumentManagers(deps, request.roomId, { type: 'documentDeleted', roomId: request.roomId, documentId: request.documentId });
  return { roomId: request.roomId, documentId: request.documentId, objects };
}
