import { mergeReports, type DeliveryReport } from '../../../domain/delivery';
import { ConflictError, PermissionError } from '../../../domain/errors';
import { ROUND_PLAYERS, type Round, type RoundView } from '../../../domain/games/imposter';
import { MAX_QUEUE_DELAY_SECONDS } from '../../../domain/games/jobs';
import { aiDelaySeconds, isRoundLive, roundView, seatRound } from '../../../domain/games/imposter-rules';
import { canManageMembers } from '../../../domain/permissions';
import type { RequestOf } from '../../../domain/protocol';
import type { Identity } from '../../../domain/types';
import { deliverToRoom } from '../../delivery/deliver-to-room';
import type { ImposterDeps } from './deps';
import { endRound } from './end-round';
import { requireImposterRoom } from './round-access';

/**
 * Starts a round in an imposter room: the owner or a moderator. The players
 * are the room's members with a live connection to it (guests watch, they
 * do not play), between ROUND_PLAYERS.min and max; the AI takes one more
 * seat. Every check runs before any write. A round whose time is up but
 * which its timer has not ended (late or lost) is ended first; the new
 * round and the room's open-round marker are created in one transaction,
 * so two owners starting at once make one round. Then the round's end is scheduled (a timer job,
 * so it ends on time even if nobody acts), and the AI's first line; the
 * start is audited and announced with `roundStarted` (seats under round
 * names only). The ack carries the caller's view with `yourSeat`.
 */
export async function startRound(
  deps: ImposterDeps,
  identity: Identity,
  request: RequestOf<'startRound'>,
): Promise<{ round: RoundView; delivery?: DeliveryReport }> {
  const { room, membership } = await requireImposterRoom(deps, request.roomId, identity.userId);
  if (!canManageMembers(membership.role)) throw new PermissionError('Only the owner or a moderator can start a round.');
  const open = await deps.rounds.getOpenRound(room.roomId);
  if (open && isRoundLive(open, deps.clock.now())) throw new ConflictError('A round is already running in this room.');

  const online = new Set((await deps.connections.listRoomConnections(room.roomId)).map((c) => c.userId));
  const members = await deps.rooms.listMembers(room.roomId);
  const people = members
    .filter((m) => m.role !== 'guest' && online.has(m.userId))
    .sort((a, b) => a.userId.localeCompare(b.userId));
  if (people.length < ROUND_PLAYERS.min) {
    throw new ConflictError(`A round needs at least ${ROUND_PLAYERS.min} members online; ${people.length} ${people.length === 1 ? 'is' : 'are'}.`);
  }
  if (people.length > ROUND_PLAYERS.max) {
    throw new ConflictError(`A round seats at most ${ROUND_PLAYERS.max} people; ${people.length} members are online.`);
  }

  const reports: DeliveryReport[] = [];
  if (open) {
    // Its time is up but its timer has not ended it (late, or dead-lettered): end it now, so a lost timer never locks the room.
    const ended = await endRound(deps, open.roomId, open.roundId, 'time');
    if (ended?.delivery) reports.push(ended.delivery);
  }
  const now = deps.clock.now();
  const round: Round = {
    roomId: room.roomId,
    roundId: deps.nextId(now),
    status: 'open',
    startedBy: identity.userId,
    startedAt: new Date(now).toISOString(),
    endsAt: new Date(now + request.durationSeconds * 1000).toISOString(),
    durationSeconds: request.durationSeconds,
    seats: seatRound(people, { displayName: deps.agentLabel }, deps.random),
    lines: 0,
    votes: 0,
  };
  if (!(await deps.rounds.createRound(round))) throw new ConflictError('A round is already running in this room.');

  const job = { roomId: round.roomId, roundId: round.roundId };
  await Promise.all([
    deps.jobs.enqueue({ kind: 'roundTimer', ...job }, Math.min(request.durationSeconds, MAX_QUEUE_DELAY_SECONDS)),
    deps.jobs.enqueue({ kind: 'imposterLine', ...job, afterLines: 0 }, aiDelaySeconds('', deps.random)),
  ]);
  await deps.audit.record({
    roomId: round.roomId,
    idempotencyKey: `game.roundStarted:${round.roundId}`,
    occurredAt: round.startedAt,
    actor: { type: 'user', id: identity.userId },
    action: 'game.roundStarted',
    target: { type: 'round', id: round.roundId },
    details: { players: people.length, durationSeconds: round.durationSeconds },
  });
  reports.push(await deliverToRoom(deps, round.roomId, { type: 'roundStarted', roomId: round.roomId, round: roundView(round) }));
  return { round: roundView(round, identity.userId), delivery: mergeReports(reports) };
}
