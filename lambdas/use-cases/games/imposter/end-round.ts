import type { DeliveryReport } from '../../../domain/delivery';
import type { Round, RoundEndReason, RoundReveal, RoundScore } from '../../../domain/games/imposter';
import { foundCount, playersOf, revealRound, roundView, scoreRound } from '../../../domain/games/imposter-rules';
import { deliverToRoom } from '../../delivery/deliver-to-room';
import type { ImposterDeps } from './deps';

/** Votes racing the end: each lost attempt re-reads the votes, a few times. */
const END_ATTEMPTS = 5;

export interface EndedRound {
  readonly round: Round;
  readonly reveal: RoundReveal;
  readonly scores: readonly RoundScore[];
  /** False when the round had already been ended by someone else (the timer or the last vote): nothing was done here. */
  readonly endedHere: boolean;
  readonly delivery?: DeliveryReport;
}

/**
 * Ends a round, exactly once, whoever asks (its timer, or the vote that
 * completed it): reads its votes, scores them, and in one transaction flips
 * the round to ended (only if still open with the votes read, so a vote
 * racing the end is either counted or refused), removes the room's
 * open-round marker and adds every seat's points to the room's and the
 * overall leaderboard. Only the caller whose transaction won records
 * `game.roundEnded` (actor system `imposter`) and tells the room with
 * `roundEnded`: the reveal and the scores. Asking again changes nothing.
 */
export async function endRound(
  deps: Pick<ImposterDeps, 'rounds' | 'clock' | 'audit' | 'connections' | 'gateway'>,
  roomId: string,
  roundId: string,
  reason: RoundEndReason,
): Promise<EndedRound | undefined> {
  for (let attempt = 0; attempt < END_ATTEMPTS; attempt += 1) {
    const round = await deps.rounds.getRound(roomId, roundId);
    if (!round) return undefined;
    const votes = await deps.rounds.listVotes(roundId);
    if (round.status === 'ended') {
      return { round, reveal: revealRound(round, votes), scores: scoreRound(round, votes), endedHere: false };
    }
    const endedAt = new Date(deps.clock.now()).toISOString();
    // The vote count read with the round is what the transaction checks; a vote stored since makes it retry.
    const ended: Round = { ...round, status: 'ended', endedAt, endReason: reason };
    const counted = votes.length === round.votes ? votes : undefined;
    if (counted === undefined) continue;
    const scores = scoreRound(ended, counted);
    if (!(await deps.rounds.endRound(ended, scores))) continue;
    await deps.audit.record({
      roomId,
      idempotencyKey: `game.roundEnded:${roundId}`,
      occurredAt: endedAt,
      actor: { type: 'system', id: 'imposter' },
      action: 'game.roundEnded',
      target: { type: 'round', id: roundId },
      details: { reason, players: playersOf(ended), votes: counted.length, found: foundCount(ended, counted) },
    });
    const reveal = revealRound(ended, counted);
    const delivery = await deliverToRoom(deps, roomId, { type: 'roundEnded', roomId, round: roundView(ended), reveal, scores });
    return { round: ended, reveal, scores, endedHere: true, delivery };
  }
  throw new Error(`Round ${roundId} could not be ended after ${END_ATTEMPTS} attempts: votes kept arriving.`);
}
