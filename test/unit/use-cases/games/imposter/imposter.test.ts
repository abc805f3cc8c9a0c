import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PermissionError, RateLimitedError, ValidationError } from '../../../../../lambdas/domain/errors';
import { FOUND_POINTS, UNDETECTED_POINTS } from '../../../../../lambdas/domain/games/imposter';
import { AGENT_PLAYER_ID, IMPOSTER_PROMPT_MARKER } from '../../../../../lambdas/domain/games/imposter-rules';
import { applySettingsPatch, DEFAULT_MODERATION_SETTINGS } from '../../../../../lambdas/domain/moderation/settings';
import { createRoom } from '../../../../../lambdas/use-cases/create-room';
import { castVote } from '../../../../../lambdas/use-cases/games/imposter/cast-vote';
import { endRound } from '../../../../../lambdas/use-cases/games/imposter/end-round';
import { getLeaderboard } from '../../../../../lambdas/use-cases/games/imposter/get-leaderboard';
import { getRound } from '../../../../../lambdas/use-cases/games/imposter/get-round';
import { runRoundTimer } from '../../../../../lambdas/use-cases/games/imposter/run-round-timer';
import { sendRoundLine } from '../../../../../lambdas/use-cases/games/imposter/send-round-line';
import { startRound } from '../../../../../lambdas/use-cases/games/imposter/start-round';
import { takeAgentTurn } from '../../../../../lambdas/use-cases/games/imposter/take-agent-turn';
import { joinRoom } from '../../../../../lambdas/use-cases/join-room';
import { alice, bob, carol } from '../../../../support/fakes/chat';
import { imposterWorld, ScriptedModel } from '../../../../support/fakes/imposter';

const dave = { userId: 'u-dave', displayName: 'Dave' };

describe('the imposter game', () => {
  let world: ReturnType<typeof imposterWorld>;
  let roomId: string;

  beforeEach(async () => {
    world = imposterWorld();
    for (const who of [alice, bob, carol, dave]) {
      await world.connections.saveConnection({ connectionId: `c-${who.userId}`, ...who, connectedAt: '' }, []);
    }
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Game', visibility: 'public', mode: 'imposter' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId });
    await joinRoom(world.roomDeps, carol, { roomId });
    world.gateway.posts.length = 0;
  });

  const start = (who = alice, durationSeconds = 60) => startRound(world.deps, who, { requestId: 'r', roomId, durationSeconds });
  const framesOf = (type: string) => world.gateway.framesFor(`c-${alice.userId}`).filter((f) => (f as { type: string }).type === type);
  const seatOfUser = async (roundId: string, userId: string) =>
    (await world.games.getRound(roomId, roundId))!.seats.find((s) => s.playerId === userId)!.seat;
  const agentSeat = async (roundId: string) => (await world.games.getRound(roomId, roundId))!.seats.find((s) => s.kind === 'agent')!.seat;

  describe('startRound', () => {
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

    it('keeps one open round per room', async () => {
      await start();
      await expect(start()).rejects.toThrow(/already running/);
      expect(world.games.rounds.size).toBe(1);
    });
  });

  describe('sendRoundLine', () => {
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

  describe('castVote', () => {
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

  describe('endRound', () => {
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

  describe('runRoundTimer', () => {
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
  });

  describe('getRound', () => {
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

  describe('getLeaderboard', () => {
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

  describe('takeAgentTurn', () => {
    it('writes the model’s line, sanitised, in the AI’s seat after reading the round by round name', async () => {
      const { round } = await start();
      await sendRoundLine(world.lineDeps, bob, { requestId: 'r', roomId, roundId: round.roundId, clientLineId: 'l1', text: 'anyone like pizza' });
      world.agentDeps = { ...world.agentDeps, model: new ScriptedModel(['Kim: "**pizza** is great"']) };

      const turn = await takeAgentTurn(world.agentDeps, { kind: 'imposterLine', roomId, roundId: round.roundId, afterLines: 1 });

      expect(turn).toMatchObject({ outcome: 'written', line: { seq: 2, seat: await agentSeat(round.roundId) } });
      const model = world.agentDeps.model as ScriptedModel;
      expect(model.requests[0]?.prompt.system).toContain(IMPOSTER_PROMPT_MARKER);
      expect(model.requests[0]?.prompt.turns[0]?.text).toMatch(/: anyone like pizza$/);
      expect(JSON.stringify(model.requests[0])).not.toContain('Bob');
      expect(framesOf('roundLine')).toHaveLength(2);
    });

    it('stays silent when the chat moved on, after its own line, or once the round is over', async () => {
      const { round } = await start();
      const job = { kind: 'imposterLine' as const, roomId, roundId: round.roundId, afterLines: 0 };
      await sendRoundLine(world.lineDeps, bob, { requestId: 'r', roomId, roundId: round.roundId, clientLineId: 'l1', text: 'hi' });

      expect(await takeAgentTurn(world.agentDeps, job)).toEqual({ outcome: 'silent', reason: 'movedOn' });
      expect((await takeAgentTurn(world.agentDeps, { ...job, afterLines: 1 })).outcome).toBe('written');
      expect(await takeAgentTurn(world.agentDeps, { ...job, afterLines: 2 })).toEqual({ outcome: 'silent', reason: 'ownTurn' });
      world.clock.advance(60_000);
      expect(await takeAgentTurn(world.agentDeps, { ...job, afterLines: 2 })).toEqual({ outcome: 'silent', reason: 'ended' });
    });

    it('stays silent when its line would give it away', async () => {
      const { round } = await start();
      world.agentDeps = { ...world.agentDeps, model: new ScriptedModel(['As an AI language model I cannot say.']) };
      expect(await takeAgentTurn(world.agentDeps, { kind: 'imposterLine', roomId, roundId: round.roundId, afterLines: 0 })).toEqual({
        outcome: 'silent',
        reason: 'unusable',
      });
    });
  });
});
