import type { DocumentRepository, DocumentStore } from '../../domain/knowledge/document-ports';
import { roomDocumentsPrefix } from '../../domain/knowledge/documents';
import type { DocumentIndexer } from '../../domain/knowledge/indexing';

export interface RemoveRoomDocumentsDeps {
  readonly documents: Pick<DocumentRepository, 'listDocuments' | 'deleteDocument'>;
  readonly store: Pick<DocumentStore, 'deleteUnder'>;
  readonly indexer: Pick<DocumentIndexer, 'remove'>;
}

/**
 * A deleted room's documents, removed for good: every object under the
 * room's prefix, then each document's chunks (through the index's port) and
 * its record. Each step succeeds when what it removes is gone already, so a
 * purge job run twice is harmless. A room has at most MAX_DOCUMENTS_PER_ROOM
 * documents: one job removes them all.
 */
export async function removeRoomDocuments(deps: RemoveRoomDocumentsDeps, roomId: string): Promise<number> {
  await deps.store.deleteUnder(roomDocumentsPrefix(roomId));
  const documents = await deps.documents.listDocuments(roomId);
  for (const document of documents) {
    await deps.indexer.remove(roomId, document.documentId);
    await deps.documents.deleteDocument(roomId, document.documentId);
  }
  return documents.length;
}
