import { MAX_QUEUE_DELAY_SECONDS, type ImposterJob } from '../../../domain/games/jobs';
import type { ImposterDeps } from './deps';
import { endRound, type EndedRound } from './end-round';

/**
 * A round's timer (job `roundTimer`): ends the round when its time is up,
 * or, when the queue's longest delay fell short of the round's length,
 * schedules itself again for the time remaining. A round already ended
 * (every player voted) is left as it is, and so is a round of a deleted
 * room: scoring it would write points to a leaderboard the room's purge
 * removes (or has removed), and nobody is left to see its reveal.
 */
export async function runRoundTimer(
  deps: Pick<ImposterDeps, 'rooms' | 'rounds' | 'clock' | 'audit' | 'connections' | 'gateway' | 'jobs'>,
  job: Extract<ImposterJob, { kind: 'roundTimer' }>,
): Promise<{ outcome: 'noRound' | 'alreadyEnded' | 'requeued' | 'roomDeleted' } | { outcome: 'ended'; ended: EndedRound }> {
  const round = await deps.rounds.getRound(job.roomId, job.roundId);
  if (!round) return { outcome: 'noRound' };
  const room = await deps.rooms.getRoom(job.roomId);
  if (room === undefined || room.deletedAt !== undefined) return { outcome: 'roomDeleted' };
  if (round.status === 'ended') return { outcome: 'alreadyEnded' };
  const remainingMs = Date.parse(round.endsAt) - deps.clock.now();
  if (remainingMs > 0) {
    await deps.jobs.enqueue(job, Math.min(Math.ceil(remainingMs / 1000), MAX_QUEUE_DELAY_SECONDS));
    return { outcome: 'requeued' };
  }
  const ended = await endRound(deps, job.roomId, job.roundId, 'time');
  if (!ended) return { outcome: 'noRound' };
  return ended.endedHere ? { outcome: 'ended', ended } : { outcome: 'alreadyEnded' };
}
