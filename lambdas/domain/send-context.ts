import type { RoomModeration } from './moderation/ports';
import type { RoomRetention } from './retention/policy';
import type { Membership } from './types';

/**
 * What sendMessage must know about a room and its sender before it writes:
 * the sender's membership (undefined when they have none), the room's
 * moderation settings with its agents flag and, when asked, its retention
 * policy. All live beside the room, so one request reads them together.
 */
export interface SendContext {
  readonly membership?: Membership;
  readonly moderation: RoomModeration;
  /** Present when asked for: the room's stored retention policy (`policy` absent: the default applies). */
  readonly retention?: { readonly policy?: RoomRetention };
}

/** Reads a SendContext, consistently: a role change, a removal or a settings change is seen at once. */
export interface SendContextReader {
  /**
   * `withRetention` adds the room's retention policy item to the same
   * request, for an instance that does not hold the policy already.
   */
  read(roomId: string, userId: string, options?: { readonly withRetention?: boolean }): Promise<SendContext>;
}
