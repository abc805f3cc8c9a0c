import type { AuditLogReader, AuditRecord } from '../../domain/audit';
import { auditCursor } from '../../domain/cursors';
import { fitPage } from '../../domain/frame-budget';
import { assertCanReadAudit } from '../../domain/moderation/permissions';
import type { ModerationRequestOf } from '../../domain/moderation/requests';
import type { RoomRepository } from '../../domain/ports';
import type { Identity, Page } from '../../domain/types';
import { requireMembership } from '../access';

/**
 * A page of a room's audit trail, newest first, for its owner and
 * moderators: at most `limit` entries and no more than fit in one WebSocket
 * message; `nextCursor` continues after the last entry of the page.
 * `kinds` and `actorId` filter on the server: the page reads `limit` entries
 * and keeps those that pass, so it may be short (even empty) while
 * `nextCursor` leads on to older entries.
 */
export async function getAuditLog(
  deps: { readonly rooms: RoomRepository; readonly auditLog: AuditLogReader },
  identity: Identity,
  request: ModerationRequestOf<'getAuditLog'>,
): Promise<Page<AuditRecord> & { roomId: string }> {
  assertCanReadAudit(await requireMembership(deps.rooms, request.roomId, identity.userId));
  const page = await deps.auditLog.page(request.roomId, {
    limit: request.limit,
    ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
    ...(request.kinds !== undefined || request.actorId !== undefined
      ? {
          filter: {
            ...(request.kinds !== undefined ? { kinds: request.kinds } : {}),
            ...(request.actorId !== undefined ? { actorId: request.actorId } : {}),
          },
        }
      : {}),
  });
  return { roomId: request.roomId, ...fitPage(page, auditCursor) };
}
