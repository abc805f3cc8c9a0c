import { DIALOGUE_TOOLS, STATE_MAX, STATE_MIN } from '../../../lambdas/domain/games/dialogue';
import { PROMPT_LINES } from '../../../lambdas/domain/games/dialogue-rules';
import type { ChatRequest, ChatToolUse } from './types';

/**
 * How Parley's offline model plays a guided dialogue, deterministically, so
 * `npm start` and the tests can play one from start to outcome. It reads
 * the prompt's fixed lines (dialogue-rules.ts: PROMPT_LINES): the goal, the
 * characters' state as JSON and the player's line.
 *
 * Offered `dialogue_turn`, it calls it with:
 * - a reply from each character: their name, a phrase of their persona, and
 *   a reaction to the player's words;
 * - each character's mood up by one per courteous word (please, thank,
 *   sorry, fair, understand, respect, appreciate, agree, together,
 *   compromise, kind; at most two) and down by two for a rude or threatening
 *   one (stupid, idiot, ridiculous, useless, greedy, liar, threat, sue,
 *   shut up, or else);
 * - an opinion whose topic the line names (its id, hyphens as spaces) moved
 *   one step toward the player: up, or down when the line says against,
 *   oppose, stop or no;
 * - a trait added on a strong change (mood moved by two or more): `warming`
 *   or `offended`;
 * - three options from the goal and the coolest character;
 * - `goalReached` when the line addresses the goal (it shares at least two
 *   of the goal's words of five letters or more) and every character's new
 *   mood is at least GOAL_MOOD. Courteous lines take a character from -1 to
 *   3 in two turns, so the third option ("Please consider this: <goal>")
 *   reaches the rent scenario's goal on the third turn.
 *
 * Offered `dialogue_resolution`, it calls it with a result from the
 * characters' average mood (success when the goal was the reason, partial
 * when above zero, failure otherwise) and a summary naming the turns taken
 * and each character's mood.
 *
 * Under the model id OFFLINE_DIALOGUE_MODELS.malformed it answers in plain
 * text instead of calling the tool, so a dialogue shows what happens when
 * the model's answers cannot be used (the state kept, the fallback outcome).
 */
export const OFFLINE_DIALOGUE_MODELS = { malformed: 'parley.offline-dialogue-malformed' } as const;

/** The mood every character needs for the offline model to judge the goal reached. */
export const GOAL_MOOD = 3;

const COURTEOUS = /\b(please|thanks?|thank you|sorry|fair|understand|respect|appreciate|agree|together|compromise|kind)\b/gi;
const RUDE = /\b(stupid|idiot|ridiculous|useless|greedy|liar|threat\w*|sue|shut up|or else)\b/gi;
const AGAINST = /\b(against|oppose|stop|no)\b/i;

interface OfflineCharacter {
  readonly id: string;
  readonly name: string;
  readonly mood: number;
  readonly opinions: Readonly<Record<string, number>>;
  readonly traits: readonly string[];
}

interface DialoguePromptFacts {
  readonly goal: string;
  readonly characters: readonly OfflineCharacter[];
  readonly personas: ReadonlyMap<string, string>;
  readonly player?: string;
  readonly turns: number;
  readonly reason?: string;
}

const clamp = (n: number): number => Math.max(STATE_MIN, Math.min(STATE_MAX, n));

function readPrompt(request: Pick<ChatRequest, 'messages'>): DialoguePromptFacts | undefined {
  const text = request.messages.filter((m) => m.role === 'user').at(-1)?.text ?? '';
  const lines = text.split('\n');
  const value = (prefix: string) => lines.find((line) => line.startsWith(prefix))?.slice(prefix.length);
  const state = value(PROMPT_LINES.state);
  if (state === undefined) return undefined;
  try {
    const characters = JSON.parse(state) as OfflineCharacter[];
    const player = value(PROMPT_LINES.player);
    const personas = new Map(
      lines.flatMap((line) => {
        const match = /^- ([a-z0-9-]+) \([^)]*\): (.*)$/.exec(line);
        return match ? [[match[1] as string, match[2] as string] as const] : [];
      }),
    );
    const reason = value(PROMPT_LINES.reason);
    return {
      goal: value(PROMPT_LINES.goal) ?? '',
      characters,
      personas,
      ...(player !== undefined ? { player: JSON.parse(player) as string } : {}),
      turns: Number.parseInt(value(PROMPT_LINES.turn) ?? '0', 10),
      ...(reason !== undefined ? { reason } : {}),
    };
  } catch {
    return undefined;
  }
}

const count = (pattern: RegExp, text: string): number => text.match(pattern)?.length ?? 0;

