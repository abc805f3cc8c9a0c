import type { LeaderboardScope } from '../../../lambdas/domain/games/imposter';
import type { Leaderboard, RoundLine, RoundReveal, RoundScore, RoundView, SeatView } from '../../../lambdas/domain/games/imposter';
import type { FrameOf } from '../protocol';

/**
 * An imposter room as one person's tab sees it (docs/web.md, "Game
 * rooms"): the current round, its lines, the caller's seat and vote, the
 * reveal and scores once it ends. Pure: the panel feeds it Parley's answers
 * and frames and renders what it returns.
 */
export type { Leaderboard, LeaderboardScope, RoundLine, RoundReveal, RoundScore, RoundView, SeatView };

export type ImposterFrame = FrameOf<'roundStarted' | 'roundLine' | 'roundVote' | 'roundEnded'>;

/** What `getRound` answers: the round (none yet is `null`), its lines, and once ended its reveal and scores. */
export interface RoundAnswer {
  readonly round: RoundView | null;
  readonly lines?: readonly RoundLine[];
  readonly reveal?: RoundReveal;
  readonly scores?: readonly RoundScore[];
}

export interface ImposterState {
  readonly round?: RoundView;
  /** The caller's seat in the round; absent when not seated (or not known yet). */
  readonly yourSeat?: number;
  /** Lines by sequence number, oldest first, each once. */
  readonly lines: readonly RoundLine[];
  /** The seat this tab voted for in the round. */
  readonly myVote?: number;
  readonly reveal?: RoundReveal;
  readonly scores?: readonly RoundScore[];
}

export const emptyImposter: ImposterState = { lines: [] };

