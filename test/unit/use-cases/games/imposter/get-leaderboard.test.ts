import { beforeEach, describe, expect, it } from 'vitest';
import { FOUND_POINTS } from '../../../../../lambdas/domain/games/imposter';
import { castVote } from '../../../../../lambdas/use-cases/games/imposter/cast-vote';
import { endRound } from '../../../../../lambdas/use-cases/games/imposter/end-round';
import { getLeaderboard } from '../../../../../lambdas/use-cases/games/imposter/get-leaderboard';
import { bob, carol } from '../../../../support/fakes/chat';
import { imposterRoom, type ImposterRoom } from '../../../../support/fakes/imposter';

describe('getLeaderboard', () => {
  let world: ImposterRoom['world'];
  let roomId: string;
  let start: ImposterRoom['start'];
  let agentSeat: ImposterRoom['agentSeat'];

  beforeEach(async () => {
    ({ world, roomId, start, agentSeat } = await imposterRoom());
  });

  it('gives the caller their own rank when outside the top', async () => {
    const { round } = await start();
    const seat = await agentSeat(round.roundId);
    await castVote(world.deps, bob, { requestId: 'r', roomId, roundId: round.roundId, seat });
    await endRound(world.deps, roomId, round.roundId, 'time');

    const { leaderboard } = await getLeaderboard(world.deps, carol, { requestId: 'r', roomId, scope: 'overall', limit: 1 });

    expect(leaderboard.entries).toHaveLength(1);
    expect(leaderboard.entries[0]).toMatchObject({ rank: 1, points: FOUND_POINTS });
    expect(leaderboard.you).toMatchObject({ playerId: carol.userId, points: 0, rank: 3 });
  });
});
