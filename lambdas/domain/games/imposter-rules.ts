import { ConflictError, PermissionError, ValidationError } from '../errors';
import {
  FOUND_POINTS,
  ROUND_LINE_MAX,
  UNDETECTED_POINTS,
  type Round,
  type RoundLine,
  type RoundReveal,
  type RoundScore,
  type RoundSeat,
  type RoundView,
} from './imposter';

/**
 * The imposter game's rules, pure: seating, what players may see, who may
 * write and vote, scoring, the reveal, the AI's pace and the cleaning of its
 * output. Randomness and time come in as arguments, so every rule replays.
 */

/** A number in [0, 1), like Math.random; tests pass a seeded one. */
export type Random = () => number;

/** The id the AI scores under on every leaderboard. */
export const AGENT_PLAYER_ID = 'agent:imposter';

/** Round names: common first names, so the AI's seat looks like anyone else's. */
export const ROUND_NAMES = [
  'Sam', 'Alex', 'Robin', 'Jamie', 'Taylor', 'Jordan', 'Casey', 'Riley', 'Morgan', 'Charlie',
  'Quinn', 'Avery', 'Kim', 'Noa', 'Lou', 'Max', 'Eli', 'Jules', 'Rene', 'Toni',
  'Dani', 'Kai', 'Mika', 'Sasha',
] as const;

/** Shuffles a copy of `items` (Fisher–Yates) with the given randomness. */
export function shuffle<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const nameKey = (name: string): string => name.normalize('NFKC').trim().toLocaleLowerCase('en');

/**
 * Seats the people and the AI in a shuffled order, each under a round name
 * drawn from ROUND_NAMES: distinct from each other and from every player's
 * display name (and its first word), so no alias points at a real person.
 */
export function seatRound(
  people: readonly { readonly userId: string; readonly displayName: string }[],
  agent: { readonly displayName: string },
  random: Random,
): RoundSeat[] {
  const taken = new Set(people.flatMap((p) => [nameKey(p.displayName), nameKey(p.displayName.split(/\s+/)[0] ?? '')]));
  const names = shuffle(
    ROUND_NAMES.filter((name) => !taken.has(nameKey(name))),
    random,
  );
  type Sitter = Pick<RoundSeat, 'kind' | 'playerId' | 'displayName'>;
  const sitters: Sitter[] = [
    ...people.map((p): Sitter => ({ kind: 'person', playerId: p.userId, displayName: p.displayName })),
    { kind: 'agent', playerId: AGENT_PLAYER_ID, displayName: agent.displayName },
  ];
  if (names.length < sitters.length) throw new ConflictError('Not enough round names left for this many players.');
  return shuffle(sitters, random).map((sitter, index) => ({ seat: index + 1, alias: names[index] as string, ...sitter }));
}

/** The seat a user sits in, if any (never the AI's). */
export const seatOf = (round: Pick<Round, 'seats'>, userId: string): RoundSeat | undefined =>
  round.seats.find((s) => s.kind === 'person' && s.playerId === userId);

/** The AI's seat: every round has exactly one. */
export function agentSeatOf(round: Pick<Round, 'seats'>): RoundSeat {
  const seat = round.seats.find((s) => s.kind === 'agent');
  if (!seat) throw new Error('A round without the AI’s seat.');
  return seat;
}

/** People seated (the AI not counted). */
export const playersOf = (round: Pick<Round, 'seats'>): number => round.seats.filter((s) => s.kind === 'person').length;

/**
 * A round as players see it: seats by number and round name only, never
 * who sits where (that waits for the reveal). `userId` adds the caller's
 * own seat, for answers to them alone.
 */
export function roundView(round: Round, userId?: string): RoundView {
  const yourSeat = userId === undefined ? undefined : seatOf(round, userId)?.seat;
  return {
    roomId: round.roomId,
    roundId: round.roundId,
    status: round.status,
    startedAt: round.startedAt,
    endsAt: round.endsAt,
    durationSeconds: round.durationSeconds,
    seats: round.seats.map((s) => ({ seat: s.seat, alias: s.alias })),
    players: playersOf(round),
    lines: round.lines,
    votes: round.votes,
    ...(yourSeat !== undefined ? { yourSeat } : {}),
    ...(round.endedAt !== undefined ? { endedAt: round.endedAt } : {}),
    ...(round.endReason !== undefined ? { endReason: round.endReason } : {}),
  };
}

/** Whether the round still takes lines and votes at `nowMs`: open, and its time not yet up. */
export const isRoundLive = (round: Pick<Round, 'status' | 'endsAt'>, nowMs: number): boolean =>
  round.status === 'open' && nowMs < Date.parse(round.endsAt);

function assertLive(round: Round, nowMs: number): void {
  if (!isRoundLive(round, nowMs)) throw new ConflictError('This round is over.');
}

