import { beforeEach, describe, expect, it } from 'vitest';
import { AGENT_PLAYER_ID } from '../../../../../lambdas/domain/games/imposter-rules';
import { endRound } from '../../../../../lambdas/use-cases/games/imposter/end-round';
import { imposterRoom, type ImposterRoom } from '../../../../support/fakes/imposter';

describe('endRound', () => {
  let world: ImposterRoom['world'];
  let roomId: string;
  let start: ImposterRoom['start'];
  let framesOf: ImposterRoom['framesOf'];

  beforeEach(async () => {
    ({ world, roomId, start, framesOf } = await imposterRoom());
  });

  it('ends a round once: a second end changes nothing and tells nobody', async () => {
    const { round } = await start();
    const first = await endRound(world.deps, roomId, round.roundId, 'time');
    const second = await endRound(world.deps, roomId, round.roundId, 'time');

    expect(first?.endedHere).toBe(true);
    expect(second?.endedHere).toBe(false);
    expect(framesOf('roundEnded')).toHaveLength(1);
    expect((await world.games.standing({ scope: 'overall' }, AGENT_PLAYER_ID))?.rounds).toBe(1);
    expect(world.audit.entries.find((e) => e.action === 'game.roundEnded')).toMatchObject({
      actor: { type: 'system', id: 'imposter' },
      details: { reason: 'time', players: 3, votes: 0, found: 0 },
    });
  });
});
