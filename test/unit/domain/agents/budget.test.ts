import { describe, expect, it } from 'vitest';
import { budgetDay, checkBudget } from '../../../../lambdas/domain/agents/budget';
import { backoffDelay } from '../../../../lambdas/domain/agents/retry';

describe('budgetDay', () => {
  it('is the UTC date of the instant', () => {
    expect(budgetDay(Date.UTC(2026, 10, 21, 23, 59, 59))).toBe('2026-11-21');
    expect(budgetDay(Date.UTC(2026, 10, 22, 0, 0, 0))).toBe('2026-11-22');
  });
});

describe('checkBudget', () => {
  it('allows a call while the prompt fits in what is left', () => {
    expect(checkBudget({ used: 900, budget: 1000, promptTokens: 50 })).toEqual({ allowed: true, remaining: 100 });
  });

  it('refuses once the budget is spent or overshot', () => {
    expect(checkBudget({ used: 1000, budget: 1000, promptTokens: 1 }).allowed).toBe(false);
    expect(checkBudget({ used: 1200, budget: 1000, promptTokens: 1 })).toEqual({ allowed: false, remaining: 0 });
  });

  it('refuses when the prompt alone would not fit', () => {
    expect(checkBudget({ used: 900, budget: 1000, promptTokens: 100 }).allowed).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap, with half of it random', () => {
    const options = { baseMs: 200, maxMs: 1000 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, options, () => 0))).toEqual([100, 200, 400, 500]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, options, () => 1))).toEqual([200, 400, 800, 1000]);
  });
});
