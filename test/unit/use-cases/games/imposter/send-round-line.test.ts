import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, PermissionError, RateLimitedError, ValidationError } from '../../../../../lambdas/domain/errors';
import { applySettingsPatch, DEFAULT_MODERATION_SETTINGS } from '../../../../../lambdas/domain/moderation/settings';
import { sendRoundLine } from '../../../../../lambdas/use-cases/games/imposter/send-round-line';
import { joinRoom } from '../../../../../lambdas/use-cases/join-room';
import { bob } from '../../../../support/fakes/chat';
import { dave, imposterRoom, type ImposterRoom } from '../../../../support/fakes/imposter';

describe('sendRoundLine', () => {
  let world: ImposterRoom['world'];
  let roomId: string;
  let start: ImposterRoom['start'];
  let framesOf: ImposterRoom['framesOf'];
  let seatOfUser: ImposterRoom['seatOfUser'];

  beforeEach(async () => {
    ({ world, roomId, start, framesOf, seatOfUser } = await imposterRoom());
  });

  it('stores the line under the writer’s round name, tells the room and asks the AI to consider an answer', async () => {
    const { round } = await start();
    world.jobs.jobs.length = 0;

    const { line } = await sendRoundLine(world.lineDeps, bob, { requestId: 'r', roomId, roundId: round.roundId, clientLineId: 'l1', text: 'hi all' });

    const seat = await seatOfUser(round.roundId, bob.userId);
    expect(line).toMatchObject({ seq: 1, seat, text: 'hi all', clientLineId: 'l1' });
    const { clientLineId: _own, ...shown } = line;
    expect(framesOf('roundLine')).toEqual([{ type: 'roundLine', roomId, line: shown }]);
    expect(world.jobs.jobs).toEqual([
      { job: { kind: 'imposterLine', roomId, roundId: round.roundId, afterLines: 1 }, delaySeconds: expect.any(Number) },
    ]);
    expect(world.rateLimiter.calls).toEqual([bob.userId]);
  });

  it('answers a retry with the line stored first', async () => {
    const { round } = await start();
    const first = await sendRoundLine(world.lineDeps, bob, { requestId: 'r', roomId, roundId: round.roundId, clientLineId: 'l1', text: 'hi' });
    const again = await sendRoundLine(world.lineDeps, bob, { requestId: 'r', roomId, roundId: round.roundId, clientLineId: 'l1', text: 'hi' });

    expect(again).toMatchObject({ duplicate: true, line: first.line });
    expect(await world.games.listLines(round.roundId)).toHaveLength(1);
  });

  it('applies the room’s moderation: a blocked line is refused, a redacted one stored redacted', async () => {
    const { round } = await start();
    world.settings.items.set(roomId, applySettingsPatch(DEFAULT_MODERATION_SETTINGS, { profanity: { action: 'block' } }));
    await expect(
      sendRoundLine(world.lineDeps, bob, { requestId: 'r', roomId, roundId: round.roundId, clientLineId: 'l1', text: 'what the fuck' }),
    ).rejects.toThrow(ValidationError);
    expect(await world.games.listLines(round.roundId)).toHaveLength(0);

    world.settings.items.set(roomId, DEFAULT_MODERATION_SETTINGS);
    const { line } = await sendRoundLine(world.lineDeps, bob, { requestId: 'r', roomId, roundId: round.roundId, clientLineId: 'l2', text: 'mail me at bob@example.com' });
    expect(line.text).not.toContain('bob@example.com');
    expect(JSON.stringify(world.gateway.posts)).not.toContain('fuck');
  });

  it('refuses someone who is not playing, a line after the round’s time and a spent message budget', async () => {
    const { round } = await start();
    await joinRoom(world.roomDeps, dave, { roomId });
    const line = (who: { userId: string; displayName: string }, clientLineId: string) =>
      sendRoundLine(world.lineDeps, who, { requestId: 'r', roomId, roundId: round.roundId, clientLineId, text: 'hey' });

    await expect(line(dave, 'l1')).rejects.toThrow(PermissionError);
    world.rateLimiter.allow = false;
    await expect(line(bob, 'l2')).rejects.toThrow(RateLimitedError);
    world.rateLimiter.allow = true;
    world.clock.advance(60_000);
    await expect(line(bob, 'l3')).rejects.toThrow(ConflictError);
    expect(await world.games.listLines(round.roundId)).toHaveLength(0);
  });
});
