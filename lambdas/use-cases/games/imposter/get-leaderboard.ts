import type { Leaderboard } from '../../../domain/games/imposter';
import type { Board } from '../../../domain/games/imposter-ports';
import { rankStandings } from '../../../domain/games/imposter-rules';
import type { RequestOf } from '../../../domain/protocol';
import type { Identity } from '../../../domain/types';
import type { ImposterDeps } from './deps';
import { requireImposterRoom } from './round-access';

/**
 * The top `limit` players of the room's leaderboard (or the overall one),
 * best first, each with a rank that ties share; and the caller's own entry
 * with its rank (one COUNT of the players above them), also when they are
 * outside the top. Asked from an imposter room the caller belongs to.
 */
export async function getLeaderboard(
  deps: Pick<ImposterDeps, 'rooms' | 'leaderboards'>,
  identity: Identity,
  request: RequestOf<'getLeaderboard'>,
): Promise<{ leaderboard: Leaderboard }> {
  await requireImposterRoom(deps, request.roomId, identity.userId);
  const board: Board = request.scope === 'room' ? { scope: 'room', roomId: request.roomId } : { scope: 'overall' };
  const [top, mine] = await Promise.all([
    deps.leaderboards.top(board, request.limit),
    deps.leaderboards.standing(board, identity.userId),
  ]);
  const entries = rankStandings(top);
  const listed = entries.find((e) => e.playerId === identity.userId);
  const you =
    listed ?? (mine ? { ...mine, rank: (await deps.leaderboards.countAbove(board, mine.points)) + 1 } : undefined);
  return {
    leaderboard: {
      scope: request.scope,
      ...(request.scope === 'room' ? { roomId: request.roomId } : {}),
      entries,
      ...(you ? { you } : {}),
    },
  };
}
