import * as z from 'zod/mini';
import { visibleString, wireString } from '../protocol-fields';

/**
 * Guided dialogues: a scenario (characters with a persona, a starting mood,
 * opinions and traits, and a goal) starts a dialogue in a dialogue room; the
 * player takes turns (a free line, or one of the response options the AI
 * offered); after each turn the characters answer and their state changes
 * from the model's structured output; ending it (asked, the goal reached, or
 * the turn limit) resolves it with an outcome and a summary.
 *
 * This file holds the scenario format (what an owner uploads, and the
 * examples in `scenarios/`) and the shared vocabulary; the rules live in
 * dialogue-rules.ts and the use cases in use-cases/games/dialogue/.
 */

// The bounds live apart from the schemas, so the browser client can know them without bundling zod.
import { DIALOGUE_TURN_MAX, OPTIONS, SCENARIO_MAX_BYTES, STATE_MAX, STATE_MIN } from './dialogue-limits';
export { DIALOGUE_TURN_MAX, OPTIONS, SCENARIO_MAX_BYTES, STATE_MAX, STATE_MIN };

const slug = wireString().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and hyphens, up to 63'));
const level = z.int().check(z.minimum(STATE_MIN), z.maximum(STATE_MAX));

export const characterSchema = z.object({
  id: slug,
  name: visibleString(60),
  /** Who they are and how they talk, for the model. */
  persona: visibleString(1000),
  mood: z._default(level, 0),
  /** What they think of things that matter in the scenario, by topic. */
  opinions: z._default(z.record(slug, level).check(z.refine((o) => Object.keys(o).length <= 8, 'at most 8 opinions')), {}),
  traits: z._default(z.array(visibleString(40)).check(z.maxLength(8)), []),
});

/** Which parts of the characters' state the player sees while the dialogue goes on (all of it in the resolution). */
export const revealSchema = z.object({
  mood: z._default(z.boolean(), true),
  opinions: z._default(z.boolean(), false),
  traits: z._default(z.boolean(), true),
});

