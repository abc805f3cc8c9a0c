import { ParleyError } from './errors';

/** A rate limit: `perSecond` sustained, at most `burst` at once. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/**
 * The numbers one GCRA (generic cell rate algorithm) decision needs at
 * `nowMs`. The state is a single number, the theoretical arrival time (TAT):
 * when the key would be idle again at the sustained rate. A request is
 * admitted while the TAT is no further ahead of now than `burst - 1`
 * intervals, and admitting it pushes the TAT one interval further.
 */
export interface GcraPlan {
  /** Milliseconds between two requests at the sustained rate. */
  readonly intervalMs: number;
  /** The TAT to store when the key is idle (no TAT, or a TAT in the past). */
  readonly idleTat: number;
  /** The furthest stored TAT that still admits a request now. */
  readonly latestAdmissibleTat: number;
  /**
   * When the state may be forgotten, in epoch seconds: a little after the
   * furthest TAT an admitted request can leave, when the key is idle again.
   */
  readonly expiresAt: number;
}

/** How long the state outlives the furthest TAT, so TTL never forgets a live limit. */
const EXPIRY_SLACK_SECONDS = 60;

/** Throws unless the limit is usable: a positive rate and a burst of at least one. */
export function assertValidRateLimit(limit: RateLimit): void {
  if (!Number.isFinite(limit.perSecond) || limit.perSecond <= 0) {
    throw new ParleyError(`A rate limit needs a positive perSecond, got ${limit.perSecond}.`);
  }
  if (!Number.isInteger(limit.burst) || limit.burst < 1) {
    throw new ParleyError(`A rate limit needs an integer burst of at least 1, got ${limit.burst}.`);
  }
}

/**
 * The GCRA numbers for a decision at `nowMs`. The interval is rounded up to
 * a whole millisecond, so the sustained rate never exceeds `perSecond` and
 * the stored TAT stays an integer.
 */
export function planGcra(limit: RateLimit, nowMs: number): GcraPlan {
  assertValidRateLimit(limit);
  const intervalMs = Math.ceil(1000 / limit.perSecond);
  return {
    intervalMs,
    idleTat: nowMs + intervalMs,
    latestAdmissibleTat: nowMs + (limit.burst - 1) * intervalMs,
    expiresAt: Math.ceil((nowMs + limit.burst * intervalMs) / 1000) + EXPIRY_SLACK_SECONDS,
  };
}

/**
 * One GCRA decision in memory: whether a request at `nowMs` is admitted
 * given the stored `tat`, and the TAT to store afterwards.
 *
 * @example
 * const limit = { perSecond: 1, burst: 2 };
 * admitGcra(undefined, 0, limit); // { allowed: true, tat: 1000 }
 * admitGcra(1000, 0, limit);      // { allowed: true, tat: 2000 }
 * admitGcra(2000, 0, limit);      // { allowed: false, tat: 2000 }
 */
export function admitGcra(
  tat: number | undefined,
  nowMs: number,
  limit: RateLimit,
): { allowed: boolean; tat: number | undefined } {
  const plan = planGcra(limit, nowMs);
  if (tat === undefined || tat < nowMs) return { allowed: true, tat: plan.idleTat };
  if (tat <= plan.latestAdmissibleTat) return { allowed: true, tat: tat + plan.intervalMs };
  return { allowed: false, tat };
}
