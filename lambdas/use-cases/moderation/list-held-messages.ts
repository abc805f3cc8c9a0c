import { ValidationError } from '../../domain/errors';
import { fitPage } from '../../domain/frame-budget';
import { isMessageId } from '../../domain/ids';
import type { ModeratedMessage } from '../../domain/message';
import { isHeld } from '../../domain/moderation/held';
import { assertCanModerate } from '../../domain/moderation/permissions';
import type { HeldMarker, HeldQueue, ModeratedMessageStore } from '../../domain/moderation/ports';
import type { ModerationRequestOf } from '../../domain/moderation/requests';
import type { RoomRepository } from '../../domain/ports';
import type { Identity, Page } from '../../domain/types';
import { requireMembership } from '../access';

export interface ListHeldMessagesDeps {
  readonly rooms: RoomRepository;
  readonly held: HeldQueue;
  readonly messages: Pick<ModeratedMessageStore, 'getMany'>;
}

/**
 * The room's review queue for its owner and moderators: every message held
 * for review (quarantined and not hidden), oldest first, however far back
 * in the history. It reads one page of the queue's markers and the messages
 * they name, never the history around them. A marker whose message is no
 * longer held (its removal follows the message's change a moment later, or
 * failed) is left out and removed, unless it was written again since it was
 * read (the message held again). A page holds at most `limit` messages
 * and no more than fit in one WebSocket message; `nextCursor` (a message
 * id) continues after the last one read or kept. The cursor is checked
 * before anything is read, so a forged one costs nothing.
 */
export async function listHeldMessages(
  deps: ListHeldMessagesDeps,
  identity: Identity,
  request: ModerationRequestOf<'listHeldMessages'>,
): Promise<Page<ModeratedMessage> & { roomId: string }> {
  if (request.cursor !== undefined && !isMessageId(request.cursor)) {
    throw new ValidationError('The cursor is not one Parley issued.');
  }
  assertCanModerate(await requireMembership(deps.rooms, request.roomId, identity.userId));
  const markers = await deps.held.page(request.roomId, {
    limit: request.limit,
    ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
  });
  const ids = markers.items.map((marker) => marker.messageId);
  const found = new Map(
    (ids.length > 0 ? await deps.messages.getMany(request.roomId, ids) : []).map((message) => [message.messageId, message]),
  );
  const items: ModeratedMessage[] = [];
  const stale: HeldMarker[] = [];
  for (const marker of markers.items) {
    const message = found.get(marker.messageId);
    if (message && isHeld(message)) items.push(message);
    else stale.push(marker);
  }
  // Only the marker as read: a message held again since it was read (an unhide) keeps the one its change wrote.
  await Promise.all(stale.map((marker) => deps.held.dropIfUnchanged(marker)));
  const page: Page<ModeratedMessage> = {
    items,
    ...(markers.nextCursor !== undefined ? { nextCursor: markers.nextCursor } : {}),
  };
  return { roomId: request.roomId, ...fitPage(page, (message) => message.messageId) };
}