/** The first clause of a persona, lower-cased: "a tired landlord who values reliable tenants". */
const personaPhrase = (persona: string | undefined): string =>
  (persona ?? 'someone with a view of their own').split(/[.,;]/)[0]!.trim().replace(/^./, (c) => c.toLowerCase()).slice(0, 120);

const quoteOf = (line: string): string => (line.length > 80 ? `${line.slice(0, 80)}…` : line);

const goalWords = (goal: string): string[] => [...new Set(goal.toLowerCase().match(/[a-z]{5,}/g) ?? [])];

/** The `dialogue_turn` input for a player's line. */
export function offlineDialogueTurn(facts: DialoguePromptFacts): Record<string, unknown> {
  const line = facts.player ?? '';
  const lower = line.toLowerCase();
  const moodDelta = Math.min(2, count(COURTEOUS, line)) - 2 * Math.min(1, count(RUDE, line));
  const stance = AGAINST.test(line) ? -1 : 1;
  const changes: Array<Record<string, unknown>> = [];
  const after = facts.characters.map((c) => {
    const mood = clamp(c.mood + moodDelta);
    const opinions = Object.fromEntries(
      Object.entries(c.opinions)
        .filter(([topic]) => lower.includes(topic.replace(/-/g, ' ')) || lower.includes(topic))
        .map(([topic, level]) => [topic, clamp(level + stance)]),
    );
    const trait = moodDelta >= 2 ? 'warming' : moodDelta <= -2 ? 'offended' : undefined;
    changes.push({
      characterId: c.id,
      ...(mood !== c.mood ? { mood } : {}),
      ...(Object.keys(opinions).length > 0 ? { opinions } : {}),
      ...(trait && !c.traits.includes(trait) ? { addTraits: [trait] } : {}),
    });
    return { ...c, mood };
  });
  const reaction =
    moodDelta > 0 ? 'I appreciate the courtesy, and I am listening' : moodDelta < 0 ? 'I do not care for that tone' : 'I will hear you out, but I am not convinced';
  const replies = facts.characters.map((c) => ({
    characterId: c.id,
    text: `${c.name}, ${personaPhrase(facts.personas.get(c.id))}, answers: “${quoteOf(line)}”? ${reaction}.`,
  }));
  const coolest = [...after].sort((a, b) => a.mood - b.mood)[0]!;
  const topic = Object.keys(coolest.opinions)[0]?.replace(/-/g, ' ') ?? 'all this';
  const words = goalWords(facts.goal);
  const addressesGoal = words.filter((word) => lower.includes(word)).length >= Math.min(2, words.length);
  return {
    replies,
    changes: changes.filter((c) => Object.keys(c).length > 1),
    options: [
      `Thank ${coolest.name} for listening and acknowledge their concerns.`,
      `Ask ${coolest.name} what they think about ${topic}.`,
      `Please consider this: ${facts.goal}`,
    ],
    goalReached: addressesGoal && after.every((c) => c.mood >= GOAL_MOOD),
  };
}

/** The `dialogue_resolution` input for the dialogue's final state. */
export function offlineDialogueResolution(facts: DialoguePromptFacts): Record<string, unknown> {
  const average = facts.characters.reduce((sum, c) => sum + c.mood, 0) / Math.max(1, facts.characters.length);
  const result = facts.reason === 'goal' ? 'success' : average > 0 ? 'partial' : 'failure';
  const moods = facts.characters.map((c) => `${c.name} ended at mood ${c.mood}`).join(', ');
  return {
    result,
    summary: `After ${facts.turns} turn${facts.turns === 1 ? '' : 's'} the dialogue ended (${facts.reason ?? 'requested'}): ${moods}. Summary written by Parley's offline model.`,
  };
}

/**
 * The dialogue tool call the offline model makes, if the request offers a
 * dialogue tool and its prompt reads as a dialogue's; undefined otherwise
 * (and under the malformed model id, which then answers in text).
 */
export function offlineDialogueToolUse(request: Pick<ChatRequest, 'modelId' | 'messages' | 'tools'>): ChatToolUse | undefined {
  const offered = new Set((request.tools ?? []).map((tool) => tool.name));
  const tool = offered.has(DIALOGUE_TOOLS.turn) ? DIALOGUE_TOOLS.turn : offered.has(DIALOGUE_TOOLS.resolution) ? DIALOGUE_TOOLS.resolution : undefined;
  if (tool === undefined || request.modelId === OFFLINE_DIALOGUE_MODELS.malformed) return undefined;
  const facts = readPrompt(request);
  if (!facts) return undefined;
  const input = tool === DIALOGUE_TOOLS.turn ? offlineDialogueTurn(facts) : offlineDialogueResolution(facts);
  return { toolUseId: `tooluse-${tool}-1`, name: tool, input };
}
