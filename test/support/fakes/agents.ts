import type { AuditEntry, AuditLog } from '../../../lambdas/domain/audit';
import { completeSettings, agentSettingsSchema, type AgentConfig, type AgentSettingsInput } from '../../../lambdas/domain/agents/config';
import { ModelUnavailableError } from '../../../lambdas/domain/agents/errors';
import type { AgentJob } from '../../../lambdas/domain/agents/job';
import type { RecalledMemory, RoomMemory } from '../../../lambdas/domain/agents/memory';
import type {
  AgentJobQueue,
  AgentMessageStore,
  AgentRepository,
  AmbientFloor,
  ModelClient,
  ModelEvent,
  ModelRequest,
  FeedDelivery,
  ModelCircuitStore,
  RoomFeed,
  StoredCircuit,
  StoredReply,
  TokenLedger,
} from '../../../lambdas/domain/agents/ports';
import type { AgentMessage } from '../../../lambdas/domain/agents/reply';
import { CLOSED, type CircuitState } from '../../../lambdas/domain/agents/circuit-breaker';
import { REGENERATION_CLAIM_MS, type LiveReply, type LiveReplyStore, type RegenerationClaim } from '../../../lambdas/domain/agents/live-reply';
import { attemptSuffix } from '../../../lambdas/domain/agents/job';
import type { AgentFrame } from '../../../lambdas/domain/agents/protocol';
import type { HistoryEntry } from '../../../lambdas/domain/agents/prompt';
import { ConflictError, NotFoundError } from '../../../lambdas/domain/errors';
import { agentCursor } from '../../../lambdas/domain/cursors';
import type { PageQuery } from '../../../lambdas/domain/ports';
import { pageOf } from './chat';

/** An agent with defaults, as a room manager would have added it. */
export function agentOf(settings: AgentSettingsInput, roomId = 'r1'): AgentConfig {
  return {
    ...completeSettings(agentSettingsSchema.parse(settings)),
    roomId,
    createdBy: 'u-alice',
    createdAt: '2026-11-21T12:00:00.000Z',
    updatedAt: '2026-11-21T12:00:00.000Z',
  };
}

export class FakeAgents implements AgentRepository {
  readonly agents = new Map<string, AgentConfig>();
  private key = (roomId: string, handle: string) => `${roomId}|${handle}`;

  constructor(...agents: AgentConfig[]) {
    for (const agent of agents) this.agents.set(this.key(agent.roomId, agent.handle), agent);
  }
  async createAgent(agent: AgentConfig) {
    if (this.agents.has(this.key(agent.roomId, agent.handle))) throw new ConflictError('taken');
    this.agents.set(this.key(agent.roomId, agent.handle), agent);
  }
  async replaceAgent(agent: AgentConfig) {
    if (!this.agents.has(this.key(agent.roomId, agent.handle))) throw new NotFoundError('none');
    this.agents.set(this.key(agent.roomId, agent.handle), agent);
  }
  async getAgent(roomId: string, handle: string) {
    return this.agents.get(this.key(roomId, handle));
  }
  async listAgents(roomId: string) {
    return [...this.agents.values()].filter((a) => a.roomId === roomId);
  }
  async pageAgents(roomId: string, page: PageQuery) {
    return pageOf(await this.listAgents(roomId), agentCursor, page);
  }
  async deleteAgent(roomId: string, handle: string) {
    return this.agents.delete(this.key(roomId, handle));
  }
}

export class FakeAgentMessages implements AgentMessageStore {
  readonly history: HistoryEntry[] = [];
  readonly saved: AgentMessage[] = [];
  readonly replied = new Set<string>();
  /** The expiry each stored reply was given, by message id. */
  readonly expiries = new Map<string, number | undefined>();

  async recentMessages(_roomId: string, upToMessageId: string, limit: number) {
    const upTo = this.history.filter((m) => m.messageId <= upToMessageId);
    return upTo.slice(-limit);
  }
  async hasReplied(roomId: string, handle: string, triggerMessageId: string, attempt = 1) {
    return this.replied.has(`${roomId}|${handle}|${triggerMessageId}${attemptSuffix(attempt)}`);
  }
  async saveReply(message: AgentMessage, expiresAt?: number) {
    const key = `${message.roomId}|${message.agent.handle}|${message.agent.triggerMessageId}${attemptSuffix(message.agent.attempt)}`;
    if (this.replied.has(key)) return false;
    this.replied.add(key);
    this.saved.push(message);
    this.expiries.set(message.messageId, expiresAt);
    return true;
  }
  async storedReply(roomId: string, handle: string, triggerMessageId: string, attempt = 1): Promise<StoredReply | undefined> {
    const reply = this.saved.find(
      (m) =>
        m.roomId === roomId &&
        m.agent.handle === handle &&
        m.agent.triggerMessageId === triggerMessageId &&
        (m.agent.attempt ?? 1) === attempt,
    );
    return reply && { messageId: reply.messageId, createdAt: reply.createdAt, agent: reply.agent };
  }
  async replyById(roomId: string, messageId: string): Promise<StoredReply | undefined> {
    const reply = this.saved.find((m) => m.roomId === roomId && m.messageId === messageId);
    return reply && { messageId: reply.messageId, createdAt: reply.createdAt, agent: reply.agent };
  }
}

