import type { ModelClient, ModelEvent, ModelRequest } from '../../../lambdas/domain/agents/ports';
import type { Round, RoundLine, RoundScore } from '../../../lambdas/domain/games/imposter';
import type {
  AppendLineResult,
  Board,
  CastVoteResult,
  ImposterJobQueue,
  LeaderboardReader,
  RoundStore,
  Standing,
} from '../../../lambdas/domain/games/imposter-ports';
import type { RoundVote } from '../../../lambdas/domain/games/imposter-rules';
import type { ImposterJob } from '../../../lambdas/domain/games/jobs';
import type { ImposterDeps } from '../../../lambdas/use-cases/games/imposter/deps';
import type { Identity } from '../../../lambdas/domain/types';
import { createRoom } from '../../../lambdas/use-cases/create-room';
import { startRound } from '../../../lambdas/use-cases/games/imposter/start-round';
import { joinRoom } from '../../../lambdas/use-cases/join-room';
import { alice, bob, carol, fakeWorld } from './chat';

const boardKey = (board: Board): string => (board.scope === 'room' ? `LB#${board.roomId}` : 'LB#ALL');

/**
 * Rounds, lines, votes and both leaderboards in memory, with the table's
 * conditions: one open round per room, a line only on the count it expects,
 * one vote each while open, an end only on the vote count read.
 */
export class FakeGames implements RoundStore, LeaderboardReader {
  readonly rounds = new Map<string, Round>();
  readonly open = new Map<string, string>();
  readonly lines = new Map<string, (RoundLine & { writerId: string; expiresAt: number | undefined })[]>();
  readonly votes = new Map<string, RoundVote[]>();
  readonly boards = new Map<string, Map<string, Standing>>();
  /** Runs before a vote is stored: a test's chance to end the round in between. */
  beforeVote: (() => Promise<void>) | undefined;

  private key = (roomId: string, roundId: string) => `${roomId}|${roundId}`;

  async createRound(round: Round) {
    if (this.open.has(round.roomId)) return false;
    this.rounds.set(this.key(round.roomId, round.roundId), round);
    this.open.set(round.roomId, round.roundId);
    return true;
  }
  async getRound(roomId: string, roundId: string) {
    return this.rounds.get(this.key(roomId, roundId));
  }
  async getOpenRound(roomId: string) {
    const roundId = this.open.get(roomId);
    return roundId === undefined ? undefined : this.getRound(roomId, roundId);
  }
  async getLatestRound(roomId: string) {
    return [...this.rounds.values()].filter((r) => r.roomId === roomId).sort((a, b) => a.roundId.localeCompare(b.roundId)).at(-1);
  }
  async appendLine(
    at: Pick<Round, 'roomId' | 'roundId'>,
    afterLines: number,
    line: Omit<RoundLine, 'seq' | 'roundId'> & { readonly writerId: string },
    expiresAt: number | undefined,
  ): Promise<AppendLineResult> {
    const lines = this.lines.get(at.roundId) ?? [];
    const earlier = line.clientLineId === undefined ? undefined : lines.find((l) => l.writerId === line.writerId && l.clientLineId === line.clientLineId);
    if (earlier) return { outcome: 'duplicate', line: this.public(earlier) };
    const round = this.rounds.get(this.key(at.roomId, at.roundId));
    if (!round || round.status !== 'open' || round.lines !== afterLines) return { outcome: 'movedOn' };
    const stored = { ...line, roundId: at.roundId, seq: afterLines + 1, expiresAt };
    this.lines.set(at.roundId, [...lines, stored]);
    this.rounds.set(this.key(at.roomId, at.roundId), { ...round, lines: afterLines + 1 });
    return { outcome: 'written', line: this.public(stored) };
  }
  async listLines(roundId: string) {
    return (this.lines.get(roundId) ?? []).map((l) => this.public(l));
  }
  async castVote(at: Pick<Round, 'roomId' | 'roundId'>, vote: RoundVote): Promise<CastVoteResult> {
    await this.beforeVote?.();
    const votes = this.votes.get(at.roundId) ?? [];
    if (votes.some((v) => v.voterId === vote.voterId)) return 'alreadyVoted';
    const round = this.rounds.get(this.key(at.roomId, at.roundId));
    if (!round || round.status !== 'open') return 'closed';
    this.votes.set(at.roundId, [...votes, vote]);
    this.rounds.set(this.key(at.roomId, at.roundId), { ...round, votes: round.votes + 1 });
    return 'cast';
  }
  async listVotes(roundId: string) {
    return this.votes.get(roundId) ?? [];
  }
  async endRound(ended: Round, scores: readonly RoundScore[]) {
    const stored = this.rounds.get(this.key(ended.roomId, ended.roundId));
    if (!stored || stored.status !== 'open' || stored.votes !== ended.votes) return false;
    this.rounds.set(this.key(ended.roomId, ended.roundId), ended);
    this.open.delete(ended.roomId);
    for (const board of [`LB#${ended.roomId}`, 'LB#ALL']) {
      const standings = this.boards.get(board) ?? new Map<string, Standing>();
      for (const s of scores) {
        const before = standings.get(s.playerId);
        standings.set(s.playerId, {
          playerId: s.playerId,
          kind: s.kind,
          displayName: s.displayName,
          points: (before?.points ?? 0) + s.points,
          rounds: (before?.rounds ?? 0) + 1,
        });
      }
      this.boards.set(board, standings);
    }
    return true;
  }
  async top(board: Board, limit: number) {
    return [...(this.boards.get(boardKey(board))?.values() ?? [])].sort((a, b) => b.points - a.points).slice(0, limit);
  }
  async standing(board: Board, playerId: string) {
    return this.boards.get(boardKey(board))?.get(playerId);
  }
  async countAbove(board: Board, points: number) {
    return [...(this.boards.get(boardKey(board))?.values() ?? [])].filter((s) => s.points > points).length;
  }
  private public(line: RoundLine & { writerId: string; expiresAt: number | undefined }): RoundLine {
    const { writerId: _w, expiresAt: _e, ...rest } = line;
    return rest;
  }
}

