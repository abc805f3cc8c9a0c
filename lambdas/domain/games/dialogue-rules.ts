import * as z from 'zod/mini';
import {
  scenarioSchema,
  STATE_MAX,
  STATE_MIN,
  type CharacterState,
  type CharacterView,
  type Dialogue,
  type DialogueOutcome,
  type DialogueResult,
  type DialogueTurn,
  type DialogueView,
  type ModelResolution,
  type ModelTurn,
  type Reveal,
  type ResolutionReason,
  type ResponseOption,
  type Scenario,
  type ScenarioSource,
  type ScenarioSummary,
  type StateChange,
} from './dialogue';
import type { DialogueJob } from './jobs';

/**
 * The rules of guided dialogues, pure: a dialogue's first state, how a
 * validated model turn changes the characters, what the player may see,
 * the prompts the model gets, and the outcome Parley writes itself when
 * the model cannot.
 */

/** A character holds at most this many traits; the oldest go first. */
export const MAX_TRAITS = 8;
/** The transcript a prompt carries, newest exchanges kept, in characters. */
export const TRANSCRIPT_TAIL_CHARS = 6000;

export const clampLevel = (value: number): number => Math.min(STATE_MAX, Math.max(STATE_MIN, Math.round(value)));

export const scenarioSummaryOf = (scenario: Scenario, source: ScenarioSource): ScenarioSummary => ({
  id: scenario.id,
  title: scenario.title,
  summary: scenario.summary,
  goal: scenario.goal,
  source,
  characters: scenario.characters.map((c) => ({ id: c.id, name: c.name })),
});

export const initialCharacters = (scenario: Scenario): CharacterState[] =>
  scenario.characters.map((c) => ({
    characterId: c.id,
    name: c.name,
    mood: c.mood,
    opinions: { ...c.opinions },
    traits: dedupeTraits(c.traits),
  }));

/** Ids `o1`, `o2`… for the texts offered, in order. */
export const optionsOf = (texts: readonly string[]): ResponseOption[] =>
  texts.map((text, index) => ({ optionId: `o${index + 1}`, text }));

/**
 * The options offered before the first turn, from the scenario alone: the
 * player can act as soon as the dialogue starts, without waiting for (and
 * paying) a model call whose only input would be the scenario itself.
 */
export function openingOptions(scenario: Scenario): ResponseOption[] {
  const first = scenario.characters[0]!;
  const speaker = scenario.characters.find((c) => c.id === scenario.opening?.characterId) ?? first;
  return optionsOf([
    `Greet ${speaker.name} politely and thank them for their time.`,
    `Ask ${speaker.name} what matters most to them here.`,
    `Please consider this: ${scenario.goal}`,
  ]);
}

export interface NewDialogue {
  readonly roomId: string;
  readonly dialogueId: string;
  readonly scenario: Scenario;
  readonly startedBy: string;
  readonly startedAt: string;
}

export const newDialogue = (input: NewDialogue): Dialogue => ({
  ...input,
  status: 'active',
  turn: 0,
  characters: initialCharacters(input.scenario),
  options: openingOptions(input.scenario),
});

/** Turn 0: the scenario's opening line, when it has one. */
export function openingTurn(dialogue: Dialogue): DialogueTurn {
  const opening = dialogue.scenario.opening;
  const speaker = dialogue.characters.find((c) => c.characterId === opening?.characterId);
  return {
    dialogueId: dialogue.dialogueId,
    turn: 0,
    replies: opening && speaker ? [{ characterId: speaker.characterId, name: speaker.name, text: opening.text }] : [],
    changes: [],
    at: dialogue.startedAt,
  };
}

function dedupeTraits(traits: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const trait of traits) {
    const key = trait.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(trait);
  }
  return kept.slice(-MAX_TRAITS);
}

export interface AppliedTurn {
  readonly characters: CharacterState[];
  readonly changes: StateChange[];
  readonly replies: DialogueTurn['replies'];
}

/**
 * Applies a model turn that passed modelTurnSchema: replies and changes
 * naming a character the dialogue does not have are dropped, levels are
 * clamped to STATE_MIN..STATE_MAX, traits deduplicated (case-insensitively)
 * and kept to MAX_TRAITS; only what really changed is listed.
 */
