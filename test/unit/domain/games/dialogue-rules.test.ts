import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { modelTurnSchema, scenarioSchema, type Dialogue, type DialogueTurn, type ModelTurn } from '../../../../lambdas/domain/games/dialogue';
import {
  applyModelTurn,
  dialogueView,
  fallbackOutcome,
  MAX_TRAITS,
  newDialogue,
  openingTurn,
  PROMPT_LINES,
  resolutionAfterTurn,
  scenarioJsonSchema,
  scenarioProblem,
  transcriptTail,
  turnPrompt,
  turnView,
} from '../../../../lambdas/domain/games/dialogue-rules';
import { EXAMPLE_SCENARIOS, exampleScenario } from '../../../../lambdas/domain/games/example-scenarios';

const council = exampleScenario('harbour-council')!;
const rent = exampleScenario('rent-negotiation')!;

const start = (scenario = council): Dialogue =>
  newDialogue({ roomId: 'r1', dialogueId: '01JZ3KB1S8P6N4M2J0H8G6E4C2', scenario, startedBy: 'u-alice', startedAt: '2026-12-07T10:00:00.000Z' });

const modelTurn = (input: z.input<typeof modelTurnSchema>): ModelTurn => modelTurnSchema.parse(input);

describe('example scenarios', () => {
  const dir = new URL('../../../../scenarios/', import.meta.url);
  const files = readdirSync(dir).filter((name) => name.endsWith('.json') && name !== 'scenario.schema.json');

  it.each(files)('%s is valid under the scenario schema and holds together', (file) => {
    const scenario = scenarioSchema.parse(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));

    expect(`${scenario.id}.json`).toBe(file);
    expect(scenarioProblem(scenario)).toBeUndefined();
  });

  it('has its JSON Schema file in step with the schema uploads are checked with', () => {
    expect(JSON.parse(readFileSync(new URL('scenario.schema.json', dir), 'utf8'))).toEqual(scenarioJsonSchema());
  });

  it('bundles every file of the folder, each with a different cast', () => {
    expect(EXAMPLE_SCENARIOS.map((s) => `${s.id}.json`).sort()).toEqual([...files].sort());
    expect(new Set(EXAMPLE_SCENARIOS.map((s) => s.characters.length)).size).toBeGreaterThan(1);
  });
});

describe('scenarioProblem', () => {
  it('names a character id used twice and an opening by nobody in the cast', () => {
    const twice = { ...rent, characters: [rent.characters[0]!, rent.characters[0]!] };
    const stranger = { ...rent, opening: { characterId: 'ghost', text: 'Boo.' } };

    expect(scenarioProblem(twice)).toMatch(/"landlord" is used twice/);
    expect(scenarioProblem(stranger)).toMatch(/"ghost"/);
  });
});

describe('newDialogue', () => {
  it('starts from the scenario’s characters, with the opening as turn 0 and three options o1..o3', () => {
    const dialogue = start();

    expect(dialogue).toMatchObject({ status: 'active', turn: 0 });
    expect(dialogue.characters.map((c) => [c.characterId, c.mood])).toEqual([['mayor', 0], ['developer', 1], ['elder', 2]]);
    expect(dialogue.options.map((o) => o.optionId)).toEqual(['o1', 'o2', 'o3']);
    expect(openingTurn(dialogue)).toMatchObject({ turn: 0, replies: [{ characterId: 'mayor', name: 'Mayor Ines Duarte' }], changes: [] });
  });
});

describe('applyModelTurn', () => {
  it('applies moods and opinions clamped to the scale, and lists what changed', () => {
    const { characters, changes } = applyModelTurn(
      start().characters,
      modelTurn({
        replies: [{ characterId: 'mayor', text: 'Go on.' }],
        changes: [{ characterId: 'mayor', mood: 3, opinions: { 'fishing-boats': 2, marina: 2 } }],
        options: ['a', 'b'],
      }),
    );

    expect(characters[0]).toMatchObject({ mood: 3, opinions: { 'fishing-boats': 2, marina: 2 } });
    expect(changes).toEqual([
      { characterId: 'mayor', field: 'mood', from: 0, to: 3 },
      { characterId: 'mayor', field: 'opinion', key: 'fishing-boats', from: 0, to: 2 },
    ]);
  });

  it('drops replies and changes of characters the dialogue does not have', () => {
    const applied = applyModelTurn(
      start().characters,
      modelTurn({
        replies: [{ characterId: 'ghost', text: 'Boo.' }, { characterId: 'elder', text: 'Aye.' }],
        changes: [{ characterId: 'ghost', mood: 5 }],
        options: ['a', 'b'],
      }),
    );

    expect(applied.replies).toEqual([{ characterId: 'elder', name: 'Old Brann', text: 'Aye.' }]);
    expect(applied.changes).toEqual([]);
    expect(applied.characters).toEqual(start().characters);
  });

  it('deduplicates traits, removes the ones asked, and keeps at most eight', () => {
    const many = ['one', 'two', 'three', 'four'];
    const first = applyModelTurn(
      start().characters,
      modelTurn({ replies: [{ characterId: 'elder', text: 'Hm.' }], changes: [{ characterId: 'elder', addTraits: ['Stubborn', 'moved', 'MOVED'], removeTraits: ['loyal'] }], options: ['a', 'b'] }),
    );
    const second = applyModelTurn(
      first.characters,
      modelTurn({ replies: [{ characterId: 'elder', text: 'Hm.' }], changes: [{ characterId: 'elder', addTraits: many }], options: ['a', 'b'] }),
    );
    const third = applyModelTurn(
      second.characters,
      modelTurn({ replies: [{ characterId: 'elder', text: 'Hm.' }], changes: [{ characterId: 'elder', addTraits: ['five', 'six', 'seven'] }], options: ['a', 'b'] }),
    );

    expect(first.characters[2]!.traits).toEqual(['stubborn', 'moved']);
    expect(first.changes).toEqual([
      { characterId: 'elder', field: 'trait', key: 'loyal', change: 'removed' },
      { characterId: 'elder', field: 'trait', key: 'moved', change: 'added' },
    ]);
    expect(third.characters[2]!.traits).toHaveLength(MAX_TRAITS);
    expect(third.characters[2]!.traits.at(-1)).toBe('seven');
    expect(third.changes).toContainEqual({ characterId: 'elder', field: 'trait', key: 'stubborn', change: 'removed' });
  });

  it('clamps what slipped past the schema (a fractional or out-of-scale level)', () => {
    const applied = applyModelTurn(start().characters, { replies: [], changes: [{ characterId: 'mayor', mood: 9.4 }], options: [], goalReached: false });

    expect(applied.characters[0]!.mood).toBe(5);
  });
});

