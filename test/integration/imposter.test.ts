import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOUND_POINTS, UNDETECTED_POINTS } from '../../lambdas/domain/games/imposter';
import { type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';

interface View {
  roundId: string;
  status: string;
  yourSeat?: number;
  seats: { seat: number; alias: string }[];
  endReason?: string;
}
interface Ended {
  round: View;
  reveal: { agentSeat: number; seats: { seat: number; playerId: string; kind: string }[]; votes: { voterSeat: number; votedSeat: number }[] };
  scores: { playerId: string; kind: string; points: number; outcome: string }[];
}
interface Board {
  leaderboard: { entries: { playerId: string; points: number; rank: number; rounds: number }[]; you?: { rank: number; points: number } };
}

/**
 * The imposter game through Parley's front door: three people and the
 * hidden AI (the offline model) in a room made in imposter mode, over real
 * WebSockets against the local runtime, its queues and its timers.
 */
describe('the imposter game on the local runtime', () => {
  let parley: LocalParleyProcess;
  let alice: TestClient;
  let bob: TestClient;
  let carol: TestClient;
  let roomId: string;
  const isFrame = (type: string, roundId: string) => (f: Frame) =>
    f.type === type && ((f['round'] as View | undefined)?.roundId === roundId || (f['line'] as { roundId?: string } | undefined)?.roundId === roundId);

  beforeAll(async () => {
    parley = await startLocalParley();
    [alice, bob, carol] = await Promise.all([parley.connect('alice'), parley.connect('bob'), parley.connect('carol')]);
    ({ room: { roomId } } = await alice.ok<{ room: { roomId: string } }>('createRoom', { name: 'imposter night', mode: 'imposter' }));
    await bob.ok('joinRoom', { roomId });
    await carol.ok('joinRoom', { roomId });
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('plays a full round: lines from people and the AI, votes at once, a reveal and a leaderboard that counts right', async () => {
    const { round } = await alice.ok<{ round: View }>('startRound', { roomId, durationSeconds: 300 });
    await Promise.all([bob, carol].map((c) => c.waitFor(isFrame('roundStarted', round.roundId))));
    const seatOf = async (client: TestClient) => (await client.ok<{ round: View }>('getRound', { roomId })).round.yourSeat!;
    const [aliceSeat, bobSeat, carolSeat] = [round.yourSeat!, await seatOf(bob), await seatOf(carol)];
    const people = new Set([aliceSeat, bobSeat, carolSeat]);
    expect(people.size).toBe(3);
    const agentSeat = round.seats.map((s) => s.seat).find((seat) => !people.has(seat))!;

    await bob.ok('sendRoundLine', { roomId, roundId: round.roundId, clientLineId: 'b1', text: 'anyone up for basketball tonight' });
    const aiLine = await alice.waitFor(
      (f) => isFrame('roundLine', round.roundId)(f) && (f['line'] as { seat: number }).seat === agentSeat,
      30_000,
    );
    const text = (aiLine['line'] as { text: string }).text;
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/\bAI\b|model|assistant/);

    // Someone who joined after the start watches: no line, no vote.
    const dave = await parley.connect('dave');
    await dave.ok('joinRoom', { roomId });
    expect(await dave.request('sendRoundLine', { roomId, roundId: round.roundId, clientLineId: 'd1', text: 'me too' })).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(await dave.request('castVote', { roomId, roundId: round.roundId, seat: agentSeat })).toMatchObject({ type: 'error', code: 'FORBIDDEN' });

    // Every vote at once, and Alice's twice: one of hers counts, the other is refused.
    const answers = await Promise.all([
      alice.request('castVote', { roomId, roundId: round.roundId, seat: agentSeat }),
      alice.request('castVote', { roomId, roundId: round.roundId, seat: agentSeat }),
      bob.request('castVote', { roomId, roundId: round.roundId, seat: agentSeat }),
      carol.request('castVote', { roomId, roundId: round.roundId, seat: bobSeat }),
    ]);
    expect(answers.map((a) => a.type).sort()).toEqual(['ack', 'ack', 'ack', 'error']);
    expect(answers.find((a) => a.type === 'error')).toMatchObject({ code: 'CONFLICT' });

    const ended = (await carol.waitFor(isFrame('roundEnded', round.roundId), 15_000)) as unknown as Ended;
    expect(ended.round).toMatchObject({ status: 'ended', endReason: 'allVoted' });
    expect(ended.reveal.agentSeat).toBe(agentSeat);
    expect(ended.reveal.votes).toHaveLength(3);
    const playerAt = (seat: number) => ended.reveal.seats.find((s) => s.seat === seat)!.playerId;
    const pointsOf = Object.fromEntries(ended.scores.map((s) => [s.playerId, s.points]));
    expect(pointsOf[playerAt(aliceSeat)]).toBe(FOUND_POINTS);
    expect(pointsOf[playerAt(bobSeat)]).toBe(FOUND_POINTS);
    expect(pointsOf[playerAt(carolSeat)]).toBe(0);
    expect(pointsOf[playerAt(agentSeat)]).toBe(UNDETECTED_POINTS);
    await Promise.all([alice, bob].map((c) => c.waitFor(isFrame('roundEnded', round.roundId))));

    for (const scope of ['room', 'overall']) {
      const { leaderboard } = await carol.ok<Board>('getLeaderboard', { roomId, scope });
      expect(leaderboard.entries.map((e) => [e.playerId, e.points, e.rank])).toEqual(
        expect.arrayContaining([
          [playerAt(aliceSeat), FOUND_POINTS, 1],
          [playerAt(bobSeat), FOUND_POINTS, 1],
          [playerAt(agentSeat), UNDETECTED_POINTS, 3],
          [playerAt(carolSeat), 0, 4],
        ]),
      );
      expect(leaderboard.you).toMatchObject({ rank: 4, points: 0 });
    }
    const after = await alice.request('castVote', { roomId, roundId: round.roundId, seat: agentSeat });
    expect(after).toMatchObject({ type: 'error', code: 'CONFLICT' });
    // Answered after the end was posted: by now a second end would have been heard too.
    for (const client of [alice, bob, carol]) expect(client.frames.filter(isFrame('roundEnded', round.roundId))).toHaveLength(1);
    await dave.close();
  }, 90_000);

  it('ends a round on time when nobody acts', async () => {
    const { round } = await alice.ok<{ round: View }>('startRound', { roomId, durationSeconds: 30 });

    const ended = (await bob.waitFor(isFrame('roundEnded', round.roundId), 60_000)) as unknown as Ended;

    expect(ended.round.endReason).toBe('time');
    const people = ended.scores.filter((s) => s.kind === 'person');
    expect(people.length).toBeGreaterThanOrEqual(3);
    expect(people.every((s) => s.outcome === 'abstained' && s.points === 0)).toBe(true);
    expect(ended.scores.find((s) => s.kind === 'agent')).toMatchObject({ outcome: 'undetected', points: people.length * UNDETECTED_POINTS });
    const { round: latest } = await carol.ok<{ round: View }>('getRound', { roomId });
    expect(latest).toMatchObject({ roundId: round.roundId, status: 'ended' });
  }, 90_000);

  it('refuses a game action in a chat room', async () => {
    const { room } = await alice.ok<{ room: { roomId: string } }>('createRoom', { name: 'just chat' });
    expect(await alice.request('startRound', { roomId: room.roomId })).toMatchObject({ type: 'error', code: 'CONFLICT' });
  });
});
