import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialogueOutcome, DialogueTurn, DialogueView } from '../../lambdas/domain/games/dialogue';
import { type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';

/**
 * Guided dialogues through Parley's front door: the local runtime, real
 * WebSockets, and the offline model playing the characters
 * (scripts/local/bedrock/offline-dialogue.ts), whose courtesy rules make
 * the rent scenario's goal reachable in three known turns.
 */
/** How long a frame the worker sends may take: a cold worker on a busy machine. */
const ANSWER_MS = 30_000;

describe('guided dialogues on the local runtime', () => {
  let parley: LocalParleyProcess;

  // The machine may be busy: the runtime gets the time other suites give it to start.
  beforeAll(async () => {
    parley = await startLocalParley({ startTimeoutMs: 300_000 });
  }, 320_000);

  afterAll(async () => {
    await parley?.stop();
  });

  const dialogueRoom = async (owner: TestClient, name: string) =>
    (await owner.ok<{ room: { roomId: string } }>('createRoom', { name, mode: 'dialogue' })).room.roomId;

  const progressed = (dialogueId: string, turn: number) => (f: Frame) =>
    f.type === 'dialogueProgressed' && (f['turn'] as DialogueTurn).dialogueId === dialogueId && (f['turn'] as DialogueTurn).turn === turn;
  const resolved = (dialogueId: string) => (f: Frame) => f.type === 'dialogueResolved' && (f['dialogue'] as DialogueView).dialogueId === dialogueId;

  it('plays a dialogue from its start to the goal: options and a free line, state changes in frames, the outcome stored', async () => {
    const alice = await parley.connect('alice');
    const bob = await parley.connect('bob');
    const roomId = await dialogueRoom(alice, 'rent talks');
    await bob.ok('joinRoom', { roomId });

    const { scenarios } = await bob.ok<{ scenarios: Array<{ id: string; source: string }> }>('listScenarios', { roomId });
    expect(scenarios.map((s) => s.id)).toEqual(expect.arrayContaining(['rent-negotiation', 'market-haggle', 'harbour-council']));

    const started = await bob.ok<{ dialogue: DialogueView; opening: DialogueTurn }>('startDialogue', { roomId, scenarioId: 'rent-negotiation' });
    const { dialogueId } = started.dialogue;
    const seen = await alice.waitFor((f) => f.type === 'dialogueStarted' && (f['dialogue'] as DialogueView).dialogueId === dialogueId);
    expect((seen['opening'] as DialogueTurn).replies[0]!.name).toBe('Mr Okafor');
    // The scenario hides opinions while the dialogue goes on.
    expect(started.dialogue.characters[0]).toEqual({ characterId: 'landlord', name: 'Mr Okafor', mood: -1, traits: ['practical', 'guarded'] });

    // A second dialogue is refused while this one is going on.
    expect(await alice.request('startDialogue', { roomId, scenarioId: 'market-haggle' })).toMatchObject({ type: 'error', code: 'CONFLICT' });

    // Turn 1, a free line naming a topic: the mood change shows, the opinion's (hidden) does not.
    expect(await bob.ok('takeDialogueTurn', { roomId, dialogueId, clientTurnId: 't1', text: 'Thank you; I understand the roof repairs cost a lot.' })).toMatchObject({ turn: 1 });
    const first = await alice.waitFor(progressed(dialogueId, 1), ANSWER_MS);
    const firstTurn = first['turn'] as DialogueTurn;
    expect(firstTurn.replies[0]!.text).toContain('Mr Okafor');
    expect(firstTurn.changes).toContainEqual({ characterId: 'landlord', field: 'mood', from: -1, to: 1 });
    expect(firstTurn.changes.some((c) => c.field === 'opinion')).toBe(false);
    const afterFirst = first['dialogue'] as DialogueView;
    expect(afterFirst.options.map((o) => o.optionId)).toEqual(['o1', 'o2', 'o3']);

    // Turn 2, an option; turn 3, the option that proposes the goal.
    await bob.ok('takeDialogueTurn', { roomId, dialogueId, clientTurnId: 't2', optionId: 'o1' });
    const second = await bob.waitFor(progressed(dialogueId, 2), ANSWER_MS);
    expect((second['turn'] as DialogueTurn)).toMatchObject({ optionId: 'o1', text: afterFirst.options[0]!.text });
    expect((second['dialogue'] as DialogueView).characters[0]!.mood).toBe(2);
    await bob.ok('takeDialogueTurn', { roomId, dialogueId, clientTurnId: 't3', optionId: 'o3' });

    const end = await alice.waitFor(resolved(dialogueId), ANSWER_MS);
    const outcome = end['outcome'] as DialogueOutcome;
    expect(outcome).toMatchObject({ result: 'success', goalReached: true, reason: 'goal', turns: 3 });
    expect(outcome.finalState[0]).toMatchObject({ mood: 4, opinions: expect.objectContaining({ 'roof-repairs': 5 }) });

    const stored = await alice.ok<{ dialogue: DialogueView; turns: DialogueTurn[] }>('getDialogue', { roomId, dialogueId });
    expect(stored.dialogue).toMatchObject({ status: 'resolved', outcome: { result: 'success', summary: outcome.summary } });
    expect(stored.turns.map((t) => t.turn)).toEqual([0, 1, 2, 3]);
    // Once resolved, every change shows.
    expect(stored.turns[1]!.changes.some((c) => c.field === 'opinion')).toBe(true);
  }, 120_000);

  it('ends a dialogue at a member’s request, and frees the room for the next', async () => {
    const carol = await parley.connect('carol');
    const roomId = await dialogueRoom(carol, 'market');
    const { dialogue } = await carol.ok<{ dialogue: DialogueView }>('startDialogue', { roomId, scenarioId: 'market-haggle' });
    await carol.ok('takeDialogueTurn', { roomId, dialogueId: dialogue.dialogueId, clientTurnId: 't1', text: 'This lamp is overpriced, and your prices are ridiculous.' });
    const rude = await carol.waitFor(progressed(dialogue.dialogueId, 1), ANSWER_MS);
    // This scenario shows opinions, and rudeness offends.
    expect((rude['turn'] as DialogueTurn).changes).toContainEqual({ characterId: 'trader', field: 'trait', key: 'offended', change: 'added' });

    expect(await carol.ok('endDialogue', { roomId, dialogueId: dialogue.dialogueId })).toEqual({ dialogueId: dialogue.dialogueId, resolving: 'requested' });
    const end = await carol.waitFor(resolved(dialogue.dialogueId), ANSWER_MS);

    expect(end['outcome']).toMatchObject({ result: 'failure', reason: 'requested', goalReached: false, turns: 1 });
    await expect(carol.ok('startDialogue', { roomId, scenarioId: 'rent-negotiation' })).resolves.toBeDefined();
  }, 90_000);

  it('uploads a room’s scenario and refuses invalid ones, a member’s upload and a dialogue in a chat room', async () => {
    const dan = await parley.connect('dan');
    const erin = await parley.connect('erin');
    const roomId = await dialogueRoom(dan, 'own scenarios');
    await erin.ok('joinRoom', { roomId });
    const scenario = {
      id: 'tea-party',
      title: 'Tea with Ada',
      summary: 'A polite tea.',
      goal: 'Get a second cup of tea.',
      characters: [{ id: 'host', name: 'Ada', persona: 'A gracious host.', opinions: { 'second-cups': -2 } }],
      reveal: { opinions: true },
    };

    expect(await dan.ok('uploadScenario', { roomId, scenario })).toMatchObject({ replaced: false, scenario: { id: 'tea-party', source: 'room' } });
    expect(await dan.request('uploadScenario', { roomId, scenario: { ...scenario, id: 'rent-negotiation' } })).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(await dan.request('uploadScenario', { roomId, scenario: { ...scenario, characters: [] } })).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(await dan.request('uploadScenario', { roomId, scenario: { ...scenario, characters: [{ ...scenario.characters[0], mood: 9 }] } })).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(await erin.request('uploadScenario', { roomId, scenario })).toMatchObject({ type: 'error', code: 'FORBIDDEN' });

    const { dialogue } = await erin.ok<{ dialogue: DialogueView }>('startDialogue', { roomId, scenarioId: 'tea-party' });
    // This scenario reveals opinions.
    expect(dialogue.characters[0]).toMatchObject({ opinions: { 'second-cups': -2 } });

    const chatRoom = (await dan.ok<{ room: { roomId: string } }>('createRoom', { name: 'just chat' })).room.roomId;
    expect(await dan.request('startDialogue', { roomId: chatRoom, scenarioId: 'rent-negotiation' })).toMatchObject({ type: 'error', code: 'CONFLICT', message: expect.stringContaining('chat room') });
    expect(await dan.request('listScenarios', { roomId: chatRoom })).toMatchObject({ type: 'error', code: 'CONFLICT' });
  });
});