export function applyModelTurn(characters: readonly CharacterState[], turn: ModelTurn): AppliedTurn {
  const byId = new Map(characters.map((c) => [c.characterId, c]));
  const changes: StateChange[] = [];
  const next = new Map(byId);
  for (const change of turn.changes) {
    const before = next.get(change.characterId);
    if (!before) continue;
    let mood = before.mood;
    if (change.mood !== undefined) {
      mood = clampLevel(change.mood);
      if (mood !== before.mood) changes.push({ characterId: before.characterId, field: 'mood', from: before.mood, to: mood });
    }
    const opinions: Record<string, number> = { ...before.opinions };
    for (const [key, value] of Object.entries(change.opinions ?? {})) {
      // A character keeps the topics it had: the model may move them, not invent new ones beyond the format's eight.
      if (!(key in opinions) && Object.keys(opinions).length >= 8) continue;
      const from = opinions[key] ?? 0;
      const to = clampLevel(value);
      if (key in opinions && to === from) continue;
      opinions[key] = to;
      changes.push({ characterId: before.characterId, field: 'opinion', key, from, to });
    }
    const removed = new Set((change.removeTraits ?? []).map((t) => t.toLowerCase()));
    let traits = before.traits.filter((t) => !removed.has(t.toLowerCase()));
    for (const trait of before.traits) {
      if (removed.has(trait.toLowerCase())) changes.push({ characterId: before.characterId, field: 'trait', key: trait, change: 'removed' });
    }
    const had = new Set(traits.map((t) => t.toLowerCase()));
    for (const trait of dedupeTraits(change.addTraits ?? [])) {
      if (had.has(trait.toLowerCase())) continue;
      had.add(trait.toLowerCase());
      traits = [...traits, trait];
      changes.push({ characterId: before.characterId, field: 'trait', key: trait, change: 'added' });
    }
    if (traits.length > MAX_TRAITS) {
      for (const dropped of traits.slice(0, traits.length - MAX_TRAITS)) {
        changes.push({ characterId: before.characterId, field: 'trait', key: dropped, change: 'removed' });
      }
      traits = traits.slice(-MAX_TRAITS);
    }
    next.set(before.characterId, { ...before, mood, opinions, traits });
  }
  const replies = turn.replies
    .filter((reply) => byId.has(reply.characterId))
    .map((reply) => ({ characterId: reply.characterId, name: byId.get(reply.characterId)!.name, text: reply.text }));
  return { characters: characters.map((c) => next.get(c.characterId)!), changes, replies };
}

/** A character as the player may see it while the dialogue goes on. */
export const characterView = (state: CharacterState, reveal: Reveal): CharacterView => ({
  characterId: state.characterId,
  name: state.name,
  ...(reveal.mood ? { mood: state.mood } : {}),
  ...(reveal.opinions ? { opinions: state.opinions } : {}),
  ...(reveal.traits ? { traits: state.traits } : {}),
});

const changeVisible = (change: StateChange, reveal: Reveal): boolean =>
  change.field === 'mood' ? reveal.mood : change.field === 'opinion' ? reveal.opinions : reveal.traits;

/**
 * A turn as the player may see it: changes to hidden fields left out. Once
 * the dialogue is resolved everything shows, as its outcome's final state does.
 */
export const turnView = (turn: DialogueTurn, dialogue: Pick<Dialogue, 'scenario' | 'status'>): DialogueTurn =>
  dialogue.status === 'resolved' ? turn : { ...turn, changes: turn.changes.filter((c) => changeVisible(c, dialogue.scenario.reveal)) };

/** A dialogue as the player sees it; once resolved, the outcome carries the whole final state. */
export function dialogueView(dialogue: Dialogue): DialogueView {
  const { scenario } = dialogue;
  const everything: Reveal = { mood: true, opinions: true, traits: true };
  const reveal = dialogue.status === 'resolved' ? everything : scenario.reveal;
  return {
    roomId: dialogue.roomId,
    dialogueId: dialogue.dialogueId,
    scenarioId: scenario.id,
    title: scenario.title,
    goal: scenario.goal,
    ...(scenario.playerRole !== undefined ? { playerRole: scenario.playerRole } : {}),
    status: dialogue.status,
    startedAt: dialogue.startedAt,
    turn: dialogue.turn,
    maxTurns: scenario.maxTurns,
    ...(dialogue.pendingTurn !== undefined ? { pendingTurn: dialogue.pendingTurn } : {}),
    ...(dialogue.resolving !== undefined ? { resolving: dialogue.resolving } : {}),
    characters: dialogue.characters.map((c) => characterView(c, reveal)),
    options: dialogue.status === 'resolved' ? [] : dialogue.options,
    ...(dialogue.outcome !== undefined ? { outcome: dialogue.outcome } : {}),
  };
}

