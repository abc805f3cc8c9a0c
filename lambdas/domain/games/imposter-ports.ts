import type { ImposterJob } from './jobs';
import type { LeaderboardEntry, LeaderboardScope, Round, RoundLine, RoundScore } from './imposter';
import type { RoundVote } from './imposter-rules';

/**
 * Ports of the imposter game. The DynamoDB adapters keep rounds, lines,
 * votes and leaderboards in the games table (adapters/dynamodb/games-schema.ts);
 * the SQS adapter schedules the worker's jobs; tests use in-memory fakes.
 */

/** What appending a line did: wrote it, found the same line written before (a retry), or found the round moved on. */
export type AppendLineResult =
  | { readonly outcome: 'written'; readonly line: RoundLine }
  | { readonly outcome: 'duplicate'; readonly line: RoundLine }
  /** The round has more lines than `afterLines`, or is no longer open: nothing was written. */
  | { readonly outcome: 'movedOn' };

/** What a vote did: counted, refused as a second vote, or refused because the round closed. */
export type CastVoteResult = 'cast' | 'alreadyVoted' | 'closed';

/** Rounds with their lines and votes. */
export interface RoundStore {
  /**
   * Stores a new open round and the room's open-round marker in one
   * transaction; resolves false, writing nothing, when the room already
   * has an open round.
   */
  createRound(round: Round): Promise<boolean>;
  /** A round as stored, read consistently. */
  getRound(roomId: string, roundId: string): Promise<Round | undefined>;
  /** The room's open round, if any. */
  getOpenRound(roomId: string): Promise<Round | undefined>;
  /** The room's latest round, open or ended. */
  getLatestRound(roomId: string): Promise<Round | undefined>;
  /**
   * Writes line `afterLines + 1` and counts it on the round in one
   * transaction, only while the round is open and still has `afterLines`
   * lines. `clientLineId` (people's lines) makes a retry find the line
   * written first instead of writing another. `expiresAt` (epoch seconds,
   * from the room's retention; undefined when it keeps messages forever)
   * is capped by the store at the games' longest keeping of text.
   */
  appendLine(
    round: Pick<Round, 'roomId' | 'roundId'>,
    afterLines: number,
    line: Omit<RoundLine, 'seq' | 'roundId'> & { readonly writerId: string },
    expiresAt: number | undefined,
  ): Promise<AppendLineResult>;
  /** The round's lines in order (at most a round's worth: a few hundred). */
  listLines(roundId: string): Promise<RoundLine[]>;
  /** Stores one person's vote and counts it on the round in one transaction, only while it is open. */
  castVote(round: Pick<Round, 'roomId' | 'roundId'>, vote: RoundVote): Promise<CastVoteResult>;
  listVotes(roundId: string): Promise<RoundVote[]>;
  /**
   * Ends the round exactly once: flips it to ended only if it is still open
   * with exactly `ended.votes` votes, removes the room's open-round marker
   * and adds each score to the room's and the overall leaderboard, all in
   * one transaction. Resolves false, writing nothing, when the round had
   * ended or a vote came in since it was read.
   */
  endRound(ended: Round, scores: readonly RoundScore[]): Promise<boolean>;
}

/** Which leaderboard: one room's, or every room's. */
export type Board = { readonly scope: 'room'; readonly roomId: string } | { readonly scope: Extract<LeaderboardScope, 'overall'> };

/** A leaderboard entry before ranking. */
export type Standing = Omit<LeaderboardEntry, 'rank'>;

/** Reading the leaderboards. */
export interface LeaderboardReader {
  /** The `limit` best standings, most points first. */
  top(board: Board, limit: number): Promise<Standing[]>;
  /** A player's standing, if they ever scored on this board. */
  standing(board: Board, playerId: string): Promise<Standing | undefined>;
  /** How many players have more than `points`: a player's rank is this plus one. */
  countAbove(board: Board, points: number): Promise<number>;
}

/** The imposter worker's queue: each job runs after its delay (at most MAX_QUEUE_DELAY_SECONDS). */
export interface ImposterJobQueue {
  enqueue(job: ImposterJob, delaySeconds: number): Promise<void>;
}
