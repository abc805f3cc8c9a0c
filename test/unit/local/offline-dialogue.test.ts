import { describe, expect, it } from 'vitest';
import { modelResolutionSchema, modelTurnSchema, type Dialogue } from '../../../lambdas/domain/games/dialogue';
import { applyModelTurn, newDialogue, resolutionPrompt, turnPrompt } from '../../../lambdas/domain/games/dialogue-rules';
import { exampleScenario } from '../../../lambdas/domain/games/example-scenarios';
import { OFFLINE_DIALOGUE_MODELS, offlineDialogueToolUse } from '../../../scripts/local/bedrock/offline-dialogue';
import { OfflineResponder } from '../../../scripts/local/bedrock/offline-responder';
import type { ChatRequest } from '../../../scripts/local/bedrock/types';

const start = (scenarioId: string): Dialogue =>
  newDialogue({ roomId: 'r1', dialogueId: 'd1', scenario: exampleScenario(scenarioId)!, startedBy: 'u1', startedAt: '2026-12-07T10:00:00.000Z' });

const request = (prompt: { system: string; user: string }, tool: string, modelId = 'offline'): ChatRequest => ({
  modelId,
  system: prompt.system,
  messages: [{ role: 'user', text: prompt.user }],
  maxTokens: 2000,
  tools: [{ name: tool }],
  toolChoice: { type: 'tool', name: tool },
});

/** Plays one turn through the offline model and applies it, as the worker does. */
function play(dialogue: Dialogue, line: string) {
  const use = offlineDialogueToolUse(request(turnPrompt(dialogue, [], { turn: dialogue.turn + 1, text: line }), 'dialogue_turn'));
  const turn = modelTurnSchema.parse(use!.input);
  const applied = applyModelTurn(dialogue.characters, turn);
  return { turn, applied, next: { ...dialogue, turn: dialogue.turn + 1, characters: applied.characters } };
}

describe('the offline model in a dialogue', () => {
  it('answers in character with a valid turn: courtesy warms, rudeness cools and offends', () => {
    const polite = play(start('rent-negotiation'), 'Thank you, I understand the roof repairs cost a lot.');
    const rude = play(start('rent-negotiation'), 'This rise is ridiculous.');

    expect(polite.turn.replies[0]!.text).toMatch(/^Mr Okafor, a tired landlord who values reliable tenants.*appreciate the courtesy/);
    expect(polite.applied.changes).toEqual(
      expect.arrayContaining([
        { characterId: 'landlord', field: 'mood', from: -1, to: 1 },
        { characterId: 'landlord', field: 'opinion', key: 'roof-repairs', from: 4, to: 5 },
        { characterId: 'landlord', field: 'trait', key: 'warming', change: 'added' },
      ]),
    );
    expect(rude.applied.changes).toContainEqual({ characterId: 'landlord', field: 'mood', from: -1, to: -3 });
    expect(rude.applied.changes).toContainEqual({ characterId: 'landlord', field: 'trait', key: 'offended', change: 'added' });
    expect(polite.turn.options).toHaveLength(3);
  });

  it('reaches the goal in three turns of its own options, and not before the mood allows', () => {
    let dialogue = start('rent-negotiation');
    let options = dialogue.options.map((o) => o.text);
    const reached: boolean[] = [];
    for (const pick of [0, 0, 2]) {
      const played = play(dialogue, options[pick]!);
      reached.push(played.turn.goalReached);
      options = played.turn.options;
      dialogue = played.next;
    }

    expect(reached).toEqual([false, false, true]);
    expect(dialogue.characters[0]!.mood).toBe(3);
  });

  it('moves an opinion the line names against its topic', () => {
    const { applied } = play(start('harbour-council'), 'We are against the marina.');

    expect(applied.changes).toContainEqual({ characterId: 'developer', field: 'opinion', key: 'marina', from: 5, to: 4 });
  });

  it('resolves from the final state, and answers malformed under its test model id', async () => {
    const dialogue = { ...start('market-haggle'), turn: 2 };
    const use = offlineDialogueToolUse(request(resolutionPrompt(dialogue, [], 'requested'), 'dialogue_resolution'));
    const events = [];
    for await (const event of new OfflineResponder({ pieceDelayMs: 0 }).chat(request(turnPrompt(dialogue, [], { turn: 3, text: 'Hi' }), 'dialogue_turn', OFFLINE_DIALOGUE_MODELS.malformed), new AbortController().signal)) {
      events.push(event);
    }

    expect(modelResolutionSchema.parse(use!.input)).toEqual({ result: 'partial', summary: expect.stringContaining('After 2 turns') });
    expect(events.some((e) => e.type === 'toolUse')).toBe(false);
  });

  it('is reached through the offline responder', async () => {
    const events = [];
    for await (const event of new OfflineResponder({ pieceDelayMs: 0 }).chat(request(turnPrompt(start('rent-negotiation'), [], { turn: 1, text: 'Hello' }), 'dialogue_turn'), new AbortController().signal)) {
      events.push(event);
    }

    expect(events[0]).toMatchObject({ type: 'toolUse', name: 'dialogue_turn' });
    expect(events[1]).toMatchObject({ type: 'end', stopReason: 'tool_use' });
  });
});