/** Keeps one entry per (room, idempotency key), like the DynamoDB audit log; can fail its next writes. */
export class FakeAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  failures = 0;
  async record(entry: AuditEntry) {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('audit table unavailable');
    }
    if (this.entries.some((e) => e.roomId === entry.roomId && e.idempotencyKey === entry.idempotencyKey)) return;
    this.entries.push(entry);
  }
}

export class FakeLedger implements TokenLedger {
  readonly usage = new Map<string, number>();
  readonly notices = new Set<string>();
  async used(roomId: string, handle: string, day: string) {
    return this.usage.get(`${roomId}|${handle}|${day}`) ?? 0;
  }
  async add(roomId: string, handle: string, day: string, tokens: number) {
    const key = `${roomId}|${handle}|${day}`;
    this.usage.set(key, (this.usage.get(key) ?? 0) + tokens);
  }
  async claimBudgetNotice(roomId: string, handle: string, day: string) {
    const key = `${roomId}|${handle}|${day}`;
    if (this.notices.has(key)) return false;
    this.notices.add(key);
    return true;
  }
}

export class FakeFloor implements AmbientFloor {
  holder?: { handle: string; messageId: string; untilMs: number };
  async tryTake(_roomId: string, claim: { handle: string; messageId: string; nowMs: number; untilMs: number }) {
    const h = this.holder;
    if (h && h.untilMs > claim.nowMs && !(h.handle === claim.handle && h.messageId === claim.messageId)) return false;
    this.holder = { handle: claim.handle, messageId: claim.messageId, untilMs: claim.untilMs };
    return true;
  }
}

export class FakeJobQueue implements AgentJobQueue {
  readonly enqueued: AgentJob[] = [];
  readonly dead: Array<{ job: AgentJob; failure: { reason: string; error: string; attempts: number } }> = [];
  async enqueue(jobs: readonly AgentJob[]) {
    this.enqueued.push(...jobs);
  }
  async deadLetter(job: AgentJob, failure: { reason: string; error: string; attempts: number }) {
    this.dead.push({ job, failure });
  }
}

/** Records frames; each publish posts once per connection in the room, each delivered. */
export class FakeFeed implements RoomFeed {
  readonly frames: Array<{ roomId: string; frame: AgentFrame }> = [];
  private readonly waiters: Array<{ matches: (frame: AgentFrame) => boolean; resolve: () => void }> = [];
  /** `sharded`: the room is above the fan-out threshold, so frames are handed to the workers, not posted. */
  constructor(
    public connections = 3,
    public sharded = false,
  ) {}
  async publish(roomId: string, frame: AgentFrame): Promise<FeedDelivery> {
    this.frames.push({ roomId, frame });
    for (const waiter of this.waiters.filter((w) => w.matches(frame))) waiter.resolve();
    if (this.sharded) return { recipients: 0, delivered: 0, gone: 0, failed: 0, failures: [], sharded: this.connections };
    return { recipients: this.connections, delivered: this.connections, gone: 0, failed: 0, failures: [] };
  }
  /** Resolves once a frame matching `matches` has been published. */
  published(matches: (frame: AgentFrame) => boolean): Promise<void> {
    if (this.frames.some((f) => matches(f.frame))) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ matches, resolve }));
  }
  ofType<T extends AgentFrame['type']>(type: T): Array<Extract<AgentFrame, { type: T }>> {
    return this.frames.map((f) => f.frame).filter((f): f is Extract<AgentFrame, { type: T }> => f.type === type);
  }
}

export class FakeMemory implements RoomMemory {
  readonly calls: Array<{ roomId: string; query: string; k: number; exclude: string[]; excludeSenders: string[]; now?: number }> = [];
  constructor(private readonly result: RecalledMemory = { passages: [] }) {}
  async recall(
    roomId: string,
    query: string,
    options: { k: number; excludeMessageIds: ReadonlySet<string>; excludeSenderIds?: ReadonlySet<string>; now?: number },
  ) {
    this.calls.push({
      roomId,
      query,
      k: options.k,
      exclude: [...options.excludeMessageIds],
      excludeSenders: [...(options.excludeSenderIds ?? [])],
      ...(options.now !== undefined ? { now: options.now } : {}),
    });
    return this.result;
  }
}

export type ScriptStep =
  | { delta: string; afterMs?: number }
  | { fail: Error }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | { done: { inputTokens: number; outputTokens: number }; stopReason?: string };

/**
 * A model that plays scripts, one per call: deltas (advancing a fake clock
 * by `afterMs` before each), a failure, or the end with usage. A call with
 * no script left throws `whenOutOfScripts`.
 */
