/**
 * The time a question asks about, when it names one relative to now:
 * "What did Farah do last weekend?", "what was Chen working on last week?",
 * "who called yesterday?". Everything is UTC, as message times are.
 */
export interface AskedSpan {
  /** The span, epoch ms, `from` included and `to` excluded. */
  readonly from: number;
  readonly to: number;
  /** The question without the words that named the time (they say when, not what). */
  readonly rest: string;
}

const DAY = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const NUMBERS: Readonly<Record<string, number>> = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, couple: 2, few: 3 };

const startOfDay = (at: number): number => Math.floor(at / DAY) * DAY;
/** Monday 00:00 of the week that holds `at` (weeks start on Monday). */
const startOfWeek = (at: number): number => startOfDay(at) - ((new Date(at).getUTCDay() + 6) % 7) * DAY;

interface Rule {
  readonly pattern: RegExp;
  readonly span: (now: number, match: RegExpMatchArray) => readonly [number, number];
}

const RULES: readonly Rule[] = [
  { pattern: /\b(?:yesterday|last night)\b/i, span: (now) => [startOfDay(now) - DAY, startOfDay(now)] },
  { pattern: /\b(?:today|this morning|this afternoon|tonight)\b/i, span: (now) => [startOfDay(now), now + 1] },
  {
    // The last weekend that has begun: Saturday and Sunday.
    pattern: /\b(?:last|this|over the|at the|on the) weekend\b/i,
    span: (now) => {
      const saturday = startOfWeek(now) + 5 * DAY;
      const from = saturday <= now ? saturday : saturday - 7 * DAY;
      return [from, from + 2 * DAY];
    },
  },
  { pattern: /\blast week\b/i, span: (now) => [startOfWeek(now) - 7 * DAY, startOfWeek(now)] },
  { pattern: /\bthis week\b/i, span: (now) => [startOfWeek(now), now + 1] },
  {
    pattern: /\blast month\b/i,
    span: (now) => {
      const d = new Date(now);
      return [Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1), Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)];
    },
  },
  {
    // "3 days ago", "a couple of days ago", "two weeks ago": the day (or week) then, a day either side.
    pattern: /\b(\d+|a|one|two|three|four|five|six|seven|couple|few)(?: of)? (day|week)s? ago\b/i,
    span: (now, match) => {
      const n = NUMBERS[(match[1] ?? '').toLowerCase()] ?? Number(match[1]);
      const unit = (match[2] ?? '').toLowerCase() === 'week' ? 7 * DAY : DAY;
      const at = startOfDay(now) - n * unit;
      return [at - DAY, at + (unit === DAY ? 2 * DAY : unit + DAY)];
    },
  },
  {
    // "on Tuesday", "last Tuesday": the most recent such day before today.
    pattern: /\b(?:on|last) (sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/i,
    span: (now, match) => {
      const wanted = WEEKDAYS.indexOf((match[1] ?? '').toLowerCase());
      const back = (new Date(now).getUTCDay() - wanted + 7) % 7 || 7;
      const from = startOfDay(now) - back * DAY;
      return [from, from + DAY];
    },
  },
];

/**
 * The span a question names relative to `now`, if any (the first that it
 * names), with the question minus those words. A question about the future
 * ("what is on next week?") names none of these spans and gets none.
 *
 * @example
 * askedSpan('What did Farah do last weekend?', Date.parse('2026-11-09T12:00Z'))
 * // { from: 2026-11-07T00:00Z, to: 2026-11-09T00:00Z, rest: 'What did Farah do ?' }
 */
export function askedSpan(question: string, now: number): AskedSpan | undefined {
  for (const rule of RULES) {
    const match = question.match(rule.pattern);
    if (!match) continue;
    const [from, to] = rule.span(now, match);
    return { from, to, rest: question.replace(rule.pattern, ' ').replace(/\s+/g, ' ').trim() };
  }
  return undefined;
}

/**
 * Words that only say "around now" ("these days", "currently", "lately",
 * "at the moment"): like a named span they say when, not what, and a
 * message that happens to say "day" or "moment" is no better an answer.
 * Unlike a span they favour no time: the latest windows already win ties.
 */
const PRESENT = /\b(?:these days|nowadays|right now|just now|now|currently|lately|recently|at the moment|at present)\b/gi;

/**
 * The question without its words for "around now".
 *
 * @example
 * withoutPresentWords("What are Chen's children into these days?") // "What are Chen's children into ?"
 */
export const withoutPresentWords = (question: string): string => question.replace(PRESENT, ' ').replace(/\s+/g, ' ').trim();
