import { describe, expect, it } from 'vitest';
import {
  aliasOf,
  applyImposterFrame,
  canVote,
  canWrite,
  countdown,
  emptyImposter,
  fromRoundAnswer,
  revealRows,
  secondsLeft,
  votableSeats,
  voted,
  type RoundLine,
  type RoundReveal,
  type RoundScore,
  type RoundView,
} from '../../../web/src/games/imposter-state';
import { roundStatusText, timerText } from '../../../web/src/ui/imposter-panel';

const roundId = '01JZ3KA0R7N5M3K1H9G7F5D3B1';
const start = Date.parse('2026-12-07T10:00:00.000Z');
const round = (fields: Partial<RoundView> = {}): RoundView => ({
  roomId: 'r1',
  roundId,
  status: 'open',
  startedAt: '2026-12-07T10:00:00.000Z',
  endsAt: '2026-12-07T10:03:00.000Z',
  durationSeconds: 180,
  seats: [
    { seat: 1, alias: 'Robin' },
    { seat: 2, alias: 'Sasha' },
    { seat: 3, alias: 'Toni' },
    { seat: 4, alias: 'Uma' },
  ],
  players: 3,
  lines: 0,
  votes: 0,
  ...fields,
});
const line = (seq: number, seat: number, text = `line ${seq}`): RoundLine => ({
  roundId,
  seq,
  seat,
  alias: aliasOf(round(), seat),
  text,
  at: new Date(start + seq * 1000).toISOString(),
});
const reveal: RoundReveal = {
  agentSeat: 3,
  agentLabel: 'AI (offline model)',
  seats: [
    { seat: 1, alias: 'Robin', kind: 'person', displayName: 'ann', playerId: 'u-ann' },
    { seat: 2, alias: 'Sasha', kind: 'person', displayName: 'bob', playerId: 'u-bob' },
    { seat: 3, alias: 'Toni', kind: 'agent', displayName: 'AI', playerId: 'agent:imposter' },
    { seat: 4, alias: 'Uma', kind: 'person', displayName: 'cy', playerId: 'u-cy' },
  ],
  votes: [
    { voterSeat: 1, votedSeat: 3 },
    { voterSeat: 2, votedSeat: 4 },
  ],
};
const scores: RoundScore[] = [
  { playerId: 'u-ann', kind: 'person', displayName: 'ann', points: 2, outcome: 'found' },
  { playerId: 'u-bob', kind: 'person', displayName: 'bob', points: 0, outcome: 'missed' },
  { playerId: 'u-cy', kind: 'person', displayName: 'cy', points: 0, outcome: 'abstained' },
  { playerId: 'agent:imposter', kind: 'agent', displayName: 'AI', points: 2, outcome: 'detected' },
];
const seated = () => fromRoundAnswer(emptyImposter, { round: round({ yourSeat: 2 }), lines: [] });

