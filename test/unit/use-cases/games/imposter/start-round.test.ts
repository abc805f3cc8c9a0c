import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, PermissionError } from '../../../../../lambdas/domain/errors';
import { AGENT_PLAYER_ID } from '../../../../../lambdas/domain/games/imposter-rules';
import { createRoom } from '../../../../../lambdas/use-cases/create-room';
import { getRound } from '../../../../../lambdas/use-cases/games/imposter/get-round';
import { startRound } from '../../../../../lambdas/use-cases/games/imposter/start-round';
import { alice, bob, carol } from '../../../../support/fakes/chat';
import { imposterRoom, type ImposterRoom } from '../../../../support/fakes/imposter';

describe('startRound', () => {
  let world: ImposterRoom['world'];
  let roomId: string;
  let start: ImposterRoom['start'];
  let framesOf: ImposterRoom['framesOf'];
  let seatOfUser: ImposterRoom['seatOfUser'];

  beforeEach(async () => {
    ({ world, roomId, start, framesOf, seatOfUser } = await imposterRoom());
  });

  it('seats the online members and the AI, schedules the end and the AI’s first line, audits and announces it', async () => {
    const { round } = await start();

    expect(round).toMatchObject({ status: 'open', players: 3, durationSeconds: 60, lines: 0, votes: 0 });
    expect(round.seats).toHaveLength(4);
    expect(round.yourSeat).toBe(await seatOfUser(round.roundId, alice.userId));
    expect(world.jobs.jobs).toEqual([
      { job: { kind: 'roundTimer', roomId, roundId: round.roundId }, delaySeconds: 60 },
      { job: { kind: 'imposterLine', roomId, roundId: round.roundId, afterLines: 0 }, delaySeconds: expect.any(Number) },
    ]);
    expect(world.audit.entries.at(-1)).toMatchObject({
      action: 'game.roundStarted',
      actor: { type: 'user', id: alice.userId },
      target: { type: 'round', id: round.roundId },
      details: { players: 3, durationSeconds: 60 },
    });
    const [frame] = framesOf('roundStarted') as { round: { yourSeat?: number } }[];
    expect(frame?.round.yourSeat).toBeUndefined();
    expect(JSON.stringify(world.gateway.posts)).not.toContain(AGENT_PLAYER_ID);
  });

  it('seats only members who are online, never guests or people outside the room', async () => {
    await world.connections.removeConnection(`c-${carol.userId}`);
    const { round } = await start();

    const seated = (await world.games.getRound(roomId, round.roundId))!.seats.map((s) => s.playerId).sort();
    expect(seated).toEqual([AGENT_PLAYER_ID, alice.userId, bob.userId].sort());
  });

  it('refuses with fewer people online than a round needs', async () => {
    await world.connections.removeConnection(`c-${carol.userId}`);
    await world.connections.removeConnection(`c-${bob.userId}`);
    await expect(start()).rejects.toThrow(/at least 2/);
    expect(world.games.rounds.size).toBe(0);
  });

  it('caps a round’s delay at the queue’s longest and lets the timer requeue the rest', async () => {
    const { round } = await start(alice, 900);
    expect(world.jobs.jobs[0]?.delaySeconds).toBe(900);
    expect(round.durationSeconds).toBe(900);
  });

  it('refuses a member who is not the owner or a moderator', async () => {
    await expect(start(bob)).rejects.toThrow(PermissionError);
    expect(world.games.rounds.size).toBe(0);
  });

  it('refuses in a chat room', async () => {
    const chat = (await createRoom(world.roomDeps, alice, { name: 'Chat', visibility: 'public' })).room.roomId;
    await expect(startRound(world.deps, alice, { requestId: 'r', roomId: chat, durationSeconds: 60 })).rejects.toThrow(ConflictError);
  });

  it('ends a round whose time is up but whose timer never came, then starts the next', async () => {
    const { round: first } = await start();
    world.clock.advance(61_000);

    const { round: next } = await start();

    expect(next.roundId).not.toBe(first.roundId);
    expect((await world.games.getRound(roomId, first.roundId))?.endReason).toBe('time');
    expect(framesOf('roundEnded')).toHaveLength(1);
  });

  it('keeps one open round per room', async () => {
    await start();
    await expect(start()).rejects.toThrow(/already running/);
    expect(world.games.rounds.size).toBe(1);
  });
});
