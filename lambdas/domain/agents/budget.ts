/**
 * Daily token budgets. Each agent has a budget per room and UTC day; usage
 * (input plus output tokens) is added after every model call and checked
 * before the next one. The counter may overshoot by at most one reply: the
 * check refuses a call once the budget is spent, or when the prompt alone
 * would not fit in what is left.
 */

/** The budget day of an instant: its UTC date, `2026-11-21`. */
export const budgetDay = (nowMs: number): string => new Date(nowMs).toISOString().slice(0, 10);

export interface BudgetCheck {
  readonly allowed: boolean;
  readonly remaining: number;
}

export function checkBudget(input: { used: number; budget: number; promptTokens: number }): BudgetCheck {
  const remaining = Math.max(0, input.budget - input.used);
  return { allowed: remaining > 0 && input.promptTokens < remaining, remaining };
}
