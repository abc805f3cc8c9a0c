import { ValidationError } from '../domain/errors';
import { fitPage } from '../domain/frame-budget';
import { isMessageId } from '../domain/ids';
import { canSee, viewerOf, type ModeratedMessage, type Viewer } from '../domain/message';
import type { MessageRepository, RoomRepository } from '../domain/ports';
import type { RequestOf } from '../domain/protocol';
import type { Identity, Page } from '../domain/types';
import { requireLiveRoom, requireMembership } from './access';

export interface GetHistoryDeps {
  readonly rooms: RoomRepository;
  readonly messages: MessageRepository;
}

/**
 * A page of a room's history in chronological order. `backward` (the
 * default) starts at the newest message and its cursor leads to older ones;
 * `forward` starts after the cursor (a message id) and leads to newer ones,
 * which is how a reconnecting client catches up. Cursors are message keys, so
 * pages stay stable while new messages arrive.
 *
 * Moderation decides what each caller sees: pending messages only their
 * sender; quarantined, blocked and hidden ones only their sender and the
 * room's moderators, flagged by their `moderation` and `hidden` fields. A
 * page may hold fewer messages than `limit` when some are withheld; its
 * cursor still leads on. `limit` is a maximum: a page also stops before its
 * messages would take more than PAGE_BUDGET_BYTES, so the answer fits in one
 * WebSocket message, and its cursor continues after the last message kept.
 */
export async function getHistory(
  deps: GetHistoryDeps,
  identity: Identity,
  request: RequestOf<'getHistory'>,
): Promise<Page<ModeratedMessage>> {
  if (request.cursor !== undefined && !isMessageId(request.cursor)) {
    throw new ValidationError('The cursor is not one Parley issued.');
  }
  const viewer = viewerOf(await requireMembership(deps.rooms, request.roomId, identity.userId));
  return pageFor(deps, viewer, request);
}

/**
 * A page of history for an API key with the `read` scope (the HTTP API):
 * the same pages and cursors as a member's, seen as a member who is not a
 * moderator sees them, plus the key's own withheld messages. The edge has
 * checked that the key belongs to this room; the room must still be live.
 */
export async function getHistoryForKey(
  deps: GetHistoryDeps,
  keyId: string,
  request: RequestOf<'getHistory'>,
): Promise<Page<ModeratedMessage>> {
  if (request.cursor !== undefined && !isMessageId(request.cursor)) {
    throw new ValidationError('The cursor is not one Parley issued.');
  }
  await requireLiveRoom(deps.rooms, request.roomId);
  return pageFor(deps, { userId: keyId, moderator: false }, request);
}

async function pageFor(deps: GetHistoryDeps, viewer: Viewer, request: RequestOf<'getHistory'>): Promise<Page<ModeratedMessage>> {
  const page = await deps.messages.getHistory(request.roomId, {
    limit: request.limit,
    direction: request.direction,
    ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
  });
  const visible = page.items.filter((message) => canSee(message, viewer));
  // Cut in reading order (newest first when paging backward), so the next
  // page starts right after the last message kept, in either direction.
  const reading = request.direction === 'backward' ? visible.reverse() : visible;
  const fitted = fitPage({ ...page, items: reading }, (message) => message.messageId);
  return { ...fitted, items: request.direction === 'backward' ? fitted.items.reverse() : fitted.items };
}