/** Why the dialogue must now end after a turn was answered, if it must. */
export function resolutionAfterTurn(dialogue: Pick<Dialogue, 'turn' | 'scenario'>, goalReached: boolean): ResolutionReason | undefined {
  if (goalReached) return 'goal';
  return dialogue.turn >= dialogue.scenario.maxTurns ? 'turnLimit' : undefined;
}

/**
 * The prompt's fixed lines, each followed by its value: the offline model
 * reads the state and the player's line back from them, so they are part
 * of its contract (scripts/local/bedrock/offline-dialogue.ts).
 */
export const PROMPT_LINES = {
  goal: 'Goal: ',
  turn: 'Turn: ',
  state: "Characters' state (JSON): ",
  player: "The player's line (JSON): ",
  reason: 'Why it ends: ',
} as const;

/** What the model is sent: its instructions and the one user turn. */
export interface DialoguePrompt {
  readonly system: string;
  readonly user: string;
}

/** The newest exchanges of a transcript that fit in `maxChars`, oldest first. */
export function transcriptTail(turns: readonly DialogueTurn[], maxChars = TRANSCRIPT_TAIL_CHARS): string {
  const lines: string[] = [];
  let used = 0;
  for (const turn of [...turns].sort((a, b) => b.turn - a.turn)) {
    const exchange = [
      ...(turn.text !== undefined ? [`[Player] ${turn.text}`] : []),
      ...turn.replies.map((r) => `[${r.name}] ${r.text}`),
    ].join('\n');
    if (exchange === '') continue;
    if (used + exchange.length + 1 > maxChars) break;
    lines.unshift(exchange);
    used += exchange.length + 1;
  }
  return lines.join('\n');
}

const stateJson = (dialogue: Dialogue): string =>
  JSON.stringify(
    dialogue.characters.map((c) => ({
      id: c.characterId,
      name: c.name,
      mood: c.mood,
      opinions: c.opinions,
      traits: c.traits,
    })),
  );

function scenarioLines(dialogue: Dialogue): string[] {
  const { scenario } = dialogue;
  return [
    `Scenario: ${scenario.title}`,
    scenario.summary,
    ...(scenario.setting !== undefined ? [`Setting: ${scenario.setting}`] : []),
    ...(scenario.playerRole !== undefined ? [`The player is: ${scenario.playerRole}`] : []),
    `${PROMPT_LINES.goal}${scenario.goal}`,
    'Characters:',
    ...scenario.characters.map((c) => `- ${c.id} (${c.name}): ${c.persona}`),
  ];
}

/** The prompt to answer the player's turn through the `dialogue_turn` tool. */
export function turnPrompt(dialogue: Dialogue, transcript: readonly DialogueTurn[], player: { readonly turn: number; readonly text: string }): DialoguePrompt {
  return {
    system:
      'You play the characters of an interactive dialogue. Stay in character: each character answers the player in their own voice, ' +
      'as their persona, mood, opinions and traits suggest. Moods and opinions run from -5 (hostile) to 5 (warm): move them as the ' +
      'player earns it, a little at a time. Offer the player 2 to 4 short response options that make sense now. Set goalReached only ' +
      'when the player has clearly achieved the goal. Answer only by calling the dialogue_turn tool.',
    user: [
      ...scenarioLines(dialogue),
      `${PROMPT_LINES.state}${stateJson(dialogue)}`,
      'The conversation so far (oldest first):',
      transcriptTail(transcript) || '(nothing yet)',
      `${PROMPT_LINES.turn}${player.turn} of ${dialogue.scenario.maxTurns}`,
      `${PROMPT_LINES.player}${JSON.stringify(player.text)}`,
    ].join('\n'),
  };
}

