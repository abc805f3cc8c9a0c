import type { ModeratedMessage } from '../../domain/message';
import { isHeld } from '../../domain/moderation/held';
import type { HeldQueue } from '../../domain/moderation/ports';

export interface TrackHeldMessageDeps {
  readonly held: HeldQueue;
}

/** One change of a message, as its table's stream tells it. */
export interface HeldChange {
  /** The message before the change; absent for a new one. */
  readonly before?: ModeratedMessage | undefined;
  /** The message after the change; absent once it is removed (deleted, expired, purged). */
  readonly after?: ModeratedMessage | undefined;
  /** The message's expiry after the change (epoch seconds), which its marker takes. */
  readonly expiresAt?: number | undefined;
}

export type HeldOutcome = 'held' | 'dropped' | 'unchanged';

/**
 * Keeps a room's review queue in step with one change of a message: a
 * message held after the change gets its marker (with the message's
 * expiry, rewritten when a purge or a retention change moves it), a
 * message held before and no longer (released, hidden, deleted, expired)
 * loses it. Both writes are idempotent, so a redelivered change, or one
 * seen twice, leaves the same queue.
 *
 * @example
 * // The moderation consumer, for each record of the messages stream:
 * await trackHeldMessage({ held }, { before, after, expiresAt });
 */
export async function trackHeldMessage(deps: TrackHeldMessageDeps, change: HeldChange): Promise<HeldOutcome> {
  const { before, after } = change;
  if (after && isHeld(after)) {
    await deps.held.hold({
      roomId: after.roomId,
      messageId: after.messageId,
      ...(change.expiresAt !== undefined ? { expiresAt: change.expiresAt } : {}),
    });
    return 'held';
  }
  // Quarantined before (held, or hidden while held): whatever it is now, it has no place in the queue.
  if (before?.moderation === 'quarantined') {
    await deps.held.drop(before.roomId, before.messageId);
    return 'dropped';
  }
  return 'unchanged';
}
