import { beforeEach, describe, expect, it } from 'vitest';
import { PermissionError, ValidationError } from '../../../../../lambdas/domain/errors';
import { FOUND_POINTS, UNDETECTED_POINTS } from '../../../../../lambdas/domain/games/imposter';
import { AGENT_PLAYER_ID } from '../../../../../lambdas/domain/games/imposter-rules';
import { castVote } from '../../../../../lambdas/use-cases/games/imposter/cast-vote';
import { endRound } from '../../../../../lambdas/use-cases/games/imposter/end-round';
import { getLeaderboard } from '../../../../../lambdas/use-cases/games/imposter/get-leaderboard';
import { getRound } from '../../../../../lambdas/use-cases/games/imposter/get-round';
import { joinRoom } from '../../../../../lambdas/use-cases/join-room';
import { alice, bob, carol } from '../../../../support/fakes/chat';
import { dave, imposterRoom, type ImposterRoom } from '../../../../support/fakes/imposter';

describe('castVote', () => {
  let world: ImposterRoom['world'];
  let roomId: string;
  let start: ImposterRoom['start'];
  let framesOf: ImposterRoom['framesOf'];
  let seatOfUser: ImposterRoom['seatOfUser'];
  let agentSeat: ImposterRoom['agentSeat'];

  beforeEach(async () => {
    ({ world, roomId, start, framesOf, seatOfUser, agentSeat } = await imposterRoom());
  });

  it('counts a vote, audits it without whom, and tells the room how many voted', async () => {
    const { round } = await start();
    const seat = await agentSeat(round.roundId);

    const result = await castVote(world.deps, bob, { requestId: 'r', roomId, roundId: round.roundId, seat });

    expect(result.round.votes).toBe(1);
    expect(framesOf('roundVote')).toEqual([{ type: 'roundVote', roomId, roundId: round.roundId, votes: 1, players: 3 }]);
    const entry = world.audit.entries.find((e) => e.action === 'game.voteCast');
    expect(entry).toMatchObject({ actor: { type: 'user', id: bob.userId }, target: { type: 'round', id: round.roundId } });
    expect(entry?.details).toBeUndefined();
  });

  it('refuses a second vote, a vote for one’s own seat and a non-player', async () => {
    const { round } = await start();
    await joinRoom(world.roomDeps, dave, { roomId });
    const seat = await agentSeat(round.roundId);
    const own = await seatOfUser(round.roundId, bob.userId);
    await castVote(world.deps, bob, { requestId: 'r', roomId, roundId: round.roundId, seat });

    await expect(castVote(world.deps, bob, { requestId: 'r', roomId, roundId: round.roundId, seat })).rejects.toThrow(/already voted/);
    await expect(castVote(world.deps, carol, { requestId: 'r', roomId, roundId: round.roundId, seat: await seatOfUser(round.roundId, carol.userId) })).rejects.toThrow(ValidationError);
    await expect(castVote(world.deps, dave, { requestId: 'r', roomId, roundId: round.roundId, seat: own })).rejects.toThrow(PermissionError);
    expect(world.games.votes.get(round.roundId)).toHaveLength(1);
  });

  it('ends the round when every player has voted, even when the votes land together, once', async () => {
    const { round } = await start();
    const seat = await agentSeat(round.roundId);
    const bobSeat = await seatOfUser(round.roundId, bob.userId);

    await Promise.all([
      castVote(world.deps, alice, { requestId: 'r', roomId, roundId: round.roundId, seat }),
      castVote(world.deps, bob, { requestId: 'r', roomId, roundId: round.roundId, seat }),
      castVote(world.deps, carol, { requestId: 'r', roomId, roundId: round.roundId, seat: seat === bobSeat ? seat : bobSeat }),
    ]);

    const ended = framesOf('roundEnded') as { round: { endReason: string }; reveal: { agentSeat: number }; scores: { playerId: string; points: number }[] }[];
    expect(ended).toHaveLength(1);
    expect(ended[0]?.round.endReason).toBe('allVoted');
    expect(ended[0]?.reveal.agentSeat).toBe(seat);
    expect(world.audit.entries.filter((e) => e.action === 'game.roundEnded')).toHaveLength(1);
    expect(world.games.open.has(roomId)).toBe(false);
    const board = await getLeaderboard(world.deps, alice, { requestId: 'r', roomId, scope: 'room', limit: 10 });
    expect(board.leaderboard.entries.map((e) => [e.playerId, e.points, e.rank])).toEqual([
      [alice.userId, FOUND_POINTS, 1],
      [bob.userId, FOUND_POINTS, 1],
      [AGENT_PLAYER_ID, UNDETECTED_POINTS, 3],
      [carol.userId, 0, 4],
    ]);
  });

  it('refuses a vote that loses the race with the round’s end', async () => {
    const { round } = await start();
    const seat = await agentSeat(round.roundId);
    world.games.beforeVote = async () => {
      world.games.beforeVote = undefined;
      await endRound(world.deps, roomId, round.roundId, 'time');
    };

    await expect(castVote(world.deps, bob, { requestId: 'r', roomId, roundId: round.roundId, seat })).rejects.toThrow(/over/);
    const ended = await getRound(world.deps, bob, { requestId: 'r', roomId });
    expect(ended.reveal?.votes).toEqual([]);
  });
});
