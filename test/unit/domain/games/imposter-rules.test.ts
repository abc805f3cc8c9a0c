import { describe, expect, it } from 'vitest';
import { ConflictError, PermissionError, ValidationError } from '../../../../lambdas/domain/errors';
import { FOUND_POINTS, ROUND_LINE_MAX, UNDETECTED_POINTS, type Round, type RoundSeat } from '../../../../lambdas/domain/games/imposter';
import {
  AGENT_PLAYER_ID,
  AI_PACE,
  aiDelaySeconds,
  assertMayVote,
  assertMayWrite,
  IMPOSTER_PROMPT_MARKER,
  imposterSystemPrompt,
  imposterTranscript,
  mayAgentSpeak,
  rankStandings,
  revealRound,
  roundView,
  sanitiseAgentLine,
  scoreRound,
  seatRound,
  type RoundVote,
} from '../../../../lambdas/domain/games/imposter-rules';
import { seededRandom } from '../../../support/fakes/imposter';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const seats: RoundSeat[] = [
  { seat: 1, alias: 'Sam', kind: 'person', playerId: 'u-alice', displayName: 'Alice' },
  { seat: 2, alias: 'Kim', kind: 'agent', playerId: AGENT_PLAYER_ID, displayName: 'AI (test)' },
  { seat: 3, alias: 'Lou', kind: 'person', playerId: 'u-bob', displayName: 'Bob' },
  { seat: 4, alias: 'Max', kind: 'person', playerId: 'u-carol', displayName: 'Carol' },
];
const round: Round = {
  roomId: 'r1',
  roundId: '01JZ0000000000000000000000',
  status: 'open',
  startedBy: 'u-alice',
  startedAt: new Date(NOW).toISOString(),
  endsAt: new Date(NOW + 60_000).toISOString(),
  durationSeconds: 60,
  seats,
  lines: 2,
  votes: 0,
};
const vote = (voterId: string, voterSeat: number, votedSeat: number): RoundVote => ({ voterId, voterSeat, votedSeat, at: '' });

describe('seatRound', () => {
  const people = [
    { userId: 'u-1', displayName: 'Sam Smith' },
    { userId: 'u-2', displayName: 'kim' },
    { userId: 'u-3', displayName: 'Zoë' },
  ];

  it('seats every person and one AI in distinct seats under distinct round names', () => {
    const seated = seatRound(people, { displayName: 'AI' }, seededRandom(1));

    expect(seated.map((s) => s.seat)).toEqual([1, 2, 3, 4]);
    expect(seated.filter((s) => s.kind === 'agent')).toEqual([expect.objectContaining({ playerId: AGENT_PLAYER_ID })]);
    expect(new Set(seated.map((s) => s.alias)).size).toBe(4);
    expect(seated.map((s) => s.playerId).sort()).toEqual([AGENT_PLAYER_ID, 'u-1', 'u-2', 'u-3']);
  });

  it('never gives a round name that is a player’s name or its first word', () => {
    for (let seed = 0; seed < 50; seed += 1) {
      const aliases = seatRound(people, { displayName: 'AI' }, seededRandom(seed)).map((s) => s.alias.toLowerCase());
      expect(aliases).not.toContain('sam');
      expect(aliases).not.toContain('kim');
    }
  });

  it('puts the AI in different seats for different draws', () => {
    const agentSeats = new Set(Array.from({ length: 20 }, (_, seed) => seatRound(people, { displayName: 'AI' }, seededRandom(seed)).find((s) => s.kind === 'agent')?.seat));
    expect(agentSeats.size).toBeGreaterThan(1);
  });
});

describe('roundView', () => {
  it('shows seats by number and round name only, and the caller’s own seat', () => {
    const view = roundView(round, 'u-bob');

    expect(view.seats).toEqual([{ seat: 1, alias: 'Sam' }, { seat: 2, alias: 'Kim' }, { seat: 3, alias: 'Lou' }, { seat: 4, alias: 'Max' }]);
    expect(view).toMatchObject({ players: 3, yourSeat: 3, lines: 2, votes: 0 });
    expect(JSON.stringify(view)).not.toMatch(/u-alice|agent|Alice|AI \(test\)/);
  });

  it('has no seat for a watcher nor in frames to the room', () => {
    expect(roundView(round, 'u-dave').yourSeat).toBeUndefined();
    expect(roundView(round).yourSeat).toBeUndefined();
  });
});

describe('assertMayWrite and assertMayVote', () => {
  it('lets a seated person write and vote for another seat while the round is live', () => {
    expect(assertMayWrite(round, 'u-alice', NOW).seat).toBe(1);
    expect(assertMayVote(round, 'u-alice', 2, NOW).seat).toBe(1);
  });

  it('refuses someone who is not playing', () => {
    expect(() => assertMayWrite(round, 'u-dave', NOW)).toThrow(PermissionError);
    expect(() => assertMayVote(round, 'u-dave', 2, NOW)).toThrow(PermissionError);
  });

  it('refuses once the round has ended or its time is up', () => {
    expect(() => assertMayWrite({ ...round, status: 'ended' }, 'u-alice', NOW)).toThrow(ConflictError);
    expect(() => assertMayVote(round, 'u-alice', 2, NOW + 60_000)).toThrow(ConflictError);
  });

  it('refuses a vote for one’s own seat or a seat that does not exist', () => {
    expect(() => assertMayVote(round, 'u-alice', 1, NOW)).toThrow(ValidationError);
    expect(() => assertMayVote(round, 'u-alice', 9, NOW)).toThrow(ValidationError);
  });
});