/** Jobs enqueued, with their delays. */
export class FakeImposterJobs implements ImposterJobQueue {
  readonly jobs: { job: ImposterJob; delaySeconds: number }[] = [];
  async enqueue(job: ImposterJob, delaySeconds: number) {
    this.jobs.push({ job, delaySeconds });
  }
}

/** A model that answers each request with the next scripted reply (the last one repeats), recording the requests. */
export class ScriptedModel implements ModelClient {
  readonly requests: ModelRequest[] = [];
  constructor(private readonly replies: string[] = ['haha same here']) {}
  async *stream(request: ModelRequest): AsyncIterable<ModelEvent> {
    this.requests.push(request);
    const reply = this.replies[Math.min(this.requests.length - 1, this.replies.length - 1)] ?? '';
    for (const piece of reply.match(/\S+\s*/g) ?? []) yield { type: 'delta', text: piece };
    yield { type: 'done', stopReason: 'end_turn' };
  }
}

/** A seeded random: the same sequence every run. */
export function seededRandom(seed = 42): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The chat fakes plus the games': deps for every imposter use case. */
export function imposterWorld() {
  const world = fakeWorld();
  const games = new FakeGames();
  const jobs = new FakeImposterJobs();
  const model = new ScriptedModel();
  const deps: ImposterDeps = {
    rooms: world.rooms,
    connections: world.connections,
    gateway: world.gateway,
    clock: world.clock,
    nextId: world.nextId,
    audit: world.audit,
    rounds: games,
    leaderboards: games,
    jobs,
    random: seededRandom(),
    agentLabel: 'AI (test model)',
  };
  const lineDeps = { ...deps, settings: world.settings, rateLimiter: world.rateLimiter, retention: world.retention };
  const agentDeps = { ...deps, settings: world.settings, retention: world.retention, model, modelId: 'test-model' };
  return { ...world, games, jobs, model, deps, lineDeps, agentDeps };
}

export const dave = { userId: 'u-dave', displayName: 'Dave' };

/**
 * An imposter room of Alice (owner), Bob and Carol, each with one live
 * connection (`c-<userId>`); Dave is online but not a member. With the
 * shortcuts the use-case tests share: start a round, Alice's frames of a
 * type, who sits where.
 */
export async function imposterRoom() {
  const world = imposterWorld();
  for (const who of [alice, bob, carol, dave]) {
    await world.connections.saveConnection({ connectionId: `c-${who.userId}`, ...who, connectedAt: '' }, []);
  }
  const roomId = (await createRoom(world.roomDeps, alice, { name: 'Game', visibility: 'public', mode: 'imposter' })).room.roomId;
  await joinRoom(world.roomDeps, bob, { roomId });
  await joinRoom(world.roomDeps, carol, { roomId });
  world.gateway.posts.length = 0;
  const seats = async (roundId: string) => (await world.games.getRound(roomId, roundId))!.seats;
  return {
    world,
    roomId,
    start: (who: Identity = alice, durationSeconds = 60) => startRound(world.deps, who, { requestId: 'r', roomId, durationSeconds }),
    framesOf: (type: string) => world.gateway.framesFor(`c-${alice.userId}`).filter((f) => (f as { type: string }).type === type),
    seatOfUser: async (roundId: string, userId: string) => (await seats(roundId)).find((s) => s.playerId === userId)!.seat,
    agentSeat: async (roundId: string) => (await seats(roundId)).find((s) => s.kind === 'agent')!.seat,
  };
}
export type ImposterRoom = Awaited<ReturnType<typeof imposterRoom>>;
