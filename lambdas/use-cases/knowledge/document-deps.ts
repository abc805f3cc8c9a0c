import type { AgentRepository } from '../../domain/agents/ports';
import type { AuditLog } from '../../domain/audit';
import { PermissionError } from '../../domain/errors';
import type { DocumentRepository, DocumentStore } from '../../domain/knowledge/document-ports';
import { documentStatusFrame, type RoomDocument } from '../../domain/knowledge/documents';
import type { DocumentIndexer, DocumentPassages } from '../../domain/knowledge/indexing';
import { isModeratorRole } from '../../domain/message';
import type { Clock, RoomRepository } from '../../domain/ports';
import type { Frame } from '../../domain/protocol';
import type { Identity, Membership } from '../../domain/types';
import { requireLiveRoom, requireMembership } from '../access';
import { deliverToViewers, type DeliverToViewersDeps } from '../delivery/deliver-to-viewers';

/** What the documents' use cases share. */
export interface DocumentDeps extends DeliverToViewersDeps {
  readonly rooms: RoomRepository;
  readonly documents: DocumentRepository;
  readonly store: DocumentStore;
  readonly clock: Clock;
}

/** What the socket actions add: agents (to check an upload's agent), audit, ids, the link lifetime, the index and its passages. */
export interface DocumentActionDeps extends DocumentDeps {
  readonly agents: Pick<AgentRepository, 'getAgent'>;
  readonly audit: AuditLog;
  readonly nextId: (nowMs: number) => string;
  /** How long an upload link works, in seconds. */
  readonly uploadSeconds: number;
  readonly indexer: Pick<DocumentIndexer, 'remove'>;
  /** The index's passages, which citations open. */
  readonly passages: DocumentPassages;
}

/** The caller's membership of a live room, if they own or moderate it; PermissionError otherwise. */
export async function requireDocumentManager(rooms: RoomRepository, roomId: string, identity: Identity): Promise<Membership> {
  await requireLiveRoom(rooms, roomId);
  const membership = await requireMembership(rooms, roomId, identity.userId);
  if (!isModeratorRole(membership.role)) {
    throw new PermissionError('Only the room’s owner and moderators can manage its documents.');
  }
  return membership;
}

/**
 * Tells the room's owners and moderators, on every connection they have
 * open in the room, that a document changed: one keyed query for the
 * connections, one for the members' roles.
 */
export async function notifyDocumentManagers(deps: DeliverToViewersDeps, roomId: string, frame: Frame): Promise<void> {
  await deliverToViewers(deps, roomId, {
    frames: { managers: frame },
    audienceOf: (viewer) => (viewer.moderator ? 'managers' : undefined),
    needsModerators: true,
  });
}

/** Tells the room's managers a document's new status. */
export const notifyDocumentStatus = (deps: DeliverToViewersDeps, document: RoomDocument): Promise<void> =>
  notifyDocumentManagers(deps, document.roomId, documentStatusFrame(document));