describe('scoreRound', () => {
  it('gives finders their points, and the AI a point for each person who missed or abstained', () => {
    const scores = scoreRound(round, [vote('u-alice', 1, 2), vote('u-bob', 3, 4)]);

    expect(scores).toEqual([
      { playerId: 'u-alice', kind: 'person', displayName: 'Alice', points: FOUND_POINTS, outcome: 'found' },
      { playerId: AGENT_PLAYER_ID, kind: 'agent', displayName: 'AI (test)', points: 2 * UNDETECTED_POINTS, outcome: 'detected' },
      { playerId: 'u-bob', kind: 'person', displayName: 'Bob', points: 0, outcome: 'missed' },
      { playerId: 'u-carol', kind: 'person', displayName: 'Carol', points: 0, outcome: 'abstained' },
    ]);
  });

  it('calls the AI undetected when nobody found it', () => {
    const agent = scoreRound(round, [vote('u-alice', 1, 3)]).find((s) => s.kind === 'agent');
    expect(agent).toMatchObject({ points: 3 * UNDETECTED_POINTS, outcome: 'undetected' });
  });

  it('gives the AI nothing when everyone found it', () => {
    const agent = scoreRound(round, [vote('u-alice', 1, 2), vote('u-bob', 3, 2), vote('u-carol', 4, 2)]).find((s) => s.kind === 'agent');
    expect(agent).toMatchObject({ points: 0, outcome: 'detected' });
  });
});

describe('revealRound', () => {
  it('names the AI’s seat and label, who sat where, and each vote by seat', () => {
    const reveal = revealRound(round, [vote('u-bob', 3, 2), vote('u-alice', 1, 4)]);

    expect(reveal.agentSeat).toBe(2);
    expect(reveal.agentLabel).toBe('AI (test)');
    expect(reveal.seats[0]).toEqual({ seat: 1, alias: 'Sam', kind: 'person', displayName: 'Alice', playerId: 'u-alice' });
    expect(reveal.votes).toEqual([{ voterSeat: 1, votedSeat: 4 }, { voterSeat: 3, votedSeat: 2 }]);
  });
});

describe('aiDelaySeconds', () => {
  it('grows with the line to read and stays within the bounds', () => {
    const short = aiDelaySeconds('ok', () => 0.5);
    const long = aiDelaySeconds('x'.repeat(ROUND_LINE_MAX), () => 0.5);

    expect(long).toBeGreaterThan(short);
    for (const r of [0, 0.5, 0.999]) {
      for (const text of ['', 'x'.repeat(10_000)]) {
        const delay = aiDelaySeconds(text, () => r);
        expect(delay).toBeGreaterThanOrEqual(AI_PACE.minSeconds);
        expect(delay).toBeLessThanOrEqual(AI_PACE.maxSeconds);
      }
    }
  });

  it('jitters, so the AI’s rhythm is not a constant', () => {
    expect(aiDelaySeconds('hello there', () => 0)).not.toBe(aiDelaySeconds('hello there', () => 0.999));
  });
});

describe('mayAgentSpeak', () => {
  it('speaks on the chat state it was asked about', () => {
    expect(mayAgentSpeak(round, 2, { seat: 1 }, NOW)).toEqual({ speak: true });
  });

  it('stays silent when the chat moved on, when its own line is last, or when the round is over', () => {
    expect(mayAgentSpeak(round, 1, { seat: 1 }, NOW)).toEqual({ speak: false, reason: 'movedOn' });
    expect(mayAgentSpeak(round, 2, { seat: 2 }, NOW)).toEqual({ speak: false, reason: 'ownTurn' });
    expect(mayAgentSpeak(round, 2, { seat: 1 }, NOW + 60_000)).toEqual({ speak: false, reason: 'ended' });
  });
});

describe('sanitiseAgentLine', () => {
  it('keeps one plain line', () => {
    expect(sanitiseAgentLine('lol yeah same\nand another thing')).toBe('lol yeah same');
  });

  it('strips Markdown, quotes around the line and a speaker prefix', () => {
    expect(sanitiseAgentLine('"**honestly** no idea"')).toBe('honestly no idea');
    expect(sanitiseAgentLine('Kim: pizza for sure', ['Kim'])).toBe('pizza for sure');
    expect(sanitiseAgentLine('- `wait` what')).toBe('wait what');
  });

  it('keeps a colon that is part of the sentence', () => {
    expect(sanitiseAgentLine('fun fact: cats sleep a lot', ['Kim'])).toBe('fun fact: cats sleep a lot');
  });

  it('says nothing rather than give itself away', () => {
    expect(sanitiseAgentLine('As an AI, I do not eat pizza.')).toBeUndefined();
    expect(sanitiseAgentLine('  \n ""  ')).toBeUndefined();
  });

  it('cuts a long line at a word within the limit', () => {
    const line = sanitiseAgentLine('word '.repeat(200)) ?? '';
    expect(line.length).toBeLessThanOrEqual(ROUND_LINE_MAX);
    expect(line.endsWith('word')).toBe(true);
  });
});

describe('the imposter prompt', () => {
  it('carries its marker and the AI’s round name, and lists the transcript by round name', () => {
    expect(imposterSystemPrompt('Kim', ['Sam', 'Lou'])).toContain(IMPOSTER_PROMPT_MARKER);
    expect(imposterSystemPrompt('Kim', ['Sam', 'Lou'])).toContain('You are Kim');
    expect(imposterTranscript([{ alias: 'Sam', text: 'hi' }, { alias: 'Kim', text: 'hey' }])).toBe('Sam: hi\nKim: hey');
  });
});

describe('rankStandings', () => {
  it('lets ties share a rank and skips past them', () => {
    expect(rankStandings([{ points: 10 }, { points: 10 }, { points: 7 }, { points: 0 }]).map((e) => e.rank)).toEqual([1, 1, 3, 4]);
  });
});
