import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../../lambdas/domain/errors';
import { admitGcra, planGcra, type RateLimit } from '../../../lambdas/domain/rate-limit';

/** Runs requests at the given times through the in-memory GCRA and returns the decisions. */
const run = (limit: RateLimit, times: number[]): boolean[] => {
  let tat: number | undefined;
  return times.map((now) => {
    const decision = admitGcra(tat, now, limit);
    tat = decision.tat;
    return decision.allowed;
  });
};

describe('planGcra', () => {
  it('derives the interval, the idle TAT and the latest admissible TAT', () => {
    const plan = planGcra({ perSecond: 5, burst: 3 }, 10_000);

    expect(plan).toEqual({
      intervalMs: 200,
      idleTat: 10_200,
      latestAdmissibleTat: 10_400,
      expiresAt: Math.ceil(10_600 / 1000) + 60,
    });
  });

  it('rounds a fractional interval up to a whole millisecond', () => {
    const plan = planGcra({ perSecond: 3, burst: 1 }, 0);

    expect(plan.intervalMs).toBe(334);
  });

  it('expires the state after the furthest TAT an admitted request can leave', () => {
    const limit = { perSecond: 2, burst: 4 };
    const now = 1_700_000_000_123;
    const plan = planGcra(limit, now);

    const furthestTat = plan.latestAdmissibleTat + plan.intervalMs;

    expect(plan.expiresAt * 1000).toBeGreaterThan(furthestTat);
  });

  it.each([
    { perSecond: 0, burst: 1 },
    { perSecond: -1, burst: 1 },
    { perSecond: Number.NaN, burst: 1 },
    { perSecond: 1, burst: 0 },
    { perSecond: 1, burst: 1.5 },
  ])('rejects an unusable limit %o', (limit) => {
    expect(() => planGcra(limit, 0)).toThrow(ParleyError);
  });
});

describe('admitGcra', () => {
  it('admits the first request and stores one interval ahead', () => {
    expect(admitGcra(undefined, 5_000, { perSecond: 10, burst: 1 })).toEqual({ allowed: true, tat: 5_100 });
  });

  it('admits a burst of exactly `burst` requests at the same instant', () => {
    const decisions = run({ perSecond: 1, burst: 3 }, [0, 0, 0, 0, 0]);

    expect(decisions).toEqual([true, true, true, false, false]);
  });

  it('admits one request per interval once the burst is spent', () => {
    const decisions = run({ perSecond: 2, burst: 2 }, [0, 0, 0, 499, 500, 999, 1000]);

    expect(decisions).toEqual([true, true, false, false, true, false, true]);
  });

  it('keeps a denied request from consuming a token', () => {
    const limit = { perSecond: 1, burst: 1 };

    const denied = admitGcra(1_000, 500, limit);

    expect(denied).toEqual({ allowed: false, tat: 1_000 });
    expect(admitGcra(denied.tat, 1_000, limit).allowed).toBe(true);
  });

  it('restores the full burst after an idle period', () => {
    const decisions = run({ perSecond: 10, burst: 2 }, [0, 0, 0, 10_000, 10_000, 10_000]);

    expect(decisions).toEqual([true, true, false, true, true, false]);
  });

  it('never admits more than burst + elapsed × perSecond requests', () => {
    const limit = { perSecond: 4, burst: 3 };
    const times = Array.from({ length: 200 }, (_, i) => i * 37);

    const admitted = run(limit, times).filter(Boolean).length;

    const elapsedSeconds = (times.at(-1) ?? 0) / 1000;
    expect(admitted).toBeLessThanOrEqual(limit.burst + Math.floor(elapsedSeconds * limit.perSecond));
    expect(admitted).toBeGreaterThanOrEqual(Math.floor(elapsedSeconds * limit.perSecond));
  });
});
