import type { DeliveryReport } from '../../domain/delivery';
import { ValidationError } from '../../domain/errors';
import type { Clock, RoomRepository } from '../../domain/ports';
import type { RequestOf } from '../../domain/protocol';
import type { ReadStateRepository } from '../../domain/presence/ports';
import { isReadableMessageId, type ReadState } from '../../domain/presence/read-state';
import type { Identity } from '../../domain/types';
import { requireMembership } from '../access';
import { deliverToRecipients } from '../delivery/deliver-to-recipients';
import type { DeliverDeps } from '../delivery/deliver-to-room';

export interface MarkReadDeps extends DeliverDeps {
  readonly rooms: RoomRepository;
  readonly readStates: ReadStateRepository;
  readonly clock: Clock;
}

/**
 * Moves the caller's last-read mark in a room forward to `messageId` (never
 * back) and tells the caller's other connections with a `readState` frame,
 * so every tab and device shows the same unread count and divider. A mark
 * that would not move is acknowledged with the stored one, and nobody hears
 * of it. The message id must not be from the future (a mark never moves
 * back, so it would freeze the read state); whether it names a message of
 * the room is not checked: a wrong one only misplaces the caller's own mark.
 *
 * @param connectionId the caller's connection, which learns the outcome from the ack instead
 */
export async function markRead(
  deps: MarkReadDeps,
  identity: Identity,
  request: RequestOf<'markRead'>,
  connectionId: string,
): Promise<{ readState: ReadState; moved: boolean; delivery?: DeliveryReport }> {
  const now = deps.clock.now();
  if (!isReadableMessageId(request.messageId, now)) {
    throw new ValidationError('messageId: names a message from the future.');
  }
  await requireMembership(deps.rooms, request.roomId, identity.userId);
  const { moved, state } = await deps.readStates.markRead(identity.userId, {
    roomId: request.roomId,
    messageId: request.messageId,
    readAt: new Date(now).toISOString(),
  });
  if (!moved) return { readState: state, moved };
  const mine = await deps.connections.listUserConnections(identity.userId);
  const delivery = await deliverToRecipients(
    deps,
    mine.filter((c) => c.connectionId !== connectionId),
    { type: 'readState', roomId: state.roomId, messageId: state.messageId, readAt: state.readAt },
  );
  return { readState: state, moved, delivery };
}
