/**
 * The bounds of an agent's numeric and text settings: one list that the
 * server's schemas (config.ts) validate with and the web client's agent form
 * checks against, so the form never accepts what Parley would refuse.
 * Pure data, with no schema library, so the browser bundle can import it.
 */
export interface Bound {
  readonly min: number;
  readonly max: number;
  /** True when only whole numbers are accepted. */
  readonly integer: boolean;
}

const whole = (min: number, max: number): Bound => ({ min, max, integer: true });
const real = (min: number, max: number): Bound => ({ min, max, integer: false });

export const AGENT_LIMITS = {
  temperature: real(0, 1),
  maxOutputTokens: whole(16, 4096),
  /** How many recent messages the prompt shows. */
  historyWindow: whole(1, 100),
  maxPromptTokens: whole(500, 100_000),
  /** Passages recalled from room memory. */
  retrievalK: whole(1, 20),
  /** Input plus output tokens per UTC day. */
  dailyTokenBudget: whole(100, 10_000_000),
  ambientProbability: real(0, 1),
  ambientMinQuietSeconds: whole(10, 86_400),
} as const satisfies Record<string, Bound>;

/** Longest text of each free-text setting, in characters. */
export const AGENT_TEXT_LIMITS = {
  displayName: 64,
  systemPrompt: 8000,
  persona: 2000,
} as const;

/** A handle as people type it, `@assistant`, stored without the `@`, lower-case. */
export const HANDLE_PATTERN = /^@?[a-z][a-z0-9_-]{0,31}$/i;

export type AgentLimitName = keyof typeof AGENT_LIMITS;

/** Why `value` is outside `bound`, in words a form can show; undefined when it fits. */
export function boundProblem(bound: Bound, value: number): string | undefined {
  if (!Number.isFinite(value)) return 'Enter a number.';
  if (bound.integer && !Number.isInteger(value)) return 'Enter a whole number.';
  if (value < bound.min || value > bound.max) return `Enter a number from ${bound.min} to ${bound.max}.`;
  return undefined;
}
