import type { Identity } from '../../domain/types';
import { announcePresence, type PresenceDeps, type PresenceOutcome } from './announce-presence';

/**
 * Uncounts a closed connection and, when it was the user's last, tells
 * their rooms they are offline. A connection the count does not hold
 * (counted before the count restarted, or never counted) changes nothing.
 */
export async function goOffline(
  deps: PresenceDeps,
  identity: Identity,
  connectedAtMs: number,
): Promise<PresenceOutcome | undefined> {
  const state = await deps.presence.uncountConnection(identity.userId, connectedAtMs);
  if (state === undefined) return undefined;
  return announcePresence(deps, state);
}