/** Merges lines by sequence number: each once, in order. */
export function mergeLines(lines: readonly RoundLine[], more: readonly RoundLine[]): RoundLine[] {
  const bySeq = new Map<number, RoundLine>();
  for (const line of [...lines, ...more]) bySeq.set(line.seq, line);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The state from a `getRound` answer; the caller's vote stays when it is the same round. */
export function fromRoundAnswer(state: ImposterState, answer: RoundAnswer): ImposterState {
  const { round } = answer;
  if (round === null) return emptyImposter;
  const same = state.round?.roundId === round.roundId;
  return {
    round: same && state.round !== undefined ? newer(state.round, round) : round,
    ...(round.yourSeat !== undefined ? { yourSeat: round.yourSeat } : same && state.yourSeat !== undefined ? { yourSeat: state.yourSeat } : {}),
    lines: mergeLines(same ? state.lines : [], answer.lines ?? []),
    ...(same && state.myVote !== undefined ? { myVote: state.myVote } : {}),
    ...revealOf(answer.reveal, answer.scores, same ? state : undefined),
  };
}

/** A frame of the room applied; frames of another round than the one shown start it afresh (roundStarted) or are ignored. */
export function applyImposterFrame(state: ImposterState, frame: ImposterFrame): ImposterState {
  switch (frame.type) {
    case 'roundStarted':
      if (state.round?.roundId === frame.round.roundId) return { ...state, round: newer(state.round, frame.round) };
      // A new round: nobody's seat is known until getRound says it (frames to the room never carry it).
      return { round: frame.round, lines: [] };
    case 'roundLine': {
      if (state.round?.roundId !== frame.line.roundId) return state;
      const lines = mergeLines(state.lines, [frame.line]);
      return { ...state, lines, round: { ...state.round, lines: Math.max(state.round.lines, frame.line.seq) } };
    }
    case 'roundVote':
      if (state.round?.roundId !== frame.roundId || state.round.status === 'ended') return state;
      // Frames may come out of order: a count never goes back.
      return { ...state, round: { ...state.round, votes: Math.max(state.round.votes, frame.votes), players: frame.players } };
    case 'roundEnded':
      if (state.round !== undefined && state.round.roundId !== frame.round.roundId && state.round.startedAt > frame.round.startedAt) return state;
      return {
        ...(state.round?.roundId === frame.round.roundId ? state : { lines: [] }),
        round: { ...frame.round, ...(state.yourSeat !== undefined ? { yourSeat: state.yourSeat } : {}) },
        reveal: frame.reveal,
        scores: frame.scores,
      };
  }
}

/** The caller's vote, once Parley accepted it. */
export const voted = (state: ImposterState, seat: number): ImposterState => ({ ...state, myVote: seat });

/** The seats the caller may vote for: every seat but their own, while the round is open, seated and not yet voted. */
export function votableSeats(state: ImposterState): readonly SeatView[] {
  const { round, yourSeat } = state;
  if (round === undefined || round.status !== 'open' || yourSeat === undefined) return [];
  return round.seats.filter((s) => s.seat !== yourSeat);
}

/** Whether the vote buttons still take a vote. */
export const canVote = (state: ImposterState): boolean =>
  state.round?.status === 'open' && state.yourSeat !== undefined && state.myVote === undefined;

/** Whether the caller may write a line: seated in an open round. */
export const canWrite = (state: ImposterState, now: number): boolean =>
  state.round?.status === 'open' && state.yourSeat !== undefined && secondsLeft(state.round.endsAt, now) > 0;

/** Whole seconds until `endsAt`, never below zero. */
export function secondsLeft(endsAt: string, now: number): number {
  const left = Date.parse(endsAt) - now;
  return Number.isFinite(left) && left > 0 ? Math.ceil(left / 1000) : 0;
}

/** A countdown as `m:ss`. */
export function countdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The round name of a seat, or its number when the round does not name it. */
export function aliasOf(round: Pick<RoundView, 'seats'> | undefined, seat: number): string {
  return round?.seats.find((s) => s.seat === seat)?.alias ?? `#${seat}`;
}

/** One row of the reveal: who sat where, whether it was the AI, and for whom they voted. */
export interface RevealRow {
  readonly seat: number;
  readonly alias: string;
  readonly displayName: string;
  readonly isAgent: boolean;
  readonly isYou: boolean;
  /** The seat's vote, as the round name voted for. */
  readonly votedFor?: string;
  readonly points?: number;
  readonly outcome?: RoundScore['outcome'];
}

/** The reveal as rows in seat order, each with its vote and its points. */
export function revealRows(state: ImposterState): RevealRow[] {
  const { reveal, scores = [] } = state;
  if (reveal === undefined) return [];
  const votes = new Map(reveal.votes.map((v) => [v.voterSeat, v.votedSeat]));
  return [...reveal.seats]
    .sort((a, b) => a.seat - b.seat)
    .map((seat) => {
      const vote = votes.get(seat.seat);
      const score = scores.find((s) => s.playerId === seat.playerId);
      return {
        seat: seat.seat,
        alias: seat.alias,
        displayName: seat.displayName,
        isAgent: seat.seat === reveal.agentSeat,
        isYou: seat.seat === state.yourSeat,
        ...(vote !== undefined ? { votedFor: reveal.seats.find((s) => s.seat === vote)?.alias ?? `#${vote}` } : {}),
        ...(score !== undefined ? { points: score.points, outcome: score.outcome } : {}),
      };
    });
}

/** The later of two views of one round: an ended view is never taken back to open, counts never go back. */
function newer(before: RoundView, after: RoundView): RoundView {
  if (before.status === 'ended' && after.status === 'open') return before;
  const yourSeat = after.yourSeat ?? before.yourSeat;
  return {
    ...after,
    lines: Math.max(before.lines, after.lines),
    votes: Math.max(before.votes, after.votes),
    ...(yourSeat !== undefined ? { yourSeat } : {}),
  };
}

function revealOf(reveal: RoundReveal | undefined, scores: readonly RoundScore[] | undefined, kept: ImposterState | undefined) {
  const r = reveal ?? kept?.reveal;
  const s = scores ?? kept?.scores;
  return { ...(r !== undefined ? { reveal: r } : {}), ...(s !== undefined ? { scores: s } : {}) };
}