/** The prompt to resolve the dialogue through the `dialogue_resolution` tool. */
export function resolutionPrompt(dialogue: Dialogue, transcript: readonly DialogueTurn[], reason: ResolutionReason): DialoguePrompt {
  return {
    system:
      'You judge how an interactive dialogue ended. Say whether the player achieved the goal (success), part of it (partial) or not ' +
      '(failure), and summarise what happened in a few sentences naming the characters. Answer only by calling the dialogue_resolution tool.',
    user: [
      ...scenarioLines(dialogue),
      `${PROMPT_LINES.state}${stateJson(dialogue)}`,
      'The conversation (oldest first):',
      transcriptTail(transcript) || '(nothing was said)',
      `${PROMPT_LINES.turn}${dialogue.turn} of ${dialogue.scenario.maxTurns}`,
      `${PROMPT_LINES.reason}${reason}`,
    ].join('\n'),
  };
}

export const averageMood = (characters: readonly Pick<CharacterState, 'mood'>[]): number =>
  characters.length === 0 ? 0 : characters.reduce((sum, c) => sum + c.mood, 0) / characters.length;

/** The outcome from the model's resolution. */
export const outcomeOf = (dialogue: Dialogue, reason: ResolutionReason, resolution: ModelResolution, resolvedAt: string): DialogueOutcome => ({
  result: resolution.result,
  goalReached: reason === 'goal',
  reason,
  turns: dialogue.turn,
  summary: resolution.summary,
  finalState: dialogue.characters,
  resolvedAt,
});

/**
 * The outcome Parley writes itself when the model failed to resolve the
 * dialogue twice: the goal reached is a success; otherwise the characters'
 * average mood tells a partial success (warmer than they started) from a failure.
 */
export function fallbackOutcome(dialogue: Dialogue, reason: ResolutionReason, resolvedAt: string): DialogueOutcome {
  const start = averageMood(dialogue.scenario.characters);
  const end = averageMood(dialogue.characters);
  const result: DialogueResult = reason === 'goal' ? 'success' : end > start ? 'partial' : 'failure';
  const moods = dialogue.characters
    .map((c) => `${c.name}'s mood went from ${dialogue.scenario.characters.find((s) => s.id === c.characterId)?.mood ?? 0} to ${c.mood}`)
    .join('; ');
  const why = reason === 'goal' ? 'the goal was reached' : reason === 'turnLimit' ? 'the turns ran out' : 'the player ended it';
  return {
    result,
    goalReached: reason === 'goal',
    reason,
    turns: dialogue.turn,
    summary: `The dialogue ended after ${dialogue.turn} turn${dialogue.turn === 1 ? '' : 's'} because ${why}. ${moods}.`,
    finalState: dialogue.characters,
    resolvedAt,
  };
}

/**
 * What the schema cannot check of a scenario: every character id once, an
 * opening spoken by one of them. Undefined when the scenario is sound.
 */
export function scenarioProblem(scenario: Scenario): string | undefined {
  const ids = scenario.characters.map((c) => c.id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) return `The character id "${repeated}" is used twice.`;
  if (scenario.opening && !ids.includes(scenario.opening.characterId)) {
    return `The opening is spoken by "${scenario.opening.characterId}", who is not one of the characters.`;
  }
  return undefined;
}

/** The most turns getDialogue reads: every turn a dialogue can have (the opening and at most 40). */
export const DIALOGUE_TURN_HISTORY = 41;
/** The turns a prompt is built from, before the character budget cuts them (TRANSCRIPT_TAIL_CHARS). */
export const PROMPT_TURNS = 12;

const jobIds = { roomId: z.string().check(z.minLength(1)), dialogueId: z.string().check(z.minLength(1)) };
const dialogueJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dialogueTurn'), ...jobIds, turn: z.int().check(z.minimum(1)) }),
  z.object({ kind: z.literal('dialogueResolve'), ...jobIds, reason: z.enum(['requested', 'goal', 'turnLimit']) }),
]);

/** A DialogueJobs message read back; throws when it is not a job Parley wrote. */
export const parseDialogueJob = (body: string): DialogueJob => dialogueJobSchema.parse(JSON.parse(body));

/**
 * The scenario format as a JSON Schema (draft 2020-12), generated from the
 * schema uploads are checked with: `scenarios/scenario.schema.json` holds
 * it for authors' editors, and a test keeps the file in step.
 */
export const scenarioJsonSchema = (): Record<string, unknown> => ({
  ...(z.toJSONSchema(scenarioSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>),
  title: 'Parley dialogue scenario',
});
