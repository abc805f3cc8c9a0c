import { beforeEach, describe, expect, it } from 'vitest';
import { runRoundTimer } from '../../../../../lambdas/use-cases/games/imposter/run-round-timer';
import { alice } from '../../../../support/fakes/chat';
import { imposterRoom, type ImposterRoom } from '../../../../support/fakes/imposter';

describe('runRoundTimer', () => {
  let world: ImposterRoom['world'];
  let roomId: string;
  let start: ImposterRoom['start'];

  beforeEach(async () => {
    ({ world, roomId, start } = await imposterRoom());
  });

  it('requeues itself while time remains, then ends the round', async () => {
    const { round } = await start(alice, 60);
    world.jobs.jobs.length = 0;
    world.clock.advance(30_000);

    expect(await runRoundTimer(world.deps, { kind: 'roundTimer', roomId, roundId: round.roundId })).toEqual({ outcome: 'requeued' });
    expect(world.jobs.jobs).toEqual([{ job: { kind: 'roundTimer', roomId, roundId: round.roundId }, delaySeconds: 30 }]);

    world.clock.advance(30_000);
    const ended = await runRoundTimer(world.deps, { kind: 'roundTimer', roomId, roundId: round.roundId });
    expect(ended.outcome).toBe('ended');
    expect(await runRoundTimer(world.deps, { kind: 'roundTimer', roomId, roundId: round.roundId })).toEqual({ outcome: 'alreadyEnded' });
  });

  it('leaves the round of a deleted room unscored, so its purge leaves no points behind', async () => {
    const { round } = await start(alice, 60);
    world.clock.advance(60_000);
    await world.rooms.markDeleted(roomId, new Date(world.clock.now()).toISOString());

    expect(await runRoundTimer(world.deps, { kind: 'roundTimer', roomId, roundId: round.roundId })).toEqual({ outcome: 'roomDeleted' });
    expect((await world.deps.rounds.getRound(roomId, round.roundId))?.status).toBe('open');
  });
});
