import { timeStamp } from '../time';
import { termsOf } from './terms';
import type { MemoryPolicy, RoomSummaryRecord, SequencedMessage, SummaryLine } from './types';

/** True when remembering message `seq` completes a summary window. */
export const isSummaryDue = (seq: number, policy: MemoryPolicy): boolean =>
  seq > 0 && seq % policy.summaryEvery === 0;

/** The last message through which a summary is due when the room has remembered `seq` messages. */
export const lastDueSummary = (seq: number, policy: MemoryPolicy): number =>
  Math.floor(seq / policy.summaryEvery) * policy.summaryEvery;

/**
 * The messages a new summary through `throughSeq` reads: those after the
 * previous summary, but never more than `maxWindows` summary windows back,
 * so a room whose summaries were discarded is not re-read from its start.
 */
export function summaryRange(
  throughSeq: number,
  previous: Pick<RoomSummaryRecord, 'throughSeq'> | undefined,
  policy: MemoryPolicy,
  maxWindows = 5,
): { fromSeq: number; toSeq: number } {
  const floor = Math.max(1, throughSeq - policy.summaryEvery * maxWindows + 1);
  return { fromSeq: Math.max(floor, (previous?.throughSeq ?? 0) + 1), toSeq: throughSeq };
}

export interface ExtractiveOptions {
  /** Lines kept at most. */
  readonly maxLines: number;
  /** Characters of the summary text at most. */
  readonly maxChars: number;
  /** Characters of one line at most (longer sentences are cut). */
  readonly maxLineChars: number;
}

export const DEFAULT_EXTRACTIVE_OPTIONS: ExtractiveOptions = { maxLines: 8, maxChars: 1_200, maxLineChars: 240 };

/**
 * Words that mark a durable fact or a decision ("we agreed", "booked",
 * "the code is"): such lines are what a room needs weeks later, so they
 * keep their salience when carried from summary to summary instead of
 * fading to make room for the recent gist.
 */
const DURABLE = /\b(?:decided|decision|agreed|agree|confirmed|booked|picked|chose|chosen|signed|approved|deadline|due|starts?|moved? to|is called|named|password|code|address|owner|owns|budget|price|costs?)\b/i;

export const isDurable = (text: string): boolean => DURABLE.test(text);

/** Share of the summary's lines and characters carried lines may hold at most: the rest is kept for the recent gist. */
export const CARRIED_SHARE = 0.5;

interface Candidate {
  readonly line: SummaryLine;
  /** Position for chronological order: sequence, then sentence within the message. */
  readonly order: number;
  readonly terms: ReadonlySet<string>;
  /** Carried over from the previous summary. */
  readonly carried: boolean;
}

/**
 * Unicode sentence boundaries (UAX #29), built into Node and browsers: a
 * period ends a sentence only before a space and a new sentence, so
 * "12.5k euros", `amazon.nova-lite-v1:0` and URLs stay whole. A line break
 * ends a sentence too, as chat lines are often unpunctuated.
 */
const SENTENCES = new Intl.Segmenter('en', { granularity: 'sentence' });

export const splitSentences = (text: string): string[] =>
  [...SENTENCES.segment(text)].map((s) => s.segment.trim()).filter((s) => s.length > 0);

/** A summary line as the summary text writes it: `[2026-12-06 14:03] Name: sentence`, so a model can say when. */
export const summaryLineText = (line: SummaryLine): string => `${timeStamp(line.createdAt)}${line.senderName}: ${line.text}`;

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

const jaccard = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared += 1;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
};

/** A line's salience: terms that recur in the conversation, plus numbers and names, which carry facts. */
const salience = (candidate: Candidate, weight: ReadonlyMap<string, number>, raw: string): number => {
  if (candidate.terms.size < 3) return 0;
  let score = 0;
  for (const t of candidate.terms) score += weight.get(t) ?? 0;
  const facts = (raw.match(/\p{N}/gu) ? 1 : 0) + Math.min(2, (raw.slice(1).match(/\s\p{Lu}\p{L}+/gu) ?? []).length);
  // Normalised by length so long sentences do not win by size alone.
  const value = score / Math.sqrt(candidate.terms.size) + 0.5 * facts + (isDurable(raw) ? 0.5 : 0);
  return candidate.carried && !isDurable(raw) ? value * 0.9 : value;
};

