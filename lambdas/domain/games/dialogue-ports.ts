import type { Dialogue, DialogueOutcome, DialogueTurn, ResolutionReason, ResponseOption, CharacterState, Scenario } from './dialogue';
import type { DialogueJob } from './jobs';

/**
 * Ports of guided dialogues. The DynamoDB adapters keep them in the games
 * table (games-schema.ts); tests implement them with fakes.
 */

/** A turn as stored: the player's part carries the client's id for it, so a retried request finds its turn. */
export interface StoredTurn extends DialogueTurn {
  readonly clientTurnId?: string;
}

/** The player's part of a turn, stored while the characters answer. */
export interface PlayerTurn {
  readonly dialogueId: string;
  readonly turn: number;
  readonly playerId: string;
  readonly playerName: string;
  readonly text: string;
  readonly optionId?: string;
  readonly clientTurnId: string;
  readonly at: string;
}

/** Why a turn could not begin: another one is being answered, or the dialogue has ended or is ending. */
export type BeginTurnResult = 'begun' | 'busy' | 'closed';

/** The characters' answer to a turn, and the dialogue's state after it. */
export interface AnsweredTurn {
  readonly turn: DialogueTurn;
  readonly characters: readonly CharacterState[];
  readonly options: readonly ResponseOption[];
  /** Set when the dialogue must now end (the goal reached, the turn limit). */
  readonly resolving?: ResolutionReason;
}

export interface DialogueStore {
  getDialogue(roomId: string, dialogueId: string): Promise<Dialogue | undefined>;
  /** The room's active dialogue's id, if any. */
  activeDialogueId(roomId: string): Promise<string | undefined>;
  /** The id of the room's most recent dialogue, active or resolved, if it ever had one. */
  latestDialogueId(roomId: string): Promise<string | undefined>;
  /**
   * Stores a new dialogue, its opening turn and the room's active marker in
   * one transaction; throws ConflictError when the room has an active dialogue.
   */
  startDialogue(dialogue: Dialogue, opening: DialogueTurn): Promise<void>;
  /**
   * Stores the player's turn and marks it pending, atomically, only if the
   * dialogue is active, not ending, answered up to the turn before, and no
   * turn is pending.
   */
  beginTurn(roomId: string, turn: PlayerTurn): Promise<BeginTurnResult>;
  getTurn(dialogueId: string, turn: number): Promise<StoredTurn | undefined>;
  /** Up to `limit` turns, the newest ones, oldest first. */
  recentTurns(dialogueId: string, limit: number): Promise<StoredTurn[]>;
  /**
   * Stores the answered turn and the dialogue's new state, only while that
   * turn is still pending; resolves false (writing nothing) otherwise, so a
   * job delivered twice answers once.
   */
  completeTurn(roomId: string, answered: AnsweredTurn): Promise<boolean>;
  /**
   * Marks the dialogue as ending, only if active, not ending and with no
   * pending turn (unless `abandonPending`: a turn whose answer never came);
   * resolves false otherwise.
   */
  requestResolution(roomId: string, dialogueId: string, reason: ResolutionReason, options?: { readonly abandonPending?: boolean }): Promise<boolean>;
  /**
   * Stores the outcome, marks the dialogue resolved and frees the room for
   * another, atomically; resolves false when it was resolved already.
   */
  resolve(roomId: string, dialogueId: string, outcome: DialogueOutcome): Promise<boolean>;
}

/** A room's own scenarios (the examples live in the code). */
export interface ScenarioStore {
  listScenarios(roomId: string): Promise<Scenario[]>;
  getScenario(roomId: string, scenarioId: string): Promise<Scenario | undefined>;
  /** Stores a scenario, replacing one of the same id; resolves true when it replaced one. */
  putScenario(roomId: string, scenario: Scenario, uploadedBy: string, uploadedAt: string): Promise<boolean>;
}

/** The DialogueJobs queue. */
export interface DialogueJobQueue {
  /** Enqueues a job; throws unless it was accepted. */
  enqueue(job: DialogueJob): Promise<void>;
}
