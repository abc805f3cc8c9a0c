import type { Transport } from '../client';
import { DisconnectedError, RequestError } from '../connection';
import { t } from '../i18n';
import type { Outcome } from '../room-tools';
import type { ServerFrame } from '../protocol';
import type { DialogueAnswer, DialogueFrame, DialogueTurn, DialogueView, ScenarioSummary } from './dialogue-state';
import type { ImposterFrame, Leaderboard, LeaderboardScope, RoundAnswer, RoundLine, RoundView } from './imposter-state';

/**
 * The games' requests (docs/protocol.md, "Game rooms"): each answers an
 * `Outcome`, so a refusal reaches the panel as Parley's own words, shown
 * where the person acted.
 */
export type { Outcome };

const reason = (error: unknown): string =>
  error instanceof RequestError || error instanceof DisconnectedError ? error.message : t().errors.somethingWrong;

/**
 * One request as an Outcome. `none` is the answer when Parley says
 * NOT_FOUND: a room that has had no round or dialogue yet (the panels show
 * only to members, to whom that is all NOT_FOUND can mean).
 */
async function ask<T>(transport: Transport, action: string, payload: Record<string, unknown>, none?: T): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await transport.request<T>(action, payload) };
  } catch (error) {
    if (none !== undefined && error instanceof RequestError && error.code === 'NOT_FOUND') return { ok: true, value: none };
    return { ok: false, error: reason(error) };
  }
}

const GAME_FRAMES: ReadonlySet<string> = new Set<GameFrameType>([
  'roundStarted',
  'roundLine',
  'roundVote',
  'roundEnded',
  'dialogueStarted',
  'dialogueProgressed',
  'dialogueResolved',
]);

type GameFrameType = (ImposterFrame | DialogueFrame)['type'];

/** Whether a frame is one the game panels follow. */
export const isGameFrame = (frame: ServerFrame): frame is ImposterFrame | DialogueFrame => GAME_FRAMES.has(frame.type);

/** A fresh id for a line or a turn, so a resend is stored once. */
const newClientId = (): string => globalThis.crypto.randomUUID();

export class ImposterClient {
  constructor(
    private readonly transport: Transport,
    private readonly newId: () => string = newClientId,
  ) {}

  /** Starts a round (owners and moderators); the answer is the caller's view, with their seat. */
  async startRound(roomId: string, durationSeconds: number): Promise<Outcome<RoundView>> {
    const answer = await ask<{ round: RoundView }>(this.transport, 'startRound', { roomId, durationSeconds });
    return answer.ok ? { ok: true, value: answer.value.round } : answer;
  }

  /** The room's current round with its lines, and its reveal and scores once ended. */
  getRound(roomId: string): Promise<Outcome<RoundAnswer>> {
    return ask<RoundAnswer>(this.transport, 'getRound', { roomId }, { round: null });
  }

  async sendLine(roomId: string, roundId: string, text: string): Promise<Outcome<RoundLine | undefined>> {
    const answer = await ask<{ line?: RoundLine }>(this.transport, 'sendRoundLine', { roomId, roundId, clientLineId: this.newId(), text });
    return answer.ok ? { ok: true, value: answer.value.line } : answer;
  }

  async castVote(roomId: string, roundId: string, seat: number): Promise<Outcome<void>> {
    const answer = await ask(this.transport, 'castVote', { roomId, roundId, seat });
    return answer.ok ? { ok: true, value: undefined } : answer;
  }

  async leaderboard(roomId: string, scope: LeaderboardScope): Promise<Outcome<Leaderboard>> {
    const answer = await ask<Leaderboard | { leaderboard: Leaderboard }>(this.transport, 'getLeaderboard', { roomId, scope, limit: 10 });
    if (!answer.ok) return answer;
    return { ok: true, value: 'leaderboard' in answer.value ? answer.value.leaderboard : answer.value };
  }
}

export class DialogueClient {
  constructor(
    private readonly transport: Transport,
    private readonly newId: () => string = newClientId,
  ) {}

  async scenarios(roomId: string): Promise<Outcome<readonly ScenarioSummary[]>> {
    const answer = await ask<{ scenarios: ScenarioSummary[] }>(this.transport, 'listScenarios', { roomId });
    return answer.ok ? { ok: true, value: answer.value.scenarios } : answer;
  }

  async upload(roomId: string, scenario: Record<string, unknown>): Promise<Outcome<void>> {
    const answer = await ask(this.transport, 'uploadScenario', { roomId, scenario });
    return answer.ok ? { ok: true, value: undefined } : answer;
  }

  start(roomId: string, scenarioId: string): Promise<Outcome<{ dialogue: DialogueView; opening?: DialogueTurn }>> {
    return ask(this.transport, 'startDialogue', { roomId, scenarioId });
  }

  getDialogue(roomId: string): Promise<Outcome<DialogueAnswer>> {
    return ask<DialogueAnswer>(this.transport, 'getDialogue', { roomId }, { dialogue: null });
  }

  /** A turn: an offered option, a free line, or both; the answer is the turn's number. */
  async takeTurn(roomId: string, dialogueId: string, turn: { readonly optionId?: string; readonly text?: string }): Promise<Outcome<number | undefined>> {
    const answer = await ask<{ turn?: number | { turn: number } }>(this.transport, 'takeDialogueTurn', {
      roomId,
      dialogueId,
      clientTurnId: this.newId(),
      ...turn,
    });
    if (!answer.ok) return answer;
    const number = answer.value.turn;
    return { ok: true, value: typeof number === 'number' ? number : number?.turn };
  }

  async end(roomId: string, dialogueId: string): Promise<Outcome<void>> {
    const answer = await ask(this.transport, 'endDialogue', { roomId, dialogueId });
    return answer.ok ? { ok: true, value: undefined } : answer;
  }
}
