import { fitToBudget } from '../../domain/frame-budget';
import { viewOf, type DocumentView } from '../../domain/knowledge/documents';
import type { DocumentRequestOf } from '../../domain/knowledge/protocol';
import { isModeratorRole } from '../../domain/message';
import type { RoomRepository } from '../../domain/ports';
import type { Identity } from '../../domain/types';
import { requireMembership } from '../access';
import type { DocumentDeps } from './document-deps';

export interface DocumentList {
  readonly roomId: string;
  /** In id order, which is upload order. */
  readonly documents: DocumentView[];
  /** Present when more documents follow: send it back as `cursor` (a page stops at its byte budget). */
  readonly nextCursor?: string;
}

/**
 * A room's documents with their status, for any member: names, types,
 * versions and statuses are what agents of the room answer from, so members
 * may know them. A failure's reason is for owners and moderators only: it
 * may describe what is inside the file.
 *
 * A room holds at most MAX_DOCUMENTS_PER_ROOM documents, read in one Query;
 * the answer is cut to the page budget (frame-budget.ts) and goes on from
 * `cursor`, the last document id of the previous page.
 */
export async function listDocuments(
  deps: Pick<DocumentDeps, 'documents'> & { readonly rooms: RoomRepository },
  identity: Identity,
  request: DocumentRequestOf<'listDocuments'>,
): Promise<DocumentList> {
  const membership = await requireMembership(deps.rooms, request.roomId, identity.userId);
  const moderator = isModeratorRole(membership.role);
  const after = request.cursor;
  const documents = (await deps.documents.listDocuments(request.roomId))
    .filter((d) => after === undefined || d.documentId > after)
    .map((d) => viewOf(d, moderator));
  // A room's documents are one Query; long names and reasons may still not fit one answer.
  const fitted = fitToBudget(documents);
  return {
    roomId: request.roomId,
    documents: fitted.items,
    ...(fitted.cut ? { nextCursor: fitted.items.at(-1)!.documentId } : {}),
  };
}
