/**
 * The imposter game: people chat in rounds under round names while one seat
 * is played by an AI that writes like a person; players vote for the seat
 * they think is the AI; when the round ends (on time, or once every player
 * has voted) the AI is revealed and points go to the leaderboard.
 *
 * This file holds the game's shared vocabulary (what a round, a line, a vote,
 * a reveal and a score are); the rules live beside it (imposter-rules.ts)
 * and the use cases in use-cases/games/imposter/.
 */

/** A round's length in seconds: at least, at most, and when startRound names none. */
export const ROUND_SECONDS = { min: 30, max: 900, fallback: 180 } as const;
/** People seated in a round (the AI takes one more seat). */
export const ROUND_PLAYERS = { min: 2, max: 8 } as const;
/** The longest round line, in characters: rounds are quick chat, not essays. */
export const ROUND_LINE_MAX = 300;
/** Points for a person who votes for the AI's seat. */
export const FOUND_POINTS = 2;
/** Points for the AI for each player who did not find it. */
export const UNDETECTED_POINTS = 1;

export type RoundStatus = 'open' | 'ended';
/** Why a round ended: its time ran out, or every seated person voted. */
export type RoundEndReason = 'time' | 'allVoted';
export type SeatKind = 'person' | 'agent';

/** A seat as stored: who really sits there. Never sent to players while the round is open. */
export interface RoundSeat {
  /** 1-based, in the order shown. */
  readonly seat: number;
  /** The round name everyone sees for this seat (a human first name, the AI's too). */
  readonly alias: string;
  readonly kind: SeatKind;
  /** A user id, or for the AI the id it scores under on the leaderboard (`agent:imposter`). */
  readonly playerId: string;
  /** The person's display name, or the AI's label; shown only in the reveal. */
  readonly displayName: string;
}

/** A round as stored. */
export interface Round {
  readonly roomId: string;
  /** Time-sortable (ids.ts), so a room's latest round sorts last. */
  readonly roundId: string;
  readonly status: RoundStatus;
  readonly startedBy: string;
  readonly startedAt: string;
  /** When the round ends if not every player votes first (ISO-8601). */
  readonly endsAt: string;
  readonly durationSeconds: number;
  readonly seats: readonly RoundSeat[];
  /** Lines written so far (each line's sequence number is the count before it, plus one). */
  readonly lines: number;
  /** Votes cast so far. */
  readonly votes: number;
  readonly endedAt?: string;
  readonly endReason?: RoundEndReason;
}

/** A seat as players see it during the round: its number and round name only. */
export interface SeatView {
  readonly seat: number;
  readonly alias: string;
}

/** A round as players see it. `yourSeat` is set only in answers to the caller (getRound, startRound), never in frames to the room. */
export interface RoundView {
  readonly roomId: string;
  readonly roundId: string;
  readonly status: RoundStatus;
  readonly startedAt: string;
  readonly endsAt: string;
  readonly durationSeconds: number;
  readonly seats: readonly SeatView[];
  /** People seated (the AI's seat not counted), so `votes` of `players` is shown. */
  readonly players: number;
  readonly lines: number;
  readonly votes: number;
  readonly yourSeat?: number;
  readonly endedAt?: string;
  readonly endReason?: RoundEndReason;
}

/** One line of a round's chat, under its seat's round name. */
export interface RoundLine {
  readonly roundId: string;
  /** 1-based, in the order written. */
  readonly seq: number;
  readonly seat: number;
  readonly alias: string;
  readonly text: string;
  readonly at: string;
  /** The id its writer gave it, to match the ack; absent on the AI's lines. */
  readonly clientLineId?: string;
}

/** What the end of a round reveals: who sat where, which seat was the AI, and every vote. */
export interface RoundReveal {
  readonly agentSeat: number;
  /** What the AI was (for example "AI (offline model)"), hidden until now. */
  readonly agentLabel: string;
  readonly seats: readonly (SeatView & { readonly kind: SeatKind; readonly displayName: string; readonly playerId: string })[];
  readonly votes: readonly { readonly voterSeat: number; readonly votedSeat: number }[];
}

/** How a seat fared in a round. */
export type RoundOutcome = 'found' | 'missed' | 'abstained' | 'undetected' | 'detected';

/** One seat's points for a round. */
export interface RoundScore {
  readonly playerId: string;
  readonly kind: SeatKind;
  readonly displayName: string;
  readonly points: number;
  readonly outcome: RoundOutcome;
}

export type LeaderboardScope = 'room' | 'overall';

/** One player's standing: total points over every round scored in the scope, and rank (1 = most points; ties share a rank). */
export interface LeaderboardEntry {
  readonly rank: number;
  readonly playerId: string;
  readonly kind: SeatKind;
  readonly displayName: string;
  readonly points: number;
  readonly rounds: number;
}

export interface Leaderboard {
  readonly scope: LeaderboardScope;
  /** The room for scope `room`. */
  readonly roomId?: string;
  /** The top entries, best first. */
  readonly entries: readonly LeaderboardEntry[];
  /** The caller's own standing, also when outside the top entries; absent when they have never scored. */
  readonly you?: LeaderboardEntry;
}
