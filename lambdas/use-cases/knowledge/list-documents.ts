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
  readonly documents: DocumentView[];
  /** True when the list was cut to fit one frame (never with MAX_DOCUMENTS_PER_ROOM and its name limit). */
  readonly truncated: boolean;
}

/**
 * A room's documents with their status, for any member: names, types,
 * versions and statuses are what agents of the room answer from, so members
 * may know them. A failure's reason is for owners and moderators only: it
 * may describe what is inside the file.
 */
export async function listDocuments(
  deps: Pick<DocumentDeps, 'documents'> & { readonly rooms: RoomRepository },
  identity: Identity,
  request: DocumentRequestOf<'listDocuments'>,
): Promise<DocumentList> {
  const membership = await requireMembership(deps.rooms, request.roomId, identity.userId);
  const moderator = isModeratorRole(membership.role);
  const documents = (await deps.documents.listDocuments(request.roomId)).map((d) => viewOf(d, moderator));
  const fitted = fitToBudget(documents);
  return { roomId: request.roomId, documents: fitted.items, truncated: fitted.cut };
}
