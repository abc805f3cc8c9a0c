import type { ModeratedMessage } from '../message';

/**
 * Held for review: quarantined and not hidden. A moderator's review ends
 * it: releasing, deleting or hiding the message takes it out of the queue
 * (unhiding a quarantined message puts it back).
 */
export const isHeld = (message: Pick<ModeratedMessage, 'moderation' | 'hidden'>): boolean =>
  message.moderation === 'quarantined' && message.hidden === undefined;
