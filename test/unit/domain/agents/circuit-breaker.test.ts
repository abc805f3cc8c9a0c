import { describe, expect, it } from 'vitest';
import {
  admit,
  afterFailure,
  afterSuccess,
  circuitLevel,
  CLOSED,
  isModelFailure,
  type CircuitOptions,
  type CircuitState,
} from '../../../../lambdas/domain/agents/circuit-breaker';
import { ModelStreamError, ModelUnavailableError } from '../../../../lambdas/domain/agents/errors';

const options: CircuitOptions = { failures: 3, windowMs: 60_000, coolDownMs: 30_000, probeTimeoutMs: 120_000 };
const T = 1_000_000;

/** The state after failures at the given times, from closed. */
const failedAt = (...times: number[]): CircuitState =>
  times.reduce<CircuitState>((circuit, at) => afterFailure(circuit, at, options) ?? circuit, CLOSED);

describe('circuit breaker, closed', () => {
  it('lets every job call the model', () => {
    expect(admit(CLOSED, T, options)).toEqual({ decision: 'call' });
    expect(admit(failedAt(T, T + 1), T + 2, options)).toEqual({ decision: 'call' });
  });

  it('counts failures within the window', () => {
    expect(failedAt(T, T + 10_000)).toEqual({ state: 'closed', failures: 2, windowStartedAt: T });
  });

  it('opens at the threshold’s failure within the window', () => {
    expect(failedAt(T, T + 10_000, T + 59_999)).toEqual({ state: 'open', openedAt: T + 59_999 });
  });

  it('starts a new window once the old one is over, forgetting its failures', () => {
    expect(failedAt(T, T + 10_000, T + 60_000)).toEqual({ state: 'closed', failures: 1, windowStartedAt: T + 60_000 });
  });

  it('changes nothing when the model answers', () => {
    expect(afterSuccess(failedAt(T, T + 1))).toBeUndefined();
  });
});

describe('circuit breaker, open', () => {
  const open: CircuitState = { state: 'open', openedAt: T };

  it('refuses jobs until the cool-down is over', () => {
    expect(admit(open, T + 29_999, options)).toEqual({ decision: 'refuse', retryAt: T + 30_000 });
  });

  it('lets one job probe once the cool-down is over, half opening the circuit', () => {
    expect(admit(open, T + 30_000, options)).toEqual({ decision: 'probe', next: { state: 'halfOpen', probeStartedAt: T + 30_000 } });
  });

  it('stays open from its first opening when late failures arrive', () => {
    expect(afterFailure(open, T + 5_000, options)).toBeUndefined();
  });

  it('stays open when a job admitted before it opened answers', () => {
    expect(afterSuccess(open)).toBeUndefined();
  });
});

describe('circuit breaker, half open', () => {
  const probing: CircuitState = { state: 'halfOpen', probeStartedAt: T };

  it('refuses every other job while the probe runs', () => {
    expect(admit(probing, T + 1_000, options)).toEqual({ decision: 'refuse', retryAt: T + 120_000 });
  });

  it('closes when the probe succeeds', () => {
    expect(afterSuccess(probing)).toEqual(CLOSED);
  });

  it('opens again, for another cool-down, when the probe fails', () => {
    expect(afterFailure(probing, T + 2_000, options)).toEqual({ state: 'open', openedAt: T + 2_000 });
  });

  it('lets another job probe when the probe was never heard of again (its worker died)', () => {
    expect(admit(probing, T + 120_000, options)).toEqual({ decision: 'probe', next: { state: 'halfOpen', probeStartedAt: T + 120_000 } });
  });
});

describe('isModelFailure', () => {
  it.each([
    ['a throttled call', new ModelUnavailableError('slow down', true, 'ThrottlingException'), true],
    ['a service error', new ModelUnavailableError('oops', true, 'InternalServerException'), true],
    ['a broken stream', new ModelStreamError('cut', 'ModelStreamErrorException'), true],
    ['a bad request', new ModelUnavailableError('bad', false, 'ValidationException'), false],
    ['missing model access', new ModelUnavailableError('no', false, 'AccessDeniedException'), false],
    ['any other error', new Error('table unavailable'), false],
  ])('counts %s: %s', (_, error, counted) => {
    expect(isModelFailure(error)).toBe(counted);
  });
});

describe('circuitLevel', () => {
  it('gives closed, half open and open increasing levels for the state gauge', () => {
    expect([CLOSED, { state: 'halfOpen', probeStartedAt: T } as const, { state: 'open', openedAt: T } as const].map(circuitLevel)).toEqual([0, 1, 2]);
  });
});
