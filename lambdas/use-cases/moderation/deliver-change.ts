import type { DeliveryReport } from '../../domain/delivery';
import { canSee, isPublic, type ModeratedMessage, type Viewer } from '../../domain/message';
import type { Frame } from '../../domain/protocol';
import { deliverToViewers, type DeliverToViewersDeps } from '../delivery/deliver-to-viewers';

export type DeliverChangeDeps = DeliverToViewersDeps;

/** The message before the change, or who had it: `everyone` for a message already announced to the room. */
export type Before = ModeratedMessage | 'everyone' | undefined;

type Audience = 'message' | 'messageUpdated' | 'messageRemoved';

/**
 * Tells each live connection of a room about a change to a message, as its
 * user may see it: `message` to those who see it for the first time,
 * `messageUpdated` to those who saw it before and still may, and
 * `messageRemoved` to those who saw it before and no longer may. Users who
 * never could and still cannot see it hear nothing, so a quarantined message
 * never reaches a plain member at all.
 *
 * One keyed query lists the room's connections; the room's moderators are
 * read only when the message is withheld before or after the change (see
 * deliverToViewers).
 */
export async function deliverChange(
  deps: DeliverChangeDeps,
  before: Before,
  after: ModeratedMessage | undefined,
  roomId: string,
  messageId: string,
): Promise<DeliveryReport> {
  // Who sees a pending message does not depend on roles; a withheld one does.
  const withheld = (m: ModeratedMessage) => m.moderation !== 'pending' && !isPublic(m);
  const removed: Frame = { type: 'messageRemoved', roomId, messageId };
  const frames: Partial<Record<Audience, Frame>> = after
    ? {
        message: { type: 'message', roomId, message: after },
        messageUpdated: { type: 'messageUpdated', roomId, message: after },
        messageRemoved: removed,
      }
    : { messageRemoved: removed };
  return deliverToViewers<Audience>(deps, roomId, {
    frames,
    audienceOf: (viewer: Viewer) => {
      const sawBefore = before === 'everyone' || (before !== undefined && canSee(before, viewer));
      const seesAfter = after !== undefined && canSee(after, viewer);
      if (seesAfter) return sawBefore ? 'messageUpdated' : 'message';
      return sawBefore ? 'messageRemoved' : undefined;
    },
    needsModerators:
      (before !== undefined && before !== 'everyone' && withheld(before)) || (after !== undefined && withheld(after)),
  });
}
