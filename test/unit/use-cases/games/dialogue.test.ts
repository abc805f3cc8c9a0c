import { beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { frameSchema } from '../../../../lambdas/domain/frame-schemas';
import { ConflictError, NotFoundError, PayloadTooLargeError, PermissionError, ValidationError } from '../../../../lambdas/domain/errors';
import { DIALOGUE_TOOLS, type ScenarioInput } from '../../../../lambdas/domain/games/dialogue';
import { exampleScenario } from '../../../../lambdas/domain/games/example-scenarios';
import { gameRequestSchemas } from '../../../../lambdas/domain/games/protocol';
import type { DialogueJob } from '../../../../lambdas/domain/games/jobs';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { joinRoom } from '../../../../lambdas/use-cases/join-room';
import { answerTurn } from '../../../../lambdas/use-cases/games/dialogue/answer-turn';
import { ABANDONED_TURN_MS, endDialogue } from '../../../../lambdas/use-cases/games/dialogue/end-dialogue';
import { getDialogue } from '../../../../lambdas/use-cases/games/dialogue/get-dialogue';
import { listScenarios } from '../../../../lambdas/use-cases/games/dialogue/list-scenarios';
import { resolveDialogue } from '../../../../lambdas/use-cases/games/dialogue/resolve-dialogue';
import { startDialogue } from '../../../../lambdas/use-cases/games/dialogue/start-dialogue';
import { takeDialogueTurn } from '../../../../lambdas/use-cases/games/dialogue/take-dialogue-turn';
import { MAX_ROOM_SCENARIOS, uploadScenario } from '../../../../lambdas/use-cases/games/dialogue/upload-scenario';
import { alice, bob, carol } from '../../../support/fakes/chat';
import { ScriptedModel, type ScriptStep } from '../../../support/fakes/agents';
import { dialogueWorld } from '../../../support/fakes/dialogue';

const turnCall = (input: unknown): ScriptStep[] => [{ toolUse: { toolUseId: 't1', name: DIALOGUE_TOOLS.turn, input } }, { done: { inputTokens: 1, outputTokens: 1 } }];
const resolutionCall = (input: unknown): ScriptStep[] => [{ toolUse: { toolUseId: 't1', name: DIALOGUE_TOOLS.resolution, input } }, { done: { inputTokens: 1, outputTokens: 1 } }];
const chatter: ScriptStep[] = [{ delta: 'I would rather just talk.' }, { done: { inputTokens: 1, outputTokens: 1 } }];

const warmer = {
  replies: [{ characterId: 'landlord', text: 'Fine, I am listening.' }],
  changes: [{ characterId: 'landlord', mood: 2, opinions: { tenant: 3 }, addTraits: ['softening'] }],
  options: ['Offer a five percent rise', 'Ask about the roof'],
};

const own: ScenarioInput = {
  id: 'tea-party',
  title: 'Tea',
  summary: 'A polite tea.',
  goal: 'Get a second cup.',
  characters: [{ id: 'host', name: 'Ada', persona: 'A gracious host.' }],
};

describe('guided dialogues', () => {
  let world: ReturnType<typeof dialogueWorld>;
  let roomId: string;

  beforeEach(async () => {
    world = dialogueWorld();
    await world.connections.saveConnection({ connectionId: 'c-alice', ...alice, connectedAt: '' }, []);
    await world.connections.saveConnection({ connectionId: 'c-bob', ...bob, connectedAt: '' }, []);
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Talks', visibility: 'public', mode: 'dialogue' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId });
    world.gateway.posts.length = 0;
  });

  const start = (scenarioId = 'rent-negotiation', who = bob) => startDialogue(world.deps, who, { roomId, scenarioId });
  const turn = (dialogueId: string, fields: { text?: string; optionId?: string; clientTurnId?: string }, who = bob) =>
    takeDialogueTurn(world.deps, who, { roomId, dialogueId, clientTurnId: fields.clientTurnId ?? 't-1', ...fields });
  const work = async (model: ScriptedModel) => {
    const deps = { ...world.deps, model, modelId: 'test-model' };
    const outcomes = [];
    for (let jobs = world.jobs.take(); jobs.length > 0; jobs = world.jobs.take()) {
      for (const job of jobs as DialogueJob[]) {
        outcomes.push(job.kind === 'dialogueTurn' ? await answerTurn(deps, job) : await resolveDialogue(deps, job));
      }
    }
    return outcomes;
  };

  describe('listScenarios and uploadScenario', () => {
    it('lists the examples then the room’s own, after an owner uploads one', async () => {
      const uploaded = await uploadScenario(world.deps, alice, { roomId, scenario: gameRequestSchemas.uploadScenario.parse({ roomId, scenario: own }).scenario });
      const again = await uploadScenario(world.deps, alice, { roomId, scenario: { ...uploaded.scenario, ...gameRequestSchemas.uploadScenario.parse({ roomId, scenario: own }).scenario, title: 'Tea again' } });

      const { scenarios } = await listScenarios(world.deps, bob, { roomId });

      expect(uploaded).toMatchObject({ replaced: false, scenario: { id: 'tea-party', source: 'room' } });
      expect(again.replaced).toBe(true);
      expect(scenarios.map((s) => [s.id, s.source])).toEqual([
        ['rent-negotiation', 'example'],
        ['market-haggle', 'example'],
        ['harbour-council', 'example'],
        ['tea-party', 'room'],
      ]);
    });

    it('refuses a member, an example’s id, a scenario that does not hold together, and one too large', async () => {
      const parse = (scenario: ScenarioInput) => gameRequestSchemas.uploadScenario.parse({ roomId, scenario }).scenario;
      const big = parse({ ...own, characters: [1, 2, 3, 4].map((n) => ({ id: `c${n}`, name: `C${n}`, persona: 'p'.repeat(1000), traits: Array(8).fill('t'.repeat(40)) })) });
      const huge = { ...big, summary: 'x'.repeat(500), characters: [...big.characters, ...big.characters, ...big.characters, ...big.characters, ...big.characters, ...big.characters] };

      await expect(uploadScenario(world.deps, bob, { roomId, scenario: parse(own) })).rejects.toThrow(PermissionError);
      await expect(uploadScenario(world.deps, alice, { roomId, scenario: parse({ ...own, id: 'market-haggle' }) })).rejects.toThrow(/example scenarios/);
      await expect(uploadScenario(world.deps, alice, { roomId, scenario: parse({ ...own, opening: { characterId: 'nobody', text: 'Hi' } }) })).rejects.toThrow(ValidationError);
      await expect(uploadScenario(world.deps, alice, { roomId, scenario: huge })).rejects.toThrow(PayloadTooLargeError);
      expect(world.scenarios.uploads).toEqual([]);
    });
  });

  describe('startDialogue', () => {
    it('stores the dialogue, records it, and tells the room with the opening as turn 0', async () => {
      const { dialogue, opening } = await start();

      expect(dialogue).toMatchObject({ scenarioId: 'rent-negotiation', status: 'active', turn: 0, characters: [{ characterId: 'landlord', mood: -1, traits: ['practical', 'guarded'] }] });
      expect(dialogue.characters[0]).not.toHaveProperty('opinions');
      expect(opening.replies[0]!.text).toBe(exampleScenario('rent-negotiation')!.opening!.text);
      expect(world.dialogues.active.get(roomId)).toBe(dialogue.dialogueId);
      expect(world.audit.entries.at(-1)).toMatchObject({ action: 'dialogue.initiated', actor: { type: 'user', id: bob.userId }, target: { type: 'dialogue', id: dialogue.dialogueId }, details: { scenarioId: 'rent-negotiation' } });
      expect(world.gateway.framesFor('c-alice')).toEqual([expect.objectContaining({ type: 'dialogueStarted', roomId, opening })]);
    });

    it('refuses a second dialogue while one is active, and writes nothing', async () => {
      await start();
      const entries = world.audit.entries.length;

      await expect(start('market-haggle')).rejects.toThrow(ConflictError);
      expect(world.dialogues.dialogues.size).toBe(1);
      expect(world.audit.entries).toHaveLength(entries);
    });

    it('refuses an unknown scenario, a chat room, a guest and a non-member', async () => {
      const chatRoom = (await createRoom(world.roomDeps, alice, { name: 'Chat', visibility: 'public' })).room.roomId;
      await world.rooms.putMembership({ roomId, userId: carol.userId, displayName: 'Carol', role: 'guest', joinedAt: '' });

      await expect(start('no-such')).rejects.toThrow(NotFoundError);
      await expect(startDialogue(world.deps, alice, { roomId: chatRoom, scenarioId: 'rent-negotiation' })).rejects.toThrow(/chat room/);
      await expect(start('rent-negotiation', carol)).rejects.toThrow(/Guests/);
      await expect(startDialogue(world.deps, { userId: 'u-dan', displayName: 'Dan' }, { roomId, scenarioId: 'rent-negotiation' })).rejects.toThrow(PermissionError);
      expect(world.dialogues.dialogues.size).toBe(0);
    });

    it('starts from one of the room’s own scenarios', async () => {
      await uploadScenario(world.deps, alice, { roomId, scenario: gameRequestSchemas.uploadScenario.parse({ roomId, scenario: own }).scenario });

      const { dialogue } = await start('tea-party');

      expect(dialogue.title).toBe('Tea');
    });
  });

  describe('takeDialogueTurn and the answer', () => {
    it('queues the turn, then stores the characters’ answer, the new state and the options, and tells the room', async () => {
      const { dialogue } = await start();

      const ack = await turn(dialogue.dialogueId, { optionId: 'o1' });
      expect(ack).toEqual({ dialogueId: dialogue.dialogueId, turn: 1, duplicate: false });
      expect(world.dialogues.dialogues.get(dialogue.dialogueId)!.pendingTurn).toBe(1);
      world.gateway.posts.length = 0;

      const [outcome] = await work(new ScriptedModel([turnCall(warmer)]));

      expect(outcome).toMatchObject({ kind: 'answered', stateKept: false, failures: [] });
      const stored = world.dialogues.dialogues.get(dialogue.dialogueId)!;
      expect(stored).toMatchObject({ turn: 1, characters: [{ mood: 2, opinions: { tenant: 3 } }], options: [{ optionId: 'o1', text: 'Offer a five percent rise' }, { optionId: 'o2' }] });
      expect(stored.pendingTurn).toBeUndefined();
      const frame = world.gateway.framesFor('c-alice')[0] as { type: string; turn: { text: string; optionId: string; changes: unknown[]; replies: unknown[] } };
      expect(frame.type).toBe('dialogueProgressed');
      expect(frame.turn).toMatchObject({ optionId: 'o1', text: dialogue.options[0]!.text, replies: [{ name: 'Mr Okafor', text: 'Fine, I am listening.' }] });
      // Opinions are hidden in this scenario: the mood and trait changes show, the opinion's does not.
      expect(frame.turn.changes).toEqual([
        { characterId: 'landlord', field: 'mood', from: -1, to: 2 },
        { characterId: 'landlord', field: 'trait', key: 'softening', change: 'added' },
      ]);
      expect(world.audit.entries.at(-1)).toMatchObject({ action: 'dialogue.progressed', actor: { type: 'user', id: bob.userId }, details: { turn: 1, stateKept: false } });
    });

    it('asks the model with the dialogue_turn tool forced and its input schema', async () => {
      const { dialogue } = await start();
      await turn(dialogue.dialogueId, { text: 'Please, be fair.' });
      const model = new ScriptedModel([turnCall(warmer)]);

      await work(model);

      expect(model.requests[0]).toMatchObject({ modelId: 'test-model', toolChoice: { tool: 'dialogue_turn' }, tools: [{ name: 'dialogue_turn', inputSchema: { type: 'object' } }] });
      expect(model.requests[0]!.prompt.turns[0]!.text).toContain('"Please, be fair."');
    });

    it('asks once more after a malformed answer, then keeps the state and the options: the turn is never lost', async () => {
      const { dialogue } = await start();
      await turn(dialogue.dialogueId, { text: 'Hello.' });

      const [outcome] = await work(new ScriptedModel([chatter, turnCall({ replies: [], options: ['only one'] })]));

      expect(outcome).toMatchObject({ kind: 'answered', stateKept: true, failures: ['noToolCall', 'invalidInput'] });
      const stored = world.dialogues.dialogues.get(dialogue.dialogueId)!;
      expect(stored).toMatchObject({ turn: 1, characters: dialogue.characters.map((c) => expect.objectContaining({ mood: c.mood })), options: dialogue.options });
      expect(world.dialogues.turns.get(`${dialogue.dialogueId}|1`)).toMatchObject({ stateKept: true, replies: [], text: 'Hello.' });
      expect(world.audit.entries.at(-1)).toMatchObject({ action: 'dialogue.progressed', details: { stateKept: true } });
    });

    it('uses a retried answer, and survives a model that fails outright', async () => {
      const { dialogue } = await start();
      await turn(dialogue.dialogueId, { text: 'Hello.' });

      const [outcome] = await work(new ScriptedModel([new Error('throttled'), turnCall(warmer)]));

      expect(outcome).toMatchObject({ kind: 'answered', stateKept: false, failures: ['modelError'] });
    });

    it('answers a job delivered twice once', async () => {
      const { dialogue } = await start();
      await turn(dialogue.dialogueId, { text: 'Hello.' });
      const [job] = world.jobs.jobs;
      world.jobs.jobs.push(job!);
      const model = new ScriptedModel([turnCall(warmer), turnCall(warmer)]);

      const outcomes = await work(model);

      expect(outcomes.map((o) => o.kind)).toEqual(['answered', 'skipped']);
      expect(model.requests).toHaveLength(1);
      expect(world.audit.entries.filter((e) => e.action === 'dialogue.progressed')).toHaveLength(1);
    });

    it('refuses a turn while the characters answer, an option not offered, and a turn with neither option nor text', async () => {
      const { dialogue } = await start();

      await expect(turn(dialogue.dialogueId, {})).rejects.toThrow(/optionId.*text/);
      await expect(turn(dialogue.dialogueId, { optionId: 'o9' })).rejects.toThrow(/not one of the options/);
      await turn(dialogue.dialogueId, { text: 'First.' });
      await expect(turn(dialogue.dialogueId, { text: 'Second.', clientTurnId: 't-2' })).rejects.toThrow(/still answering/);
      expect(world.jobs.jobs).toHaveLength(1);
    });

    it('returns the same turn for a retried request, and queues its answer again', async () => {
      const { dialogue } = await start();
      await turn(dialogue.dialogueId, { text: 'Hello.' });

      const again = await turn(dialogue.dialogueId, { text: 'Hello.' });

      expect(again).toEqual({ dialogueId: dialogue.dialogueId, turn: 1, duplicate: true });
      expect(world.jobs.jobs.map((j) => j.kind)).toEqual(['dialogueTurn', 'dialogueTurn']);
    });

    it('queues the resolution when the model says the goal is reached', async () => {
      const { dialogue } = await start();
      await turn(dialogue.dialogueId, { text: 'Eight percent, and I fix the gutter myself.' });

      const outcomes = await work(new ScriptedModel([turnCall({ ...warmer, goalReached: true }), resolutionCall({ result: 'success', summary: 'They agreed on eight percent.' })]));

      expect(outcomes.map((o) => o.kind)).toEqual(['answered', 'resolved']);
      expect(world.dialogues.dialogues.get(dialogue.dialogueId)!.outcome).toMatchObject({ result: 'success', goalReached: true, reason: 'goal', turns: 1, summary: 'They agreed on eight percent.' });
    });
  });

  describe('endDialogue and the resolution', () => {
    it('resolves with the model’s outcome, frees the room, records it and tells the room with the whole final state', async () => {
      const { dialogue } = await start();
      await turn(dialogue.dialogueId, { text: 'Hello.' });
      await work(new ScriptedModel([turnCall(warmer)]));
      world.gateway.posts.length = 0;

      expect(await endDialogue(world.deps, alice, { roomId, dialogueId: dialogue.dialogueId })).toEqual({ dialogueId: dialogue.dialogueId, resolving: 'requested' });
      await expect(turn(dialogue.dialogueId, { text: 'Wait!', clientTurnId: 't-2' })).rejects.toThrow(/ending/);
      const [outcome] = await work(new ScriptedModel([resolutionCall({ result: 'partial', summary: 'Mr Okafor softened but nothing was agreed.' })]));

      expect(outcome).toMatchObject({ kind: 'resolved', fallback: false });
      expect(world.dialogues.active.has(roomId)).toBe(false);
      const frame = world.gateway.framesFor('c-bob')[0] as { type: string; outcome: { finalState: unknown[] }; dialogue: { characters: unknown[] } };
      expect(frame).toMatchObject({ type: 'dialogueResolved', outcome: { result: 'partial', reason: 'requested', goalReached: false, turns: 1 } });
      expect(frame.outcome.finalState).toEqual([expect.objectContaining({ opinions: expect.objectContaining({ tenant: 3 }) })]);
      expect(frame.dialogue.characters[0]).toHaveProperty('opinions');
      expect(world.audit.entries.at(-1)).toMatchObject({ action: 'dialogue.resolved', actor: { type: 'system', id: 'dialogue' }, details: { result: 'partial', reason: 'requested', turns: 1 } });
      // The room is free for the next one.
      await expect(start('market-haggle')).resolves.toBeDefined();
    });

    it('writes the fallback outcome when the model fails twice, and resolves once for a job delivered twice', async () => {
      const { dialogue } = await start();
      await endDialogue(world.deps, bob, { roomId, dialogueId: dialogue.dialogueId });
      world.jobs.jobs.push(world.jobs.jobs[0]!);

      const outcomes = await work(new ScriptedModel([chatter, resolutionCall({ result: 'maybe', summary: '' })]));

      expect(outcomes).toMatchObject([{ kind: 'resolved', fallback: true, failures: ['noToolCall', 'invalidInput'] }, { kind: 'skipped', why: 'resolved' }]);
      expect(world.dialogues.dialogues.get(dialogue.dialogueId)!.outcome).toMatchObject({ result: 'failure', summary: expect.stringContaining('the player ended it') });
      expect(world.audit.entries.filter((e) => e.action === 'dialogue.resolved')).toHaveLength(1);
    });

    it('refuses to end while the characters answer, and a dialogue that has ended', async () => {
      const { dialogue } = await start();
      await turn(dialogue.dialogueId, { text: 'Hello.' });

      await expect(endDialogue(world.deps, bob, { roomId, dialogueId: dialogue.dialogueId })).rejects.toThrow(/still answering/);
      await work(new ScriptedModel([turnCall(warmer)]));
      await endDialogue(world.deps, bob, { roomId, dialogueId: dialogue.dialogueId });
      await work(new ScriptedModel([]));
      await expect(endDialogue(world.deps, bob, { roomId, dialogueId: dialogue.dialogueId })).rejects.toThrow(/ended already/);
    });
  });

  describe('getDialogue', () => {
    it('returns the active dialogue with its turns, hidden changes left out, then the resolved one with everything', async () => {
      const { dialogue } = await start();
      await turn(dialogue.dialogueId, { text: 'Hello.' });
      await work(new ScriptedModel([turnCall(warmer)]));

      const active = await getDialogue(world.deps, alice, { roomId });
      await endDialogue(world.deps, bob, { roomId, dialogueId: dialogue.dialogueId });
      await work(new ScriptedModel([resolutionCall({ result: 'success', summary: 'Done.' })]));
      const resolved = await getDialogue(world.deps, alice, { roomId, dialogueId: dialogue.dialogueId });

      expect(active.turns.map((t) => t.turn)).toEqual([0, 1]);
      expect(active.turns[1]).not.toHaveProperty('clientTurnId');
      expect(active.turns[1]!.changes.map((c) => c.field)).toEqual(['mood', 'trait']);
      expect(resolved.dialogue).toMatchObject({ status: 'resolved', outcome: { summary: 'Done.' } });
      expect(resolved.turns[1]!.changes.map((c) => c.field)).toEqual(['mood', 'opinion', 'trait']);
      // Without an id: the latest, resolved here.
      expect((await getDialogue(world.deps, alice, { roomId })).dialogue.status).toBe('resolved');
      const other = (await createRoom(world.roomDeps, alice, { name: 'Quiet', visibility: 'public', mode: 'dialogue' })).room.roomId;
      await expect(getDialogue(world.deps, alice, { roomId: other })).rejects.toThrow(/no dialogue yet/);
    });
  });
});

describe('uploadScenario’s limit', () => {
  it('refuses a new scenario in a full room but replaces one of its own', async () => {
    const world = dialogueWorld();
    const roomId = (await createRoom(world.roomDeps, alice, { name: 'Talks', visibility: 'public', mode: 'dialogue' })).room.roomId;
    const parse = (id: string) => gameRequestSchemas.uploadScenario.parse({ roomId, scenario: { ...own, id } }).scenario;
    for (let n = 0; n < MAX_ROOM_SCENARIOS; n += 1) await uploadScenario(world.deps, alice, { roomId, scenario: parse(`s${n}`) });

    await expect(uploadScenario(world.deps, alice, { roomId, scenario: parse('one-more') })).rejects.toThrow(ConflictError);
    await expect(uploadScenario(world.deps, alice, { roomId, scenario: parse('s3') })).resolves.toMatchObject({ replaced: true });
  });
});

describe('endDialogue with an answer that never came', () => {
  it('ends a dialogue whose pending turn has waited ABANDONED_TURN_MS, and not before', async () => {
    const world = dialogueWorld();
    const roomId = (await createRoom(world.roomDeps, alice, { name: 'Talks', visibility: 'public', mode: 'dialogue' })).room.roomId;
    const { dialogue } = await startDialogue(world.deps, alice, { roomId, scenarioId: 'rent-negotiation' });
    await takeDialogueTurn(world.deps, alice, { roomId, dialogueId: dialogue.dialogueId, clientTurnId: 't1', text: 'Hello.' });
    world.jobs.take();

    world.clock.advance(ABANDONED_TURN_MS - 1);
    await expect(endDialogue(world.deps, alice, { roomId, dialogueId: dialogue.dialogueId })).rejects.toThrow(/still answering/);
    world.clock.advance(1);
    const ended = await endDialogue(world.deps, alice, { roomId, dialogueId: dialogue.dialogueId });
    const model = new ScriptedModel([resolutionCall({ result: 'failure', summary: 'Nothing came of it.' })]);
    const [job] = world.jobs.take();
    const outcome = await resolveDialogue({ ...world.deps, model, modelId: 'm' }, job as Extract<DialogueJob, { kind: 'dialogueResolve' }>);

    expect(ended.resolving).toBe('requested');
    expect(outcome).toMatchObject({ kind: 'resolved' });
    expect(world.dialogues.dialogues.get(dialogue.dialogueId)).not.toHaveProperty('pendingTurn');
    expect(world.dialogues.active.has(roomId)).toBe(false);
  });
});

describe('the frames a dialogue sends', () => {
  it('match the published frame schemas and never carry a client’s turn id', async () => {
    const world = dialogueWorld();
    await world.connections.saveConnection({ connectionId: 'c-alice', ...alice, connectedAt: '' }, []);
    const roomId = (await createRoom(world.roomDeps, alice, { name: 'Talks', visibility: 'public', mode: 'dialogue' })).room.roomId;
    world.gateway.posts.length = 0;
    const { dialogue } = await startDialogue(world.deps, alice, { roomId, scenarioId: 'harbour-council' });
    await takeDialogueTurn(world.deps, alice, { roomId, dialogueId: dialogue.dialogueId, clientTurnId: 'secret-turn-id', optionId: 'o2' });
    const deps = { ...world.deps, modelId: 'm' };
    const [turnJob] = world.jobs.take();
    await answerTurn({ ...deps, model: new ScriptedModel([turnCall({ replies: [{ characterId: 'elder', text: 'Aye.' }], changes: [{ characterId: 'elder', mood: 4, opinions: { marina: -4 } }], options: ['a', 'b'] })]) }, turnJob as Extract<DialogueJob, { kind: 'dialogueTurn' }>);
    await endDialogue(world.deps, alice, { roomId, dialogueId: dialogue.dialogueId });
    const [resolveJob] = world.jobs.take();
    await resolveDialogue({ ...deps, model: new ScriptedModel([resolutionCall({ result: 'partial', summary: 'Brann warmed.' })]) }, resolveJob as Extract<DialogueJob, { kind: 'dialogueResolve' }>);

    const frames = world.gateway.framesFor('c-alice');

    expect(frames.map((f) => (f as { type: string }).type)).toEqual(['dialogueStarted', 'dialogueProgressed', 'dialogueResolved']);
    for (const frame of frames) expect(z.safeParse(frameSchema, frame).success).toBe(true);
    expect(JSON.stringify(frames)).not.toContain('secret-turn-id');
    // The council hides opinions until the end.
    expect(JSON.stringify(frames[1])).not.toContain('"opinions"');
    expect((frames[2] as { dialogue: { characters: Array<{ opinions?: unknown }> } }).dialogue.characters[2]!.opinions).toEqual({ marina: -4, 'fishing-boats': 4 });
  });
});