describe('what the player sees', () => {
  const turn: DialogueTurn = {
    dialogueId: 'd1',
    turn: 1,
    replies: [],
    changes: [
      { characterId: 'mayor', field: 'mood', from: 0, to: 1 },
      { characterId: 'mayor', field: 'opinion', key: 'marina', from: 2, to: 1 },
      { characterId: 'mayor', field: 'trait', key: 'moved', change: 'added' },
    ],
    at: '',
  };

  it('hides the fields the scenario does not reveal, in the view and in the changes', () => {
    const dialogue = start();

    expect(dialogueView(dialogue).characters[0]).toEqual({ characterId: 'mayor', name: 'Mayor Ines Duarte', mood: 0 });
    expect(turnView(turn, dialogue).changes).toEqual([{ characterId: 'mayor', field: 'mood', from: 0, to: 1 }]);
  });

  it('shows everything once the dialogue is resolved', () => {
    const resolved: Dialogue = { ...start(), status: 'resolved' };

    expect(dialogueView(resolved).characters[0]).toMatchObject({ opinions: { marina: 2 }, traits: ['cautious'] });
    expect(dialogueView(resolved).options).toEqual([]);
    expect(turnView(turn, resolved).changes).toHaveLength(3);
  });
});

describe('prompts', () => {
  it('carry the goal, the personas, the state as JSON and the player’s line', () => {
    const prompt = turnPrompt(start(), [openingTurn(start())], { turn: 1, text: 'Please, hear us out.' });

    expect(prompt.system).toMatch(/dialogue_turn/);
    expect(prompt.user).toContain(`${PROMPT_LINES.goal}${council.goal}`);
    expect(prompt.user).toContain(council.characters[1]!.persona);
    expect(prompt.user).toContain(`${PROMPT_LINES.player}"Please, hear us out."`);
    const state = JSON.parse(prompt.user.split('\n').find((l) => l.startsWith(PROMPT_LINES.state))!.slice(PROMPT_LINES.state.length));
    expect(state[0]).toMatchObject({ id: 'mayor', mood: 0, opinions: { marina: 2 } });
  });

  it('keep only the newest exchanges that fit the transcript budget', () => {
    const turns: DialogueTurn[] = [1, 2, 3].map((n) => ({ dialogueId: 'd', turn: n, text: `line ${n} ${'x'.repeat(40)}`, replies: [], changes: [], at: '' }));

    const tail = transcriptTail(turns, 120);

    expect(tail).toContain('line 3');
    expect(tail).toContain('line 2');
    expect(tail).not.toContain('line 1');
  });
});

describe('resolution', () => {
  it('ends on the goal, or when the turns run out', () => {
    expect(resolutionAfterTurn({ turn: 2, scenario: rent }, true)).toBe('goal');
    expect(resolutionAfterTurn({ turn: rent.maxTurns, scenario: rent }, false)).toBe('turnLimit');
    expect(resolutionAfterTurn({ turn: 2, scenario: rent }, false)).toBeUndefined();
  });

  it('writes a fallback outcome from the moods: warmer than at the start is a partial success', () => {
    const dialogue = { ...start(rent), turn: 3, characters: [{ ...start(rent).characters[0]!, mood: 2 }] };

    const warmer = fallbackOutcome(dialogue, 'requested', 'now');
    const colder = fallbackOutcome({ ...dialogue, characters: [{ ...dialogue.characters[0]!, mood: -3 }] }, 'turnLimit', 'now');

    expect(warmer).toMatchObject({ result: 'partial', goalReached: false, turns: 3, reason: 'requested' });
    expect(warmer.summary).toContain("Mr Okafor's mood went from -1 to 2");
    expect(colder.result).toBe('failure');
    expect(fallbackOutcome(dialogue, 'goal', 'now')).toMatchObject({ result: 'success', goalReached: true });
  });
});