export class ScriptedModel implements ModelClient {
  readonly requests: ModelRequest[] = [];
  constructor(
    private readonly scripts: Array<ScriptStep[] | Error>,
    private readonly advance: (ms: number) => void = () => undefined,
  ) {}
  async *stream(request: ModelRequest): AsyncGenerator<ModelEvent> {
    this.requests.push(request);
    const script = this.scripts.shift() ?? new ModelUnavailableError('no script', true, 'ThrottlingException');
    if (script instanceof Error) throw script;
    for (const step of script) {
      if ('delta' in step) {
        this.advance(step.afterMs ?? 0);
        yield { type: 'delta', text: step.delta };
      } else if ('fail' in step) throw step.fail;
      else if ('toolUse' in step) yield { type: 'toolUse', ...step.toolUse };
      else yield { type: 'done', stopReason: step.stopReason ?? 'end_turn', usage: step.done };
    }
  }
}

/** When history entries are sent unless a test says otherwise. */
export const HISTORY_TIME = '2026-12-06T14:03:00.000Z';

export const human = (messageId: string, senderName: string, text: string, createdAt = HISTORY_TIME): HistoryEntry => ({
  messageId,
  senderId: `u-${senderName.toLowerCase()}`,
  senderName,
  senderType: 'human',
  text,
  createdAt,
});

export const byAgent = (
  messageId: string,
  handle: string,
  senderName: string,
  text: string,
  createdAt = HISTORY_TIME,
): HistoryEntry => ({
  messageId,
  senderId: `agent:${handle}`,
  senderName,
  senderType: 'agent',
  agentHandle: handle,
  text,
  createdAt,
});

/** Streaming replies in memory; `stopAfterChecks` asks a reply to stop once it has been checked that often. */
export class FakeLiveReplies implements LiveReplyStore {
  readonly replies = new Map<string, LiveReply>();
  /** Claimed regenerations: `room|handle|trigger|attempt` to when the claim expires. */
  readonly regenerations = new Map<string, number>();
  private claimKey = (c: Omit<RegenerationClaim, 'requestedBy'>) => `${c.roomId}|${c.handle}|${c.triggerMessageId}|${c.attempt}`;
  async claimRegeneration(claim: RegenerationClaim, nowMs: number) {
    const until = this.regenerations.get(this.claimKey(claim));
    if (until !== undefined && until > nowMs) return false;
    this.regenerations.set(this.claimKey(claim), nowMs + REGENERATION_CLAIM_MS);
    return true;
  }
  async releaseRegeneration(claim: Omit<RegenerationClaim, 'requestedBy'>) {
    this.regenerations.delete(this.claimKey(claim));
  }
  checks = 0;
  stopAfterChecks: number | undefined;
  private key = (roomId: string, replyId: string) => `${roomId}|${replyId}`;
  async start(reply: Omit<LiveReply, 'done' | 'stopRequestedBy'>) {
    this.replies.set(this.key(reply.roomId, reply.replyId), { ...reply, done: false });
  }
  async get(roomId: string, replyId: string) {
    return this.replies.get(this.key(roomId, replyId));
  }
  async requestStop(roomId: string, replyId: string, userId: string) {
    const reply = this.replies.get(this.key(roomId, replyId));
    if (reply === undefined || reply.done) return false;
    this.replies.set(this.key(roomId, replyId), { ...reply, stopRequestedBy: reply.stopRequestedBy ?? userId });
    return true;
  }
  async stopRequested(roomId: string, replyId: string) {
    this.checks += 1;
    if (this.stopAfterChecks !== undefined && this.checks >= this.stopAfterChecks) await this.requestStop(roomId, replyId, 'u-alice');
    return this.replies.get(this.key(roomId, replyId))?.stopRequestedBy !== undefined;
  }
  async finish(roomId: string, replyId: string) {
    const reply = this.replies.get(this.key(roomId, replyId));
    if (reply) this.replies.set(this.key(roomId, replyId), { ...reply, done: true });
  }
}

/**
 * Circuits by model with versions, written only at the version read, like
 * the DynamoDB store. `beforeWrite` runs before each write is checked: a
 * test makes another worker write first there.
 */
export class FakeCircuitStore implements ModelCircuitStore {
  readonly circuits = new Map<string, StoredCircuit>();
  reads = 0;
  writes = 0;
  beforeWrite?: (modelId: string) => void;
  async read(modelId: string): Promise<StoredCircuit> {
    this.reads += 1;
    return this.circuits.get(modelId) ?? { circuit: CLOSED, version: 0 };
  }
  async write(modelId: string, next: CircuitState, expected: StoredCircuit): Promise<boolean> {
    const hook = this.beforeWrite;
    this.beforeWrite = undefined;
    hook?.(modelId);
    if ((this.circuits.get(modelId)?.version ?? 0) !== expected.version) return false;
    this.writes += 1;
    this.circuits.set(modelId, { circuit: next, version: expected.version + 1 });
    return true;
  }
  /** Sets a model's circuit as another worker would have written it. */
  set(modelId: string, circuit: CircuitState): void {
    this.circuits.set(modelId, { circuit, version: (this.circuits.get(modelId)?.version ?? 0) + 1 });
  }
  stateOf(modelId: string): CircuitState['state'] {
    return (this.circuits.get(modelId)?.circuit ?? CLOSED).state;
  }
}