/**
 * A rolling extractive summary: the most salient sentences of the previous
 * summary and of the new messages, without near-duplicates, in
 * chronological order (carried lines in the order they had), each quoted
 * as `[2026-12-06 14:03] Name: sentence`. Durable facts and decisions (see `isDurable`) keep
 * their weight when carried, other carried lines fade a little; carried
 * lines take at most `CARRIED_SHARE` of the lines and characters, so the
 * recent gist always has room beside what the room decided earlier. Pure and
 * deterministic: the same input always gives the same summary, which is what
 * lets a redelivered stream record be recognised as producing nothing new.
 *
 * @example
 * extractiveSummary({ messages }).text
 * // '[2026-05-02 09:14] Dana: The offsite moved to the Lisbon office on 14 May.\n[2026-05-02 09:20] Sam: Budget is capped at 12k.'
 */
export function extractiveSummary(
  input: { previous?: Pick<RoomSummaryRecord, 'lines'>; messages: readonly SequencedMessage[] },
  options: ExtractiveOptions = DEFAULT_EXTRACTIVE_OPTIONS,
): { text: string; lines: SummaryLine[] } {
  const candidates: Candidate[] = [];
  // A carried line keeps its place: its message, then its rank among that message's carried lines.
  const carriedOfMessage = new Map<number, number>();
  for (const line of input.previous?.lines ?? []) {
    const index = carriedOfMessage.get(line.seq) ?? 0;
    carriedOfMessage.set(line.seq, index + 1);
    candidates.push({ line, order: line.seq * 1_000 + Math.min(index, 999), terms: new Set(termsOf(line.text)), carried: true });
  }
  for (const message of input.messages) {
    splitSentences(message.text).forEach((sentence, index) => {
      const text = cut(sentence, options.maxLineChars);
      candidates.push({
        line: { messageId: message.messageId, seq: message.seq, senderName: message.senderName, text, createdAt: message.createdAt },
        order: message.seq * 1_000 + Math.min(index, 999),
        terms: new Set(termsOf(text)),
        carried: false,
      });
    });
  }

  // How many lines mention each term: recurring terms are what the talk is about.
  const weight = new Map<string, number>();
  for (const c of candidates) for (const t of c.terms) weight.set(t, (weight.get(t) ?? 0) + 1);
  for (const [t, n] of weight) weight.set(t, Math.log(1 + n));

  const ranked = candidates
    .map((c) => ({ c, score: salience(c, weight, c.line.text) }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.c.order - b.c.order);

  const chosen: Candidate[] = [];
  let chars = 0;
  let carriedLines = 0;
  let carriedChars = 0;
  const hasNew = candidates.some((c) => !c.carried);
  for (const { c } of ranked) {
    if (chosen.length >= options.maxLines) break;
    const length = summaryLineText(c.line).length + 1;
    if (chars + length > options.maxChars) continue;
    if (
      c.carried &&
      hasNew &&
      (carriedLines + 1 > Math.ceil(options.maxLines * CARRIED_SHARE) || carriedChars + length > options.maxChars * CARRIED_SHARE)
    ) {
      continue;
    }
    if (chosen.some((k) => jaccard(k.terms, c.terms) > 0.5)) continue;
    chosen.push(c);
    chars += length;
    if (c.carried) [carriedLines, carriedChars] = [carriedLines + 1, carriedChars + length];
  }
  chosen.sort((a, b) => a.order - b.order);
  const lines = chosen.map((c) => c.line);
  return { text: lines.map(summaryLineText).join('\n'), lines };
}
