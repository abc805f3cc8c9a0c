import { ValidationError } from '../../domain/errors';
import { fitPage } from '../../domain/frame-budget';
import { isMessageId } from '../../domain/ids';
import type { ModeratedMessage } from '../../domain/message';
import { assertCanModerate } from '../../domain/moderation/permissions';
import type { HeldMessageReader } from '../../domain/moderation/ports';
import type { ModerationRequestOf } from '../../domain/moderation/requests';
import type { RoomRepository } from '../../domain/ports';
import type { Identity, Page } from '../../domain/types';
import { requireMembership } from '../access';

export interface ListHeldMessagesDeps {
  readonly rooms: RoomRepository;
  readonly held: HeldMessageReader;
}

/**
 * The room's review queue for its owner and moderators: every message held
 * for review (quarantined), oldest first, however far back in the history.
 * It reads the held messages alone, never the history around them. A page
 * holds at most `limit` messages and no more than fit in one WebSocket
 * message; `nextCursor` (a message id) continues after the last one kept.
 * The cursor is checked before anything is read, so a forged one costs nothing.
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
  const page = await deps.held.heldPage(request.roomId, {
    limit: request.limit,
    ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
  });
  return { roomId: request.roomId, ...fitPage(page, (message) => message.messageId) };
}