describe('the imposter state', () => {
  it('takes the caller’s seat and the lines from getRound', () => {
    const state = fromRoundAnswer(emptyImposter, { round: round({ yourSeat: 2, lines: 2 }), lines: [line(2, 1), line(1, 3)] });

    expect(state.yourSeat).toBe(2);
    expect(state.lines.map((l) => l.seq)).toEqual([1, 2]);
  });

  it('shows nothing when the room has no round', () => {
    expect(fromRoundAnswer(seated(), { round: null })).toEqual(emptyImposter);
  });

  it('keeps each line once, in order, however the frames and answers cross', () => {
    let state = seated();
    state = applyImposterFrame(state, { type: 'roundLine', roomId: 'r1', line: line(2, 3) });
    state = applyImposterFrame(state, { type: 'roundLine', roomId: 'r1', line: line(1, 1) });
    state = applyImposterFrame(state, { type: 'roundLine', roomId: 'r1', line: line(2, 3) });
    state = fromRoundAnswer(state, { round: round({ lines: 2 }), lines: [line(1, 1)] });

    expect(state.lines.map((l) => l.seq)).toEqual([1, 2]);
    expect(state.round?.lines).toBe(2);
    expect(state.yourSeat).toBe(2);
  });

  it('ignores lines of another round', () => {
    const state = applyImposterFrame(seated(), { type: 'roundLine', roomId: 'r1', line: { ...line(1, 1), roundId: '01JZ3KA0R7N5M3K1H9G7F5D3B2' } });

    expect(state.lines).toEqual([]);
  });

  it('counts votes without going back when frames arrive out of order', () => {
    let state = seated();
    state = applyImposterFrame(state, { type: 'roundVote', roomId: 'r1', roundId, votes: 2, players: 3 });
    state = applyImposterFrame(state, { type: 'roundVote', roomId: 'r1', roundId, votes: 1, players: 3 });

    expect(state.round?.votes).toBe(2);
  });

  it('offers a vote for every seat but the caller’s own, once', () => {
    const state = seated();

    expect(votableSeats(state).map((s) => s.alias)).toEqual(['Robin', 'Toni', 'Uma']);
    expect(canVote(state)).toBe(true);
    expect(canVote(voted(state, 3))).toBe(false);
  });

  it('offers no vote nor line to someone not seated', () => {
    const watching = fromRoundAnswer(emptyImposter, { round: round(), lines: [] });

    expect(votableSeats(watching)).toEqual([]);
    expect(canVote(watching)).toBe(false);
    expect(canWrite(watching, start)).toBe(false);
  });

  it('lets a seated player write until the time is up', () => {
    expect(canWrite(seated(), start + 179_000)).toBe(true);
    expect(canWrite(seated(), start + 180_000)).toBe(false);
  });

  it('starts afresh on a new round, forgetting the old seat until getRound tells the new one', () => {
    const next = round({ roundId: '01JZ3KA0R7N5M3K1H9G7F5D3B9', startedAt: '2026-12-07T10:10:00.000Z' });
    const state = applyImposterFrame(voted(seated(), 3), { type: 'roundStarted', roomId: 'r1', round: next });

    expect(state.round?.roundId).toBe(next.roundId);
    expect(state.yourSeat).toBeUndefined();
    expect(state.myVote).toBeUndefined();
    expect(state.lines).toEqual([]);
  });

  it('ends with the reveal and the scores, and a late open view does not reopen it', () => {
    let state = applyImposterFrame(voted(seated(), 3), {
      type: 'roundEnded',
      roomId: 'r1',
      round: round({ status: 'ended', votes: 3, endReason: 'allVoted', endedAt: '2026-12-07T10:01:00.000Z' }),
      reveal,
      scores,
    });
    state = fromRoundAnswer(state, { round: round({ votes: 2 }), lines: [] });

    expect(state.round?.status).toBe('ended');
    expect(state.reveal?.agentSeat).toBe(3);
    expect(state.yourSeat).toBe(2);
    expect(canVote(state)).toBe(false);
  });

  it('lays the reveal out seat by seat with each vote and score', () => {
    const state = { ...seated(), reveal, scores };

    expect(revealRows(state)).toEqual([
      { seat: 1, alias: 'Robin', displayName: 'ann', isAgent: false, isYou: false, votedFor: 'Toni', points: 2, outcome: 'found' },
      { seat: 2, alias: 'Sasha', displayName: 'bob', isAgent: false, isYou: true, votedFor: 'Uma', points: 0, outcome: 'missed' },
      { seat: 3, alias: 'Toni', displayName: 'AI', isAgent: true, isYou: false, points: 2, outcome: 'detected' },
      { seat: 4, alias: 'Uma', displayName: 'cy', isAgent: false, isYou: false, points: 0, outcome: 'abstained' },
    ]);
  });
});

describe('the round’s time', () => {
  it('counts whole seconds down to the end, never below zero', () => {
    expect(secondsLeft('2026-12-07T10:03:00.000Z', start)).toBe(180);
    expect(secondsLeft('2026-12-07T10:03:00.000Z', start + 179_500)).toBe(1);
    expect(secondsLeft('2026-12-07T10:03:00.000Z', start + 200_000)).toBe(0);
    expect(secondsLeft('not a date', start)).toBe(0);
  });

  it('reads as minutes and seconds', () => {
    expect(countdown(180)).toBe('3:00');
    expect(countdown(61)).toBe('1:01');
    expect(countdown(0)).toBe('0:00');
  });

  it('says in the status whether the round is open, its time up or how it ended', () => {
    expect(roundStatusText(emptyImposter, start)).toBe('No round yet.');
    expect(roundStatusText(seated(), start)).toBe('Round open.');
    expect(timerText(seated(), start + 1000)).toBe('2:59 left');
    expect(roundStatusText(seated(), start + 181_000)).toBe('Time is up: the reveal is coming.');
    expect(roundStatusText({ ...seated(), round: round({ status: 'ended', endReason: 'allVoted' }) }, start)).toBe('Round ended: everyone voted.');
    expect(timerText({ ...seated(), round: round({ status: 'ended', endReason: 'time' }) }, start)).toBe('');
  });
});