export const scenarioSchema = z.object({
  id: slug,
  title: visibleString(100),
  /** What the player is told before starting. */
  summary: visibleString(500),
  /** What the player tries to achieve; the model judges when it is reached. */
  goal: visibleString(300),
  setting: z.optional(visibleString(1000)),
  /** Who the player is in the scenario. */
  playerRole: z.optional(visibleString(200)),
  characters: z.array(characterSchema).check(z.minLength(1), z.maxLength(4)),
  /** A character's first line, shown when the dialogue starts. */
  opening: z.optional(z.object({ characterId: slug, text: visibleString(500) })),
  reveal: z._default(revealSchema, { mood: true, opinions: false, traits: true }),
  maxTurns: z._default(z.int().check(z.minimum(1), z.maximum(40)), 12),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioCharacter = z.output<typeof characterSchema>;
export type Reveal = z.output<typeof revealSchema>;

/** Where a scenario comes from: the examples shipped with Parley, or one the room's owner or a moderator uploaded. */
export type ScenarioSource = 'example' | 'room';

export interface ScenarioSummary {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly goal: string;
  readonly source: ScenarioSource;
  readonly characters: readonly { readonly id: string; readonly name: string }[];
}

/** A character's state as the dialogue goes on. */
export interface CharacterState {
  readonly characterId: string;
  readonly name: string;
  readonly mood: number;
  readonly opinions: Readonly<Record<string, number>>;
  readonly traits: readonly string[];
}

/** A character's state as the player may see it (the scenario's `reveal`): hidden parts absent. */
export interface CharacterView {
  readonly characterId: string;
  readonly name: string;
  readonly mood?: number;
  readonly opinions?: Readonly<Record<string, number>>;
  readonly traits?: readonly string[];
}

export interface ResponseOption {
  /** `o1`, `o2`, ...: unique within the turn that offered it. */
  readonly optionId: string;
  readonly text: string;
}

/** One change to a character's state in a turn, for showing ("Mara's mood 1 → 3"). */
export type StateChange =
  | { readonly characterId: string; readonly field: 'mood'; readonly from: number; readonly to: number }
  | { readonly characterId: string; readonly field: 'opinion'; readonly key: string; readonly from: number; readonly to: number }
  | { readonly characterId: string; readonly field: 'trait'; readonly key: string; readonly change: 'added' | 'removed' };

export type DialogueStatus = 'active' | 'resolved';
/** Why a dialogue ended: the player asked, the model judged the goal reached, or the scenario's turn limit. */
export type ResolutionReason = 'requested' | 'goal' | 'turnLimit';
export type DialogueResult = 'success' | 'partial' | 'failure';

/** How a dialogue ended, stored and returned with it. */
export interface DialogueOutcome {
  readonly result: DialogueResult;
  readonly goalReached: boolean;
  readonly reason: ResolutionReason;
  /** Player turns taken. */
  readonly turns: number;
  /** The model's summary of what happened. */
  readonly summary: string;
  /** Every character's final state, all of it (the resolution reveals what the dialogue hid). */
  readonly finalState: readonly CharacterState[];
  readonly resolvedAt: string;
}

/** A dialogue as stored. */
export interface Dialogue {
  readonly roomId: string;
  readonly dialogueId: string;
  readonly scenario: Scenario;
  readonly status: DialogueStatus;
  readonly startedBy: string;
  readonly startedAt: string;
  /** Player turns taken and answered. */
  readonly turn: number;
  /** The turn being answered, while the characters think; absent otherwise. */
  readonly pendingTurn?: number;
  /** Set while the resolution is being written. */
  readonly resolving?: ResolutionReason;
  readonly characters: readonly CharacterState[];
  readonly options: readonly ResponseOption[];
  readonly outcome?: DialogueOutcome;
}

/** A dialogue as the player sees it: the scenario's public parts, state as `reveal` allows. */
export interface DialogueView {
  readonly roomId: string;
  readonly dialogueId: string;
  readonly scenarioId: string;
  readonly title: string;
  readonly goal: string;
  readonly playerRole?: string;
  readonly status: DialogueStatus;
  readonly startedAt: string;
  readonly turn: number;
  readonly maxTurns: number;
  readonly pendingTurn?: number;
  readonly resolving?: ResolutionReason;
  readonly characters: readonly CharacterView[];
  readonly options: readonly ResponseOption[];
  readonly outcome?: DialogueOutcome;
}

/** One exchange: the player's turn, the characters' answers and what changed (as the player may see it). */
export interface DialogueTurn {
  readonly dialogueId: string;
  /** 0 is the opening (no player line); player turns count from 1. */
  readonly turn: number;
  readonly playerId?: string;
  readonly playerName?: string;
  readonly text?: string;
  /** The option the player chose, when they chose one. */
  readonly optionId?: string;
  readonly replies: readonly { readonly characterId: string; readonly name: string; readonly text: string }[];
  readonly changes: readonly StateChange[];
  readonly at: string;
  /** Set when the model's answer could not be used even after a retry: the characters' state was kept. */
  readonly stateKept?: boolean;
}

/**
 * What the model returns after a player's turn, as the input of its
 * `dialogue_turn` tool: validated with this schema; a malformed answer is
 * asked for again once, then the state is kept.
 */
export const modelTurnSchema = z.object({
  replies: z
    .array(z.object({ characterId: slug, text: visibleString(600) }))
    .check(z.minLength(1), z.maxLength(4)),
  changes: z._default(
    z
      .array(
        z.object({
          characterId: slug,
          mood: z.optional(level),
          opinions: z.optional(z.record(slug, level)),
          addTraits: z.optional(z.array(visibleString(40)).check(z.maxLength(4))),
          removeTraits: z.optional(z.array(visibleString(40)).check(z.maxLength(4))),
        }),
      )
      .check(z.maxLength(4)),
    [],
  ),
  options: z.array(visibleString(200)).check(z.minLength(OPTIONS.min), z.maxLength(OPTIONS.max)),
  goalReached: z._default(z.boolean(), false),
});
export type ModelTurn = z.output<typeof modelTurnSchema>;

/** What the model returns to resolve a dialogue, as the input of its `dialogue_resolution` tool. */
export const modelResolutionSchema = z.object({
  result: z.enum(['success', 'partial', 'failure']),
  summary: visibleString(1200),
});
export type ModelResolution = z.output<typeof modelResolutionSchema>;

/** The tools the dialogue model is made to call, one per request: their names are the contract with the offline model. */
export const DIALOGUE_TOOLS = { turn: 'dialogue_turn', resolution: 'dialogue_resolution' } as const;
