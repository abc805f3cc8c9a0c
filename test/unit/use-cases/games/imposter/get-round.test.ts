import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../../../lambdas/domain/errors';
import { createRoom } from '../../../../../lambdas/use-cases/create-room';
import { endRound } from '../../../../../lambdas/use-cases/games/imposter/end-round';
import { getRound } from '../../../../../lambdas/use-cases/games/imposter/get-round';
import { sendRoundLine } from '../../../../../lambdas/use-cases/games/imposter/send-round-line';
import { alice, bob, carol } from '../../../../support/fakes/chat';
import { dave, imposterRoom, type ImposterRoom } from '../../../../support/fakes/imposter';

describe('getRound', () => {
  let world: ImposterRoom['world'];
  let roomId: string;
  let start: ImposterRoom['start'];
  let seatOfUser: ImposterRoom['seatOfUser'];
  let agentSeat: ImposterRoom['agentSeat'];

  beforeEach(async () => {
    ({ world, roomId, start, seatOfUser, agentSeat } = await imposterRoom());
  });

  it('hides who is who while the round is open and reveals it once ended', async () => {
    const { round } = await start();
    await sendRoundLine(world.lineDeps, bob, { requestId: 'r', roomId, roundId: round.roundId, clientLineId: 'l1', text: 'hi' });

    const open = await getRound(world.deps, bob, { requestId: 'r', roomId });
    expect(open.reveal).toBeUndefined();
    expect(open.lines).toHaveLength(1);
    expect(open.lines[0]).not.toHaveProperty('clientLineId');
    expect(open.round.yourSeat).toBe(await seatOfUser(round.roundId, bob.userId));

    await endRound(world.deps, roomId, round.roundId, 'time');
    const ended = await getRound(world.deps, bob, { requestId: 'r', roomId, roundId: round.roundId });
    expect(ended.reveal?.agentSeat).toBe(await agentSeat(round.roundId));
    expect(ended.scores).toHaveLength(4);
  });

  it('keeps the latest lines that fit one frame and says how many earlier ones it left out', async () => {
    const { round } = await start();
    for (let i = 0; i < 120; i += 1) {
      const who = [alice, bob, carol][i % 3]!;
      await sendRoundLine(world.lineDeps, who, { requestId: 'r', roomId, roundId: round.roundId, clientLineId: `l${i}`, text: `${i} ${'€'.repeat(290)}` });
    }

    const { lines, omittedLines } = await getRound(world.deps, bob, { requestId: 'r', roomId });

    expect(omittedLines).toBeGreaterThan(0);
    expect(lines.length + omittedLines!).toBe(120);
    expect(lines.at(-1)?.seq).toBe(120);
    expect(Buffer.byteLength(JSON.stringify(lines))).toBeLessThanOrEqual(96 * 1024);
  });

  it('answers NOT_FOUND to a non-member of a private room and before any round', async () => {
    const secret = (await createRoom(world.roomDeps, alice, { name: 'Secret', visibility: 'private', mode: 'imposter' })).room.roomId;
    await expect(getRound(world.deps, dave, { requestId: 'r', roomId: secret })).rejects.toThrow(NotFoundError);
    await expect(getRound(world.deps, alice, { requestId: 'r', roomId: secret })).rejects.toThrow(NotFoundError);
  });
});
