import { ConflictError } from '../../../lambdas/domain/errors';
import type { Dialogue, DialogueOutcome, DialogueTurn, ResolutionReason, Scenario } from '../../../lambdas/domain/games/dialogue';
import type {
  AnsweredTurn,
  BeginTurnResult,
  DialogueJobQueue,
  DialogueStore,
  PlayerTurn,
  ScenarioStore,
  StoredTurn,
} from '../../../lambdas/domain/games/dialogue-ports';
import type { DialogueJob } from '../../../lambdas/domain/games/jobs';
import type { DialogueDeps } from '../../../lambdas/use-cases/games/dialogue/dialogue-deps';
import { fakeWorld } from './chat';

/** Dialogues, their turns and the rooms' active markers in memory, with the adapter's conditions. */
export class FakeDialogueStore implements DialogueStore {
  readonly dialogues = new Map<string, Dialogue>();
  readonly active = new Map<string, string>();
  readonly turns = new Map<string, StoredTurn>();

  private turnKey = (dialogueId: string, turn: number) => `${dialogueId}|${turn}`;

  async getDialogue(roomId: string, dialogueId: string) {
    const dialogue = this.dialogues.get(dialogueId);
    return dialogue?.roomId === roomId ? dialogue : undefined;
  }
  async activeDialogueId(roomId: string) {
    return this.active.get(roomId);
  }
  async latestDialogueId(roomId: string) {
    return [...this.dialogues.values()].filter((d) => d.roomId === roomId).map((d) => d.dialogueId).sort().at(-1);
  }
  async startDialogue(dialogue: Dialogue, opening: DialogueTurn) {
    if (this.active.has(dialogue.roomId)) throw new ConflictError('A dialogue is already going on in this room.');
    this.active.set(dialogue.roomId, dialogue.dialogueId);
    this.dialogues.set(dialogue.dialogueId, dialogue);
    this.turns.set(this.turnKey(dialogue.dialogueId, 0), opening);
  }
  async beginTurn(roomId: string, turn: PlayerTurn): Promise<BeginTurnResult> {
    const dialogue = await this.getDialogue(roomId, turn.dialogueId);
    if (!dialogue || dialogue.status !== 'active' || dialogue.resolving !== undefined) return 'closed';
    if (dialogue.pendingTurn !== undefined || dialogue.turn !== turn.turn - 1) return 'busy';
    const { clientTurnId, ...rest } = turn;
    this.turns.set(this.turnKey(turn.dialogueId, turn.turn), { ...rest, clientTurnId, replies: [], changes: [] });
    this.dialogues.set(dialogue.dialogueId, { ...dialogue, pendingTurn: turn.turn });
    return 'begun';
  }
  async getTurn(dialogueId: string, turn: number) {
    return this.turns.get(this.turnKey(dialogueId, turn));
  }
  async recentTurns(dialogueId: string, limit: number) {
    return [...this.turns.values()]
      .filter((t) => t.dialogueId === dialogueId)
      .sort((a, b) => a.turn - b.turn)
      .slice(-limit);
  }
  async completeTurn(roomId: string, answered: AnsweredTurn) {
    const dialogue = await this.getDialogue(roomId, answered.turn.dialogueId);
    if (!dialogue || dialogue.pendingTurn !== answered.turn.turn) return false;
    const stored = this.turns.get(this.turnKey(dialogue.dialogueId, answered.turn.turn));
    this.turns.set(this.turnKey(dialogue.dialogueId, answered.turn.turn), {
      ...answered.turn,
      ...(stored?.clientTurnId ? { clientTurnId: stored.clientTurnId } : {}),
    });
    const { pendingTurn: _pending, ...rest } = dialogue;
    this.dialogues.set(dialogue.dialogueId, {
      ...rest,
      turn: answered.turn.turn,
      characters: answered.characters,
      options: answered.options,
      ...(answered.resolving ? { resolving: answered.resolving } : {}),
    });
    return true;
  }
  async requestResolution(roomId: string, dialogueId: string, reason: ResolutionReason, options: { abandonPending?: boolean } = {}) {
    const dialogue = await this.getDialogue(roomId, dialogueId);
    if (!dialogue || dialogue.status !== 'active' || dialogue.resolving !== undefined) return false;
    if (dialogue.pendingTurn !== undefined && !options.abandonPending) return false;
    this.dialogues.set(dialogueId, { ...dialogue, resolving: reason });
    return true;
  }
  async resolve(roomId: string, dialogueId: string, outcome: DialogueOutcome) {
    const dialogue = await this.getDialogue(roomId, dialogueId);
    if (!dialogue || dialogue.status !== 'active') return false;
    const { resolving: _resolving, pendingTurn: _pending, ...rest } = dialogue;
    this.dialogues.set(dialogueId, { ...rest, status: 'resolved', options: [], outcome });
    if (this.active.get(roomId) === dialogueId) this.active.delete(roomId);
    return true;
  }
}

export class FakeScenarioStore implements ScenarioStore {
  readonly scenarios = new Map<string, Scenario>();
  readonly uploads: Array<{ roomId: string; scenarioId: string; uploadedBy: string }> = [];
  async listScenarios(roomId: string) {
    return [...this.scenarios.entries()].filter(([key]) => key.startsWith(`${roomId}|`)).map(([, s]) => s);
  }
  async getScenario(roomId: string, scenarioId: string) {
    return this.scenarios.get(`${roomId}|${scenarioId}`);
  }
  async putScenario(roomId: string, scenario: Scenario, uploadedBy: string) {
    const replaced = this.scenarios.has(`${roomId}|${scenario.id}`);
    this.scenarios.set(`${roomId}|${scenario.id}`, scenario);
    this.uploads.push({ roomId, scenarioId: scenario.id, uploadedBy });
    return replaced;
  }
}

/** Records the jobs; `failNext` makes the next enqueue throw, as a refused SendMessage does. */
export class FakeDialogueJobs implements DialogueJobQueue {
  readonly jobs: DialogueJob[] = [];
  failNext = false;
  async enqueue(job: DialogueJob) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('queue unavailable');
    }
    this.jobs.push(job);
  }
  take(): DialogueJob[] {
    return this.jobs.splice(0);
  }
}

/** The chat fakes plus the dialogue stores, wired as the dialogue handler wires its adapters. */
export function dialogueWorld() {
  const world = fakeWorld();
  const dialogues = new FakeDialogueStore();
  const scenarios = new FakeScenarioStore();
  const jobs = new FakeDialogueJobs();
  const deps: DialogueDeps = {
    rooms: world.rooms,
    connections: world.connections,
    gateway: world.gateway,
    clock: world.clock,
    nextId: world.nextId,
    audit: world.audit,
    dialogues,
    scenarios,
    jobs,
  };
  return { ...world, dialogues, scenarios, jobs, deps };
}
