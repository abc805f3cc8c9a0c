import { memberCursor } from '../domain/cursors';
import { fitPage } from '../domain/frame-budget';
import type { Clock, RoomRepository } from '../domain/ports';
import type { PresenceRepository } from '../domain/presence/ports';
import type { RequestOf } from '../domain/protocol';
import type { Identity, Membership } from '../domain/types';
import { requireMembership } from './access';

/** A member as listMembers returns it: with whether they are online now. */
export interface ListedMember extends Membership {
  readonly online: boolean;
}

/**
 * A page of the members of a room the caller belongs to, with their roles
 * and whether each is online, in user id order: at most `limit`, and no
 * more than fit in one WebSocket message. `nextCursor`, when present,
 * continues after the last member. Presence costs one batched read of the
 * page's presence items (at most 100 keys).
 */
export async function listMembers(
  deps: { readonly rooms: RoomRepository; readonly presence: Pick<PresenceRepository, 'onlineUsers'>; readonly clock: Clock },
  identity: Identity,
  request: RequestOf<'listMembers'>,
): Promise<{ members: ListedMember[]; nextCursor?: string }> {
  await requireMembership(deps.rooms, request.roomId, identity.userId);
  const page = await deps.rooms.pageMembers(request.roomId, {
    limit: request.limit,
    ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
  });
  const online = await deps.presence.onlineUsers(
    page.items.map((m) => m.userId),
    deps.clock.now(),
  );
  const { items, nextCursor } = fitPage(
    {
      items: page.items.map((m) => ({ ...m, online: online.has(m.userId) })),
      ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
    },
    memberCursor,
  );
  return { members: items, ...(nextCursor !== undefined ? { nextCursor } : {}) };
}
