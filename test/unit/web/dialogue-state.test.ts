import { describe, expect, it } from 'vitest';
import {
  applyDialogueFrame,
  canTakeTurn,
  changedFields,
  changeText,
  emptyDialogue,
  fromDialogueAnswer,
  isPending,
  mergeTurns,
  parseScenarioFile,
  turnTaken,
  type DialogueOutcome,
  type DialogueState,
  type DialogueTurn,
  type DialogueView,
} from '../../../web/src/games/dialogue-state';
import { SCENARIO_MAX_BYTES } from '../../../lambdas/domain/games/dialogue';
import { dialogueStatusText, transcriptLines } from '../../../web/src/ui/dialogue-panel';

const dialogueId = '01JZ3KA0R7N5M3K1H9G7F5D3B1';
const view = (fields: Partial<DialogueView> = {}): DialogueView => ({
  roomId: 'r1',
  dialogueId,
  scenarioId: 'rent-talk',
  title: 'The rent talk',
  goal: 'Keep the rise under ten percent.',
  status: 'active',
  startedAt: '2026-12-07T10:00:00.000Z',
  turn: 0,
  maxTurns: 12,
  characters: [{ characterId: 'landlord', name: 'Mr Okafor', mood: -1, traits: ['practical'] }],
  options: [
    { optionId: 'o1', text: 'I have always paid on time.' },
    { optionId: 'o2', text: 'Could we talk about repairs first?' },
  ],
  ...fields,
});
const opening: DialogueTurn = {
  dialogueId,
  turn: 0,
  replies: [{ characterId: 'landlord', name: 'Mr Okafor', text: 'Sit down.' }],
  changes: [],
  at: '2026-12-07T10:00:00.000Z',
};
const answered = (turn: number, fields: Partial<DialogueTurn> = {}): DialogueTurn => ({
  dialogueId,
  turn,
  playerId: 'u-ann',
  playerName: 'ann',
  text: 'I have always paid on time.',
  optionId: 'o1',
  replies: [{ characterId: 'landlord', name: 'Mr Okafor', text: 'That is true.' }],
  changes: [{ characterId: 'landlord', field: 'mood', from: -1, to: 1 }],
  at: '2026-12-07T10:01:00.000Z',
  ...fields,
});
const started = () => applyDialogueFrame(emptyDialogue, { type: 'dialogueStarted', roomId: 'r1', dialogue: view(), opening });
const outcome: DialogueOutcome = {
  result: 'success',
  goalReached: true,
  reason: 'goal',
  turns: 1,
  summary: 'Mr Okafor agreed to a smaller rise.',
  finalState: [{ characterId: 'landlord', name: 'Mr Okafor', mood: 3, opinions: { 'the-tenant': 3 }, traits: ['practical'] }],
  resolvedAt: '2026-12-07T10:02:00.000Z',
};

