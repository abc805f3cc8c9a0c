import { admitGcra, type RateLimit } from '../rate-limit';

/**
 * Presence: a member is online while they have at least one live
 * connection. Parley keeps, per user, a count of live connections and the
 * state it last announced to the user's rooms (docs/architecture.md,
 * "Presence"). A change is announced only when the count crosses zero in a
 * way that differs from what the rooms last heard, and at most as often as
 * PRESENCE_ANNOUNCEMENTS allows, so a second tab announces nothing and a
 * flapping connection cannot flood the user's rooms.
 */
export interface PresenceState {
  readonly userId: string;
  /** Live connections counted: +1 on $connect, -1 on $disconnect. */
  readonly connections: number;
  /** Bumped by every change of `connections`; an announcement is claimed against it. */
  readonly version: number;
  /** What the user's rooms last heard; false when they never heard anything. */
  readonly announced: boolean;
  /** GCRA state of the announcement limit (ms), absent before the first announcement. */
  readonly tat?: number;
  /**
   * When the count stops being trusted (epoch ms): the connections' own
   * lifetime, renewed by each $connect. A count kept up by a $disconnect that
   * never came is forgotten then.
   */
  readonly expiresAtMs: number;
}

/**
 * How often a user's presence may change in the eyes of their rooms: four
 * changes at once, then one every 15 seconds. A change over the limit is
 * not announced; the next change compares against what was announced.
 */
export const PRESENCE_ANNOUNCEMENTS: RateLimit = { perSecond: 1 / 15, burst: 4 };

/** Whether the count says the user is online at `nowMs`; an expired count says offline. */
export const isOnline = (state: Pick<PresenceState, 'connections' | 'expiresAtMs'> | undefined, nowMs: number): boolean =>
  state !== undefined && state.connections > 0 && state.expiresAtMs > nowMs;

/** What to do after a change of the count: nothing, hold it (over the limit), or announce it. */
export type PresenceDecision =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'held'; readonly online: boolean }
  | { readonly kind: 'announce'; readonly online: boolean; readonly tat: number };

/**
 * Decides whether a change of the count is announced.
 *
 * @example
 * decidePresence({ ...state, connections: 1, announced: false }, now); // { kind: 'announce', online: true, tat }
 * decidePresence({ ...state, connections: 2, announced: true }, now);  // { kind: 'unchanged' }: a second tab
 */
export function decidePresence(state: PresenceState, nowMs: number, limit: RateLimit = PRESENCE_ANNOUNCEMENTS): PresenceDecision {
  const online = isOnline(state, nowMs);
  if (online === state.announced) return { kind: 'unchanged' };
  const admitted = admitGcra(state.tat, nowMs, limit);
  if (!admitted.allowed || admitted.tat === undefined) return { kind: 'held', online };
  return { kind: 'announce', online, tat: admitted.tat };
}
