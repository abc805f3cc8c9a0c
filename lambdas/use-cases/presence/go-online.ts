import type { Identity } from '../../domain/types';
import { announcePresence, type PresenceDeps, type PresenceOutcome } from './announce-presence';

/**
 * Counts a connection that $connect accepted and, when it is the user's
 * first, tells their rooms they are online. The new connection itself hears
 * nothing: API Gateway delivers nothing to it before $connect returns.
 * `roomIds`, when $connect has just read them, saves reading them again.
 */
export async function goOnline(
  deps: PresenceDeps,
  identity: Identity,
  connectedAtMs: number,
  roomIds?: readonly string[],
): Promise<PresenceOutcome> {
  const state = await deps.presence.countConnection(identity.userId, connectedAtMs, deps.clock.now());
  return announcePresence(deps, state, roomIds);
}
