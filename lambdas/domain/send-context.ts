import type { RoomModeration } from './moderation/ports';
import type { Membership } from './types';

/**
 * What sendMessage must know about a room and its sender before it writes:
 * the sender's membership (undefined when they have none) and the room's
 * moderation settings with its agents flag. Both live beside the room, so
 * one request reads them together.
 */
export interface SendContext {
  readonly membership?: Membership;
  readonly moderation: RoomModeration;
}

/** Reads a SendContext, consistently: a role change, a removal or a settings change is seen at once. */
export interface SendContextReader {
  read(roomId: string, userId: string): Promise<SendContext>;
}