describe('the dialogue state', () => {
  it('starts with the opening line', () => {
    const state = started();

    expect(state.dialogue?.dialogueId).toBe(dialogueId);
    expect(state.turns).toEqual([opening]);
    expect(canTakeTurn(state)).toBe(true);
  });

  it('shows the player’s turn at once and waits for the characters', () => {
    const state = turnTaken(started(), { ...answered(1), replies: [], changes: [] });

    expect(isPending(state)).toBe(true);
    expect(canTakeTurn(state)).toBe(false);
    expect(dialogueStatusText(state)).toBe('The characters are answering…');
    expect(state.turns.map((t) => t.turn)).toEqual([0, 1]);
  });

  it('takes the characters’ answer: new state, new options, the changes to highlight', () => {
    let state = turnTaken(started(), { ...answered(1), replies: [], changes: [] });
    state = applyDialogueFrame(state, {
      type: 'dialogueProgressed',
      roomId: 'r1',
      dialogue: view({ turn: 1, characters: [{ characterId: 'landlord', name: 'Mr Okafor', mood: 1, traits: ['practical'] }] }),
      turn: answered(1),
    });

    expect(isPending(state)).toBe(false);
    expect(state.dialogue?.characters[0]?.mood).toBe(1);
    expect(state.turns[1]?.replies).toHaveLength(1);
    expect(state.lastChanges).toEqual([{ characterId: 'landlord', field: 'mood', from: -1, to: 1 }]);
    expect(changedFields(state.lastChanges, 'landlord')).toEqual(new Set(['mood']));
  });

  it('does not wait when the answer came before the ack', () => {
    let state = applyDialogueFrame(started(), { type: 'dialogueProgressed', roomId: 'r1', dialogue: view({ turn: 1 }), turn: answered(1) });
    state = turnTaken(state, { ...answered(1), replies: [], changes: [] });

    expect(isPending(state)).toBe(false);
    expect(state.turns[1]?.replies).toHaveLength(1);
  });

  it('keeps a later view when an older answer arrives', () => {
    let state = applyDialogueFrame(started(), { type: 'dialogueProgressed', roomId: 'r1', dialogue: view({ turn: 2 }), turn: answered(2) });
    state = fromDialogueAnswer(state, { dialogue: view({ turn: 1 }), turns: [opening, answered(1)] });

    expect(state.dialogue?.turn).toBe(2);
    expect(state.turns.map((t) => t.turn)).toEqual([0, 1, 2]);
  });

  it('keeps each turn once, the answered one over the bare line', () => {
    const bare = { ...answered(1), replies: [] };

    expect(mergeTurns([answered(1)], [bare])[0]?.replies).toHaveLength(1);
    expect(mergeTurns([bare], [answered(1)])[0]?.replies).toHaveLength(1);
  });

  it('waits for the outcome once ended, then shows it', () => {
    let state: DialogueState = { ...started(), dialogue: view({ resolving: 'requested' }) };
    expect(dialogueStatusText(state)).toBe('The outcome is being written…');

    state = applyDialogueFrame(state, { type: 'dialogueResolved', roomId: 'r1', dialogue: view({ status: 'resolved', turn: 1 }), outcome });

    expect(state.dialogue?.status).toBe('resolved');
    expect(state.dialogue?.outcome?.summary).toBe(outcome.summary);
    expect(canTakeTurn(state)).toBe(false);
    expect(dialogueStatusText(state)).toBe('');
  });

  it('says each change in words', () => {
    const dialogue = view();

    expect(changeText(dialogue, { characterId: 'landlord', field: 'mood', from: 1, to: 3 })).toBe('Mr Okafor’s mood 1 → 3');
    expect(changeText(dialogue, { characterId: 'landlord', field: 'opinion', key: 'the-tenant', from: 0, to: 2 })).toBe(
      'Mr Okafor’s opinion of the-tenant 0 → 2',
    );
    expect(changeText(dialogue, { characterId: 'landlord', field: 'trait', key: 'softened', change: 'added' })).toBe('Mr Okafor is now softened');
    expect(changeText(dialogue, { characterId: 'ghost', field: 'trait', key: 'angry', change: 'removed' })).toBe('ghost is no longer angry');
  });

  it('writes the transcript with the player’s lines and the characters’ replies', () => {
    const lines = transcriptLines([opening, answered(1), answered(2, { playerId: 'u-bob', playerName: 'bob', text: 'Hello' })], 'u-ann');

    expect(lines.map((l) => `${l.speaker}: ${l.text}`)).toEqual([
      'Mr Okafor: Sit down.',
      'You: I have always paid on time.',
      'Mr Okafor: That is true.',
      'bob: Hello',
      'Mr Okafor: That is true.',
    ]);
  });
});

describe('a scenario file', () => {
  it('is read when it holds a JSON object', () => {
    expect(parseScenarioFile('{"id":"rent-talk"}')).toEqual({ ok: true, scenario: { id: 'rent-talk' } });
  });

  it('is refused, with the reason, when it is not JSON, not an object, or too large', () => {
    expect(parseScenarioFile('{oops')).toEqual({ ok: false, error: 'The file is not valid JSON.' });
    expect(parseScenarioFile('[1,2]')).toEqual({ ok: false, error: 'The file does not hold a scenario (a JSON object).' });
    expect(parseScenarioFile(`{"x":"${'é'.repeat(SCENARIO_MAX_BYTES / 2)}"}`)).toMatchObject({ ok: false, error: expect.stringContaining('larger than') });
  });
});
