import * as z from 'zod/mini';
import { id as roomId, requestId, visibleString, wireString } from '../protocol-fields';
import { DIALOGUE_TURN_MAX, scenarioSchema, type CharacterView, type DialogueOutcome, type DialogueTurn, type DialogueView } from './dialogue';
import { ROUND_LINE_MAX, ROUND_PLAYERS, ROUND_SECONDS, type RoundLine, type RoundReveal, type RoundScore, type RoundView } from './imposter';

/**
 * The games' part of the wire protocol: imposter rounds and the leaderboard,
 * guided dialogues and their scenarios. docs/games.md describes each action
 * with an example; every action works only in a room of its mode.
 */

const gameId = wireString().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'not a round or dialogue id'));
const clientId = wireString().check(z.minLength(1), z.maxLength(64));

export const gameRequestSchemas = {
  /** Starts a round with the room's members who are online; the owner or a moderator. */
  startRound: z.object({
    requestId,
    roomId,
    durationSeconds: z._default(z.int().check(z.minimum(ROUND_SECONDS.min), z.maximum(ROUND_SECONDS.max)), ROUND_SECONDS.fallback),
  }),
  /** A line in the round's chat, under the caller's round name; seated players only. */
  sendRoundLine: z.object({ requestId, roomId, roundId: gameId, clientLineId: clientId, text: visibleString(ROUND_LINE_MAX) }),
  /** The caller's vote for the seat they think is the AI: once per round, never their own seat. */
  castVote: z.object({ requestId, roomId, roundId: gameId, seat: z.int().check(z.minimum(1), z.maximum(ROUND_PLAYERS.max + 1)) }),
  /** The room's current round (or a given one) with its lines, and its reveal and scores once ended. */
  getRound: z.object({ requestId, roomId, roundId: z.optional(gameId) }),
  /** The top players of the room (or of every room) and the caller's own rank. */
  getLeaderboard: z.object({
    requestId,
    roomId,
    scope: z._default(z.enum(['room', 'overall']), 'room'),
    limit: z._default(z.int().check(z.minimum(1), z.maximum(50)), 10),
  }),
  /** The scenarios a dialogue can start from: the examples and the room's own. */
  listScenarios: z.object({ requestId, roomId }),
  /** Adds (or replaces) one of the room's scenarios; the owner or a moderator. */
  uploadScenario: z.object({ requestId, roomId, scenario: scenarioSchema }),
  /** Starts a dialogue from a scenario; one at a time per room. */
  startDialogue: z.object({ requestId, roomId, scenarioId: wireString().check(z.minLength(1), z.maxLength(63)) }),
  /**
   * The player's turn: one of the offered options (`optionId`), a free line
   * (`text`), or an option in the player's own words (both). The use case
   * refuses a turn with neither, and an option the dialogue did not offer.
   */
  takeDialogueTurn: z.object({
    requestId,
    roomId,
    dialogueId: gameId,
    clientTurnId: clientId,
    text: z.optional(visibleString(DIALOGUE_TURN_MAX)),
    optionId: z.optional(wireString().check(z.regex(/^o[1-9]$/, 'an option id such as o1'))),
  }),
  /** Ends the dialogue: its outcome and summary follow in `dialogueResolved`. */
  endDialogue: z.object({ requestId, roomId, dialogueId: gameId }),
  /** The room's current dialogue (or a given one) with its turns. */
  getDialogue: z.object({ requestId, roomId, dialogueId: z.optional(gameId) }),
} as const;

export type GameAction = keyof typeof gameRequestSchemas;
export type GameRequestOf<A extends GameAction> = z.output<(typeof gameRequestSchemas)[A]>;

/** Frames the games send to every connection in the room. */
export type GameFrame =
  /** A round began: fetch your seat with getRound. */
  | { type: 'roundStarted'; roomId: string; round: RoundView }
  | { type: 'roundLine'; roomId: string; line: RoundLine }
  /** Someone voted: how many of how many, never who or for whom until the reveal. */
  | { type: 'roundVote'; roomId: string; roundId: string; votes: number; players: number }
  | { type: 'roundEnded'; roomId: string; round: RoundView; reveal: RoundReveal; scores: readonly RoundScore[] }
  | { type: 'dialogueStarted'; roomId: string; dialogue: DialogueView; opening?: DialogueTurn }
  /** A turn was answered (or, with `turn.stateKept`, could not be and the state was kept). */
  | { type: 'dialogueProgressed'; roomId: string; dialogue: DialogueView; turn: DialogueTurn }
  | { type: 'dialogueResolved'; roomId: string; dialogue: DialogueView; outcome: DialogueOutcome };

export type { CharacterView };