/** Who may write in a round: a seated person, while it is live. Returns their seat. */
export function assertMayWrite(round: Round, userId: string, nowMs: number): RoundSeat {
  const seat = seatOf(round, userId);
  if (!seat) throw new PermissionError('You are not playing in this round; wait for the next one.');
  assertLive(round, nowMs);
  return seat;
}

/**
 * Who may vote for what: a seated person, while the round is live, for a
 * seat that exists and is not their own. Once each is the store's to keep
 * (a conditional write). Returns the voter's seat.
 */
export function assertMayVote(round: Round, userId: string, seat: number, nowMs: number): RoundSeat {
  const voter = seatOf(round, userId);
  if (!voter) throw new PermissionError('You are not playing in this round, so you cannot vote in it.');
  assertLive(round, nowMs);
  if (!round.seats.some((s) => s.seat === seat)) throw new ValidationError(`This round has no seat ${seat}.`);
  if (voter.seat === seat) throw new ValidationError('You cannot vote for your own seat.');
  return voter;
}

/** A vote as stored: who voted (by user id and seat) and for which seat. */
export interface RoundVote {
  readonly voterId: string;
  readonly voterSeat: number;
  readonly votedSeat: number;
  readonly at: string;
}

/**
 * Each seat's points for the round. A person who voted for the AI's seat
 * found it (FOUND_POINTS); one who voted otherwise missed, one who did not
 * vote abstained (no points either way). The AI earns UNDETECTED_POINTS for
 * each person who did not find it, and is `undetected` when nobody did.
 */
export function scoreRound(round: Pick<Round, 'seats'>, votes: readonly RoundVote[]): RoundScore[] {
  const agent = agentSeatOf(round);
  const voteOf = new Map(votes.map((v) => [v.voterId, v.votedSeat]));
  const people = round.seats.filter((s) => s.kind === 'person');
  const finders = people.filter((p) => voteOf.get(p.playerId) === agent.seat).length;
  return round.seats.map((s): RoundScore => {
    const base = { playerId: s.playerId, kind: s.kind, displayName: s.displayName };
    if (s.kind === 'agent') {
      return { ...base, points: (people.length - finders) * UNDETECTED_POINTS, outcome: finders === 0 ? 'undetected' : 'detected' };
    }
    const voted = voteOf.get(s.playerId);
    if (voted === undefined) return { ...base, points: 0, outcome: 'abstained' };
    return voted === agent.seat ? { ...base, points: FOUND_POINTS, outcome: 'found' } : { ...base, points: 0, outcome: 'missed' };
  });
}

/** How many people voted for the AI's seat. */
export const foundCount = (round: Pick<Round, 'seats'>, votes: readonly RoundVote[]): number => {
  const agent = agentSeatOf(round);
  return votes.filter((v) => v.votedSeat === agent.seat).length;
};

/** What the end of a round shows everyone: who sat where, the AI's seat and label, and each vote by seat. */
export function revealRound(round: Pick<Round, 'seats'>, votes: readonly RoundVote[]): RoundReveal {
  const agent = agentSeatOf(round);
  return {
    agentSeat: agent.seat,
    agentLabel: agent.displayName,
    seats: round.seats.map((s) => ({ seat: s.seat, alias: s.alias, kind: s.kind, displayName: s.displayName, playerId: s.playerId })),
    votes: [...votes].sort((a, b) => a.voterSeat - b.voterSeat).map((v) => ({ voterSeat: v.voterSeat, votedSeat: v.votedSeat })),
  };
}

/** The AI's pace: a person reads about 25 characters a second and types about 4. */
export const AI_PACE = {
  readCharsPerSecond: 25,
  typeCharsPerSecond: 4,
  /** The length of line the AI is expected to write, for its typing time. */
  expectedLineChars: 40,
  /** A person needs a moment even for "ok", and nobody waits half a minute for a chat line. */
  minSeconds: 2,
  maxSeconds: 12,
  /** ±20% so the AI's rhythm is not a tell. */
  jitter: 0.2,
} as const;

/**
 * How long the AI waits before it considers its next line, in whole
 * seconds: the time to read the line it reacts to and to type a short
 * reply at a person's pace, jittered, within AI_PACE's bounds.
 */
export function aiDelaySeconds(readText: string, random: Random): number {
  const reading = readText.length / AI_PACE.readCharsPerSecond;
  const typing = AI_PACE.expectedLineChars / AI_PACE.typeCharsPerSecond;
  const jittered = (reading + typing) * (1 - AI_PACE.jitter + 2 * AI_PACE.jitter * random());
  return Math.round(Math.min(AI_PACE.maxSeconds, Math.max(AI_PACE.minSeconds, jittered)));
}

/**
 * Whether the AI may write now, reacting to the chat as it stood at
 * `afterLines` lines: only while the round is live, only when nothing was
 * written since (a newer line has its own turn, so each state of the chat
 * is answered at most once), and never twice in a row.
 */
