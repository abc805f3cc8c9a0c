import { memberCursor } from '../domain/cursors';
import { fitPage } from '../domain/frame-budget';
import type { RoomRepository } from '../domain/ports';
import type { RequestOf } from '../domain/protocol';
import type { Identity, Membership } from '../domain/types';
import { requireMembership } from './access';

/**
 * A page of the members of a room the caller belongs to, with their roles,
 * in user id order: at most `limit`, and no more than fit in one WebSocket
 * message. `nextCursor`, when present, continues after the last member.
 */
export async function listMembers(
  deps: { readonly rooms: RoomRepository },
  identity: Identity,
  request: RequestOf<'listMembers'>,
): Promise<{ members: Membership[]; nextCursor?: string }> {
  await requireMembership(deps.rooms, request.roomId, identity.userId);
  const page = await deps.rooms.pageMembers(request.roomId, {
    limit: request.limit,
    ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
  });
  const { items, nextCursor } = fitPage(page, memberCursor);
  return { members: items, ...(nextCursor !== undefined ? { nextCursor } : {}) };
}
