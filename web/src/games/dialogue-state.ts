import type {
  CharacterView,
  DialogueOutcome,
  DialogueTurn,
  DialogueView,
  ResponseOption,
  ScenarioSummary,
  StateChange,
} from '../../../lambdas/domain/games/dialogue';
import { SCENARIO_MAX_BYTES, STATE_MAX, STATE_MIN } from '../../../lambdas/domain/games/dialogue-limits';
import type { FrameOf } from '../protocol';
import { t } from '../i18n';

/**
 * A dialogue room as one tab sees it (docs/web.md, "Game rooms"): the
 * current dialogue, its transcript, the characters as the scenario reveals
 * them, the changes of the last turn, whether the characters are answering,
 * and the outcome. Pure: the panel feeds it Parley's answers and frames.
 */
export type { CharacterView, DialogueOutcome, DialogueTurn, DialogueView, ResponseOption, ScenarioSummary, StateChange };
export { STATE_MAX, STATE_MIN };

export type DialogueFrame = FrameOf<'dialogueStarted' | 'dialogueProgressed' | 'dialogueResolved'>;

/** What `getDialogue` answers: the dialogue (none yet is `null`) and its turns. */
export interface DialogueAnswer {
  readonly dialogue: DialogueView | null;
  readonly turns?: readonly DialogueTurn[];
}

export interface DialogueState {
  readonly dialogue?: DialogueView;
  /** Turns by number, oldest first, each once (0 is the opening). */
  readonly turns: readonly DialogueTurn[];
  /** What the last answered turn changed, for highlighting. */
  readonly lastChanges: readonly StateChange[];
}

export const emptyDialogue: DialogueState = { turns: [], lastChanges: [] };

/** Merges turns by number: each once, in order; a turn answered replaces the player's line alone. */
export function mergeTurns(turns: readonly DialogueTurn[], more: readonly DialogueTurn[]): DialogueTurn[] {
  const byTurn = new Map<number, DialogueTurn>();
  for (const turn of [...turns, ...more]) {
    const before = byTurn.get(turn.turn);
    if (before === undefined || turn.replies.length >= before.replies.length) byTurn.set(turn.turn, turn);
  }
  return [...byTurn.values()].sort((a, b) => a.turn - b.turn);
}

export function fromDialogueAnswer(state: DialogueState, answer: DialogueAnswer): DialogueState {
  const { dialogue } = answer;
  if (dialogue === null) return emptyDialogue;
  const same = state.dialogue?.dialogueId === dialogue.dialogueId;
  const turns = mergeTurns(same ? state.turns : [], answer.turns ?? []);
  return { dialogue: same && state.dialogue ? later(state.dialogue, dialogue) : dialogue, turns, lastChanges: turns.at(-1)?.changes ?? [] };
}

export function applyDialogueFrame(state: DialogueState, frame: DialogueFrame): DialogueState {
  const same = state.dialogue?.dialogueId === frame.dialogue.dialogueId;
  switch (frame.type) {
    case 'dialogueStarted':
      if (same) return state;
      return { dialogue: frame.dialogue, turns: frame.opening ? [frame.opening] : [], lastChanges: [] };
    case 'dialogueProgressed': {
      const base = same ? state : emptyDialogue;
      return {
        dialogue: base.dialogue ? later(base.dialogue, frame.dialogue) : frame.dialogue,
        turns: mergeTurns(base.turns, [frame.turn]),
        lastChanges: frame.turn.changes,
      };
    }
    case 'dialogueResolved':
      return {
        ...(same ? state : emptyDialogue),
        dialogue: { ...frame.dialogue, outcome: frame.outcome, status: 'resolved' },
      };
  }
}

/** The player's own turn, shown at once while the characters answer it. */
export function turnTaken(state: DialogueState, turn: DialogueTurn): DialogueState {
  if (state.dialogue === undefined) return state;
  // The answer may have come before the ack: then nothing is pending any more.
  if (state.dialogue.turn >= turn.turn) return state;
  return {
    ...state,
    dialogue: { ...state.dialogue, pendingTurn: turn.turn },
    turns: mergeTurns(state.turns, [turn]),
  };
}

/** Whether the characters are still answering (or the outcome being written). */
export const isPending = (state: DialogueState): boolean =>
  state.dialogue?.status === 'active' && (state.dialogue.pendingTurn !== undefined || state.dialogue.resolving !== undefined);

/** Whether the player may take a turn now. */
export const canTakeTurn = (state: DialogueState): boolean => state.dialogue?.status === 'active' && !isPending(state);

/** A character's name by id, from the dialogue (or the id itself). */
export function characterName(dialogue: DialogueView | undefined, characterId: string): string {
  return dialogue?.characters.find((c) => c.characterId === characterId)?.name ?? dialogue?.outcome?.finalState.find((c) => c.characterId === characterId)?.name ?? characterId;
}

/** A change as a sentence ("Mara's mood 1 → 3"). */
export function changeText(dialogue: DialogueView | undefined, change: StateChange): string {
  const name = characterName(dialogue, change.characterId);
  const strings = t().dialogue;
  switch (change.field) {
    case 'mood':
      return strings.moodChange(name, change.from, change.to);
    case 'opinion':
      return strings.opinionChange(name, change.key, change.from, change.to);
    case 'trait':
      return change.change === 'added' ? strings.traitAdded(name, change.key) : strings.traitRemoved(name, change.key);
  }
}

/** The fields of a character changed by the last turn, to highlight them: `mood`, `opinion:<key>`, `trait:<key>`. */
export function changedFields(changes: readonly StateChange[], characterId: string): ReadonlySet<string> {
  return new Set(
    changes
      .filter((c) => c.characterId === characterId)
      .map((c) => (c.field === 'mood' ? 'mood' : `${c.field}:${c.key}`)),
  );
}

/**
 * Reads an uploaded scenario file: JSON of at most SCENARIO_MAX_BYTES. Parley
 * checks the scenario itself (its answer names what is wrong); this only
 * spares sending what cannot be one.
 */
export function parseScenarioFile(text: string): { readonly ok: true; readonly scenario: Record<string, unknown> } | { readonly ok: false; readonly error: string } {
  if (new TextEncoder().encode(text).length > SCENARIO_MAX_BYTES) return { ok: false, error: t().dialogue.fileTooLarge(SCENARIO_MAX_BYTES) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: t().dialogue.notJson };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: t().dialogue.notScenario };
  return { ok: true, scenario: value as Record<string, unknown> };
}

/** The later of two views of one dialogue: a resolved one is never taken back, turns never go back. */
function later(before: DialogueView, after: DialogueView): DialogueView {
  if (before.status === 'resolved' && after.status === 'active') return before;
  if (after.turn < before.turn) return before;
  return after;
}
