/**
 * What became of pushing one frame (or a few) to a set of live connections.
 * Pure data: the delivery use cases fill it, the functions that post log and
 * count it.
 */

/** A post refused for a reason other than the connection being gone. */
export interface PostFailure {
  readonly connectionId: string;
  /** The HTTP status of the refusal, when the request got an answer (403, 429, 500…). */
  readonly status?: number;
  /** The error's name, e.g. `ForbiddenException`; never its message. */
  readonly error: string;
}

export interface DeliveryReport {
  /** Connections a post was attempted to. */
  readonly recipients: number;
  readonly delivered: number;
  /** Stale connections found (410) and removed: expected, not a failure. */
  readonly gone: number;
  /** Posts that failed otherwise; the message stays in history for catch-up. */
  readonly failed: number;
  /**
   * The first MAX_REPORTED_FAILURES failures, so a large room where every
   * post fails still gives a small report; `failed` counts them all.
   */
  readonly failures: readonly PostFailure[];
}

export const MAX_REPORTED_FAILURES = 10;

/**
 * How long after it opened a connection may still be in its $connect.
 * API Gateway refuses posts to a connection (410, as if gone) until its
 * $connect returns, and gives $connect at most 29 s. A post refused within
 * this window says nothing about the connection: removing it then would
 * leave an open socket that never hears its rooms (two people connecting
 * at once, each announced to the other, did exactly that).
 */
export const CONNECT_WINDOW_MS = 30_000;

/** Connections opened before this instant may be removed when a post finds them gone. */
export const goneRemovalCutoff = (nowMs: number): string => new Date(nowMs - CONNECT_WINDOW_MS).toISOString();

/** The report of a delivery to nobody. */
export const NO_DELIVERY: DeliveryReport = { recipients: 0, delivered: 0, gone: 0, failed: 0, failures: [] };

/**
 * The deliveries of one piece of work (an agent's job posts many frames) as
 * one running report, still bounded.
 */
export class DeliveryTally {
  private total: DeliveryReport = NO_DELIVERY;

  /** Adds a delivery's report and returns it unchanged. */
  add(report: DeliveryReport): DeliveryReport {
    this.total = mergeReports([this.total, report]);
    return report;
  }

  get report(): DeliveryReport {
    return this.total;
  }
}

/** Several deliveries as one report, still bounded. */
export const mergeReports = (reports: readonly DeliveryReport[]): DeliveryReport =>
  reports.reduce(
    (sum, r) => ({
      recipients: sum.recipients + r.recipients,
      delivered: sum.delivered + r.delivered,
      gone: sum.gone + r.gone,
      failed: sum.failed + r.failed,
      failures: sum.failures.length >= MAX_REPORTED_FAILURES ? sum.failures : [...sum.failures, ...r.failures].slice(0, MAX_REPORTED_FAILURES),
    }),
    NO_DELIVERY,
  );
