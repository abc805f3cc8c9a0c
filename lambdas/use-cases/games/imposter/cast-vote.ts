import type { DeliveryReport } from '../../../domain/delivery';
import { mergeReports } from '../../../domain/delivery';
import { ConflictError } from '../../../domain/errors';
import type { RoundView } from '../../../domain/games/imposter';
import { assertMayVote, playersOf, roundView } from '../../../domain/games/imposter-rules';
import type { RequestOf } from '../../../domain/protocol';
import type { Identity } from '../../../domain/types';
import { deliverToRoom } from '../../delivery/deliver-to-room';
import type { ImposterDeps } from './deps';
import { endRound } from './end-round';
import { requireImposterRoom, requireRound } from './round-access';

/**
 * A seated person's vote for the seat they think is the AI: once per round
 * (a conditional write, counted on the round in the same transaction, only
 * while it is open), never for their own seat. Audited as `game.voteCast`
 * without saying for whom; the room hears `roundVote` (how many of how
 * many). The vote that completes the round (every person has voted) ends
 * it at once; when several land together, endRound lets one of them win.
 */
export async function castVote(
  deps: ImposterDeps,
  identity: Identity,
  request: RequestOf<'castVote'>,
): Promise<{ round: RoundView; delivery?: DeliveryReport }> {
  await requireImposterRoom(deps, request.roomId, identity.userId);
  const round = await requireRound(deps, request.roomId, request.roundId);
  const now = deps.clock.now();
  const voter = assertMayVote(round, identity.userId, request.seat, now);
  const at = new Date(now).toISOString();
  const outcome = await deps.rounds.castVote(round, { voterId: identity.userId, voterSeat: voter.seat, votedSeat: request.seat, at });
  if (outcome === 'alreadyVoted') throw new ConflictError('You have already voted in this round.');
  if (outcome === 'closed') throw new ConflictError('This round is over.');

  await deps.audit.record({
    roomId: round.roomId,
    idempotencyKey: `game.voteCast:${round.roundId}:${identity.userId}`,
    occurredAt: at,
    actor: { type: 'user', id: identity.userId },
    action: 'game.voteCast',
    target: { type: 'round', id: round.roundId },
  });
  const counted = (await deps.rounds.getRound(round.roomId, round.roundId)) ?? round;
  const players = playersOf(counted);
  const reports = [
    await deliverToRoom(deps, round.roomId, { type: 'roundVote', roomId: round.roomId, roundId: round.roundId, votes: counted.votes, players }),
  ];
  if (counted.status === 'open' && counted.votes >= players) {
    const ended = await endRound(deps, round.roomId, round.roundId, 'allVoted');
    if (ended?.delivery) reports.push(ended.delivery);
    const view = roundView(ended?.round ?? counted, identity.userId);
    return { round: view, delivery: mergeReports(reports) };
  }
  return { round: roundView(counted, identity.userId), delivery: mergeReports(reports) };
}
