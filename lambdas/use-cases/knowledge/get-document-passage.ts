import { NotFoundError } from '../../domain/errors';
import type { DocumentRepository } from '../../domain/knowledge/document-ports';
import type { DocumentPassages } from '../../domain/knowledge/indexing';
import type { DocumentRequestOf } from '../../domain/knowledge/protocol';
import { servedVersion } from '../../domain/knowledge/visibility';
import type { RoomRepository } from '../../domain/ports';
import type { Identity } from '../../domain/types';
import { requireMembership } from '../access';

export interface GetDocumentPassageDeps {
  readonly rooms: RoomRepository;
  readonly documents: Pick<DocumentRepository, 'getDocument'>;
  readonly passages: DocumentPassages;
}

/** What a citation opens: the passage and where it comes from. */
export interface DocumentPassageView {
  readonly roomId: string;
  readonly documentId: string;
  readonly version: number;
  readonly chunk: number;
  /** The document's current name. */
  readonly name: string;
  readonly section: string;
  readonly page?: number;
  readonly text: string;
}

/**
 * The passage a reply's citation points at, for a member of the room. The
 * membership is checked before anything of the document is read, so a
 * non-member learns nothing of it (not even whether it exists). Only the
 * document's served version (its indexed one, not while it is deleted) is
 * opened: a citation of a deleted document, of a version since replaced, or
 * of a chunk past the version's end is NOT_FOUND. The chunk is read through
 * the index's port; the record, read first, is the authority on which
 * version is current, since an older version's chunks may still be on their
 * way out.
 *
 * Every member may open any passage of the room's documents, also of a
 * document that belongs to one agent: members see that agent's replies and
 * the documents' list already.
 */
export async function getDocumentPassage(
  deps: GetDocumentPassageDeps,
  identity: Identity,
  request: DocumentRequestOf<'getDocumentPassage'>,
): Promise<DocumentPassageView> {
  await requireMembership(deps.rooms, request.roomId, identity.userId);
  const gone = () => new NotFoundError('That passage is no longer available: its document was deleted or replaced.');
  const document = await deps.documents.getDocument(request.roomId, request.documentId);
  if (!document || servedVersion(document) !== request.version) throw gone();
  const passage = await deps.passages.passage(request.roomId, request.documentId, request.version, request.chunk);
  if (!passage) throw gone();
  return {
    roomId: request.roomId,
    documentId: request.documentId,
    version: request.version,
    chunk: request.chunk,
    name: document.name,
    section: passage.section,
    ...(passage.page !== undefined ? { page: passage.page } : {}),
    text: passage.text,
  };
}