export function mayAgentSpeak(
  round: Round,
  afterLines: number,
  lastLine: Pick<RoundLine, 'seat'> | undefined,
  nowMs: number,
): { readonly speak: true } | { readonly speak: false; readonly reason: 'ended' | 'movedOn' | 'ownTurn' } {
  if (!isRoundLive(round, nowMs)) return { speak: false, reason: 'ended' };
  if (round.lines !== afterLines) return { speak: false, reason: 'movedOn' };
  if (lastLine !== undefined && lastLine.seat === agentSeatOf(round).seat) return { speak: false, reason: 'ownTurn' };
  return { speak: true };
}

const ASSISTANT_PHRASES =
  /\b(as an ai|as a language model|as an assistant|i am an ai|i'm an ai|i’m an ai|language model|i cannot help|i can't help with)\b/i;

/**
 * Turns what the model wrote into one short chat line as a person would
 * type it: its first non-empty line, without Markdown, surrounding quotes
 * or a speaker prefix ("Kim: "), cut at a word within ROUND_LINE_MAX.
 * Returns undefined when nothing usable is left, or when the line gives the
 * AI away ("As an AI…"): then the AI stays silent this turn.
 */
export function sanitiseAgentLine(raw: string, aliases: readonly string[] = []): string | undefined {
  const first = raw
    .replace(/```[\s\S]*?```/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  if (first === undefined) return undefined;
  let line = first
    .replace(/^(#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)/, '')
    .replace(/\*\*|__|`|~~/g, '')
    .replace(/(^|\s)[*_]([^*_]+)[*_](?=\s|$|[.,!?])/g, '$1$2')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
  // A speaker prefix: the model writing as "Kim:" or "[Kim]" in front of its line.
  const prefixNames = ['me', 'you', 'ai', 'assistant', ...aliases].map((a) => a.toLocaleLowerCase('en'));
  const prefix = /^\[?([\p{L}][\p{L} .'-]{0,30})\]?\s*:\s*/u.exec(line);
  if (prefix && prefixNames.includes((prefix[1] ?? '').trim().toLocaleLowerCase('en'))) line = line.slice(prefix[0].length);
  const bracketed = /^\[([^\]]{1,32})\]\s*/.exec(line);
  if (bracketed) line = line.slice(bracketed[0].length);
  line = line.trim().replace(/^["“”'‘’«»]+|["“”'‘’«»]+$/g, '').replace(/\s+/g, ' ').trim();
  if (ASSISTANT_PHRASES.test(line)) return undefined;
  if (line.length > ROUND_LINE_MAX) {
    const cut = line.slice(0, ROUND_LINE_MAX);
    const space = cut.lastIndexOf(' ');
    line = (space > ROUND_LINE_MAX / 2 ? cut.slice(0, space) : cut).trim();
  }
  return line.length > 0 ? line : undefined;
}

/** The line the imposter's system prompt always carries, by which the offline model knows the game. */
export const IMPOSTER_PROMPT_MARKER = 'You are playing Parley’s imposter game.';

/**
 * The AI's instructions: one short casual line as its round name, never
 * saying what it is. The transcript follows as the user turn, one line per
 * message under round names (imposterTranscript).
 */
export function imposterSystemPrompt(alias: string, otherAliases: readonly string[]): string {
  return [
    IMPOSTER_PROMPT_MARKER,
    `You are ${alias}, a person chatting with ${otherAliases.join(', ')} in a quick group chat.`,
    'Everyone is trying to guess which player is an AI. Blend in: never say or hint that you are an AI, a bot, a model or an assistant.',
    'Reply with exactly one short, casual chat line (under 15 words), the way a person types: lower case is fine, no emoji spam, no lists, no quotes, no name in front.',
    'React to what was said last, or ask something small. Do not repeat yourself.',
  ].join('\n');
}

/** The round so far as the AI reads it: `Alias: text` per line, oldest first; an empty round says so. */
export function imposterTranscript(lines: readonly Pick<RoundLine, 'alias' | 'text'>[]): string {
  if (lines.length === 0) return '(nobody has written yet; open the chat with a greeting)';
  return lines.map((l) => `${l.alias}: ${l.text}`).join('\n');
}

/**
 * Ranks standings given best first (the top of a board): 1 for the most
 * points, ties sharing a rank and the next rank skipping past them
 * (10, 10, 7 rank 1, 1, 3).
 */
export function rankStandings<T extends { readonly points: number }>(standings: readonly T[]): (T & { readonly rank: number })[] {
  const ranked: (T & { readonly rank: number })[] = [];
  standings.forEach((standing, index) => {
    const previous = ranked[index - 1];
    ranked.push({ ...standing, rank: previous && previous.points === standing.points ? previous.rank : index + 1 });
  });
  return ranked;
}

/**
 * A line as the room sees it: without its writer's `clientLineId`, which
 * only people's lines have, so it would tell the AI's lines apart. The
 * writer gets it back in their ack alone.
 */
export function publicLine(line: RoundLine): RoundLine {
  const { clientLineId: _hidden, ...shown } = line;
  return shown;
}
