import { ModelStreamError, ModelUnavailableError } from './errors';

/**
 * A circuit breaker per model, shared by every worker: after `failures`
 * failed jobs within `windowMs` it opens, and jobs for that model fail fast
 * with the room's "unavailable" notice instead of waiting through retries;
 * after `coolDownMs` one job (the probe) may call the model again. The
 * probe's success closes the circuit, its failure opens it again.
 *
 *   closed ──N failures in the window──▶ open ──cool-down over──▶ halfOpen (one probe)
 *      ▲                                   ▲                          │
 *      └───────────probe succeeds──────────┼──────────────────────────┤
 *                                          └──────probe fails─────────┘
 *
 * The functions here are pure: the store (DynamoDB in production) keeps the
 * state and a version, and a change is written only if the version is still
 * the one read, so concurrent workers agree on one transition and one probe.
 */
export type CircuitState =
  | { readonly state: 'closed'; readonly failures: number; readonly windowStartedAt: number }
  | { readonly state: 'open'; readonly openedAt: number }
  | { readonly state: 'halfOpen'; readonly probeStartedAt: number };

export interface CircuitOptions {
  /** Failed jobs within the window that open the circuit. */
  readonly failures: number;
  readonly windowMs: number;
  /** How long the circuit stays open before one probe is let through. */
  readonly coolDownMs: number;
  /**
   * A probe not heard of after this long is taken to have died with its
   * worker (a timeout, a crash): the next job probes instead.
   */
  readonly probeTimeoutMs: number;
}

/**
 * Five failed jobs in a minute: more than one unlucky job (each already
 * retries its throttled calls with backoff) and few enough that a model
 * that is down stops costing every room a minute of retries. Thirty seconds
 * of cool-down: long enough for throttling to ease, short enough that a
 * room waits at most that long once the model is back. A probe may take as
 * long as the agent worker's timeout (two minutes).
 */
export const DEFAULT_CIRCUIT: CircuitOptions = {
  failures: 5,
  windowMs: 60_000,
  coolDownMs: 30_000,
  probeTimeoutMs: 120_000,
};

/** The reason of a job refused, or cut short, because its model's circuit is open. */
export const CIRCUIT_OPEN = 'circuitOpen';

/** A model never seen failing. */
export const CLOSED: CircuitState = { state: 'closed', failures: 0, windowStartedAt: 0 };

/** What a job may do: call the model, call it as the probe, or fail fast until `retryAt`. */
export type CircuitAdmission =
  | { readonly decision: 'call' }
  | { readonly decision: 'probe'; readonly next: CircuitState }
  | { readonly decision: 'refuse'; readonly retryAt: number };

/**
 * Whether a job starting at `now` may call the model. An open circuit
 * whose cool-down is over lets exactly one job probe: the caller writes
 * `next` (half open) conditionally, and only the writer that wins probes.
 */
export function admit(circuit: CircuitState, now: number, options: CircuitOptions): CircuitAdmission {
  switch (circuit.state) {
    case 'closed':
      return { decision: 'call' };
    case 'open': {
      const retryAt = circuit.openedAt + options.coolDownMs;
      return now >= retryAt ? { decision: 'probe', next: { state: 'halfOpen', probeStartedAt: now } } : { decision: 'refuse', retryAt };
    }
    case 'halfOpen': {
      const givenUpAt = circuit.probeStartedAt + options.probeTimeoutMs;
      return now >= givenUpAt
        ? { decision: 'probe', next: { state: 'halfOpen', probeStartedAt: now } }
        : { decision: 'refuse', retryAt: givenUpAt };
    }
  }
}

/**
 * The state after a job failed because the model is failing; undefined
 * when nothing changes (an open circuit stays open from its first opening).
 */
export function afterFailure(circuit: CircuitState, now: number, options: CircuitOptions): CircuitState | undefined {
  switch (circuit.state) {
    case 'closed': {
      const inWindow = now - circuit.windowStartedAt < options.windowMs;
      const failures = inWindow ? circuit.failures + 1 : 1;
      if (failures >= options.failures) return { state: 'open', openedAt: now };
      return { state: 'closed', failures, windowStartedAt: inWindow ? circuit.windowStartedAt : now };
    }
    case 'halfOpen':
      // The probe failed: another cool-down.
      return { state: 'open', openedAt: now };
    case 'open':
      return undefined;
  }
}

/**
 * The state after the model answered; undefined when nothing changes. Any
 * answer while half open closes the circuit (the probe's, or that of a job
 * admitted before it opened): the model works. Failures counted while
 * closed stay counted until their window ends, so that a model failing
 * most calls still opens the circuit.
 */
export function afterSuccess(circuit: CircuitState): CircuitState | undefined {
  return circuit.state === 'halfOpen' ? CLOSED : undefined;
}

/**
 * Whether an error means the model is failing: throttling and transient
 * service errors (retryable ModelUnavailableError) and broken streams. A
 * bad request, a missing model access or a spent budget says nothing about
 * the model's health.
 */
export const isModelFailure = (error: unknown): boolean =>
  error instanceof ModelUnavailableError ? error.retryable : error instanceof ModelStreamError;

/** A number for the state, for a metric: 0 closed, 1 half open, 2 open. */
export const circuitLevel = (circuit: CircuitState): number =>
  circuit.state === 'closed' ? 0 : circuit.state === 'halfOpen' ? 1 : 2;
