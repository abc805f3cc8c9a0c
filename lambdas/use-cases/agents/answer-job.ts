import type { AuditDetails, AuditLog } from '../../domain/audit';
import type { Clock } from '../../domain/ports';
import { budgetDay, checkBudget } from '../../domain/agents/budget';
import type { CoalescerOptions } from '../../domain/agents/coalescer';
import { agentRef, agentSenderId, type AgentConfig } from '../../domain/agents/config';
import { ModelStreamError, ModelUnavailableError } from '../../domain/agents/errors';
import { attemptSuffix, type AgentJob } from '../../domain/agents/job';
import type { AgentNoticeCode } from '../../domain/agents/protocol';
import type { LiveReplyStore } from '../../domain/agents/live-reply';
import type { RoomMemory, RecalledMemory } from '../../domain/agents/memory';
import type {
  AgentJobQueue,
  AgentMessageStore,
  AgentRepository,
  ModelClient,
  ModelUsage,
  RoomFeed,
  StoredReply,
  TokenLedger,
} from '../../domain/agents/ports';
import type { AgentMessage } from '../../domain/agents/reply';
import { buildPrompt, estimateTokens, type Prompt } from '../../domain/agents/prompt';
import { recallExcludedSenders, recallQuery } from '../../domain/agents/recall-query';
import { backoffDelay } from '../../domain/agents/retry';
import { CIRCUIT_OPEN, isModelFailure } from '../../domain/agents/circuit-breaker';
import { expiresAtOf } from '../../domain/retention/policy';
import { isBlank } from '../../domain/text';
import type { RetentionLookup } from '../../domain/retention/ports';
import { STOPPED, streamReply, type StreamProgress } from './stream-reply';
import type { DocumentSearch } from '../../domain/knowledge/indexing';
import { citedIn } from '../../domain/knowledge/citations';
import { TOOL_LIMITS, TOOL_STATUS, isToolName, type ToolName, type ToolRound, type ToolUse } from '../../domain/agents/tools';
import { TOOL_USE_STOP } from '../../domain/agents/ports';
import { limitReached, offeredTools, runTool, type ToolCallReport, type ToolContext } from './run-tools';
import { admitModelCall, recordModelFailure, recordModelSuccess, type CircuitTicket, type ModelCircuitDeps } from './model-circuit';

export interface AnswerJobDeps {
  readonly agents: AgentRepository;
  readonly messages: AgentMessageStore;
  /** Rooms' retention policies: a reply expires like any message of its room. */
  readonly retention: RetentionLookup;
  readonly ledger: TokenLedger;
  readonly model: ModelClient;
  readonly memory: RoomMemory;
  readonly feed: RoomFeed;
  readonly jobs: AgentJobQueue;
  /** Where each job's outcome is recorded, once per job. */
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly nextId: (nowMs: number) => string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Model calls per job for throttling and transient errors, with backoff between them. */
  readonly retry: { readonly attempts: number; readonly baseMs: number; readonly maxMs: number };
  readonly coalescing: CoalescerOptions;
  /** The cadence in a room whose frames go through the sharded fan-out (LARGE_ROOM_COALESCING by default). */
  readonly largeRoomCoalescing?: CoalescerOptions;
  /** Replies while they stream, so that they can be stopped; without it, a reply cannot be stopped. */
  readonly liveReplies?: LiveReplyStore;
  /** Each model's circuit breaker; without it, every job calls its model. */
  readonly circuit?: ModelCircuitDeps;
  /** The room's documents, for agents given `search_documents`; without it, that tool is not offered. */
  readonly documents?: DocumentSearch;
}

/** Which delivery of the job this is; the last one gives up instead of failing. */
export interface JobAttempt {
  readonly receiveCount: number;
  readonly maxReceiveCount: number;
}

export type AnswerOutcome =
  | { readonly kind: 'skipped'; readonly why: 'agentRemoved' | 'alreadyAnswered' | 'messageGone' }
  | { readonly kind: 'overBudget'; readonly noticed: boolean }
  | { readonly kind: 'unavailable'; readonly reason: string; readonly modelCalls?: number }
  | {
      readonly kind: 'replied' | 'incomplete' | 'empty';
      readonly message?: AgentMessage;
      readonly deltas: number;
      readonly flushes: number;
      readonly posts: number;
      readonly modelCalls: number;
      /** From the start of the job to the first post of the reply. */
      readonly firstPostMs?: number;
      /** From the start of the job to the whole reply streamed (before it is stored). */
      readonly replyMs: number;
      /** Tokens the model reported, or an estimate when the stream broke; summed over tool rounds. */
      readonly inputTokens: number;
      readonly outputTokens: number;
      /** Tool calls the model made, answered or refused. */
      readonly toolCalls?: number;
    };

/** How an agent call ended, as the audit trail records it. */
export type AgentCallOutcome = 'completed' | 'incomplete' | 'stopped' | 'failed' | 'over-budget';

/** One entry per job: a job delivered again records nothing new. A regenerated answer's key ends with its attempt. */
export const agentCallKey = (job: Pick<AgentJob, 'roomId' | 'handle' | 'triggerMessageId' | 'attempt'>): string =>
  `agent-call:${job.roomId}:${job.handle}:${job.triggerMessageId}${attemptSuffix(job.attempt)}`;

/**
 * Records how a job's call went: the model, token counts, latency and
 * outcome; never the prompt or the reply.
 */
const recordCall = (
  deps: Pick<AnswerJobDeps, 'audit'>,
  job: AgentJob,
  occurredAt: number | string,
  details: AuditDetails & { readonly outcome: AgentCallOutcome },
) =>
  deps.audit.record({
    roomId: job.roomId,
    idempotencyKey: agentCallKey(job),
    occurredAt: typeof occurredAt === 'string' ? occurredAt : new Date(occurredAt).toISOString(),
    actor: { type: 'agent', id: job.handle },
    action: 'agent.called',
    target: { type: 'message', id: job.triggerMessageId },
    details: { ...details, trigger: job.reason, ...(job.attempt !== undefined && job.attempt > 1 ? { attempt: job.attempt } : {}) },
  });

/** The call behind a stored reply, from the reply's own metadata. */
const recordStoredReply = (deps: Pick<AnswerJobDeps, 'audit'>, job: AgentJob, reply: StoredReply) =>
  recordCall(deps, job, reply.createdAt, {
    outcome: reply.agent.stopped ? 'stopped' : reply.agent.incomplete ? 'incomplete' : 'completed',
    modelId: reply.agent.modelId,
    inputTokens: reply.agent.inputTokens,
    outputTokens: reply.agent.outputTokens,
    latencyMs: reply.agent.latencyMs,
    replyId: reply.messageId,
  });

/**
 * Records the call of a job whose reply is stored already. The delivery that
 * stored it records it after announcing it; should that record have failed,
 * the job comes back here and this one (with the same key) takes its place.
 */
async function recordAnswered(deps: Pick<AnswerJobDeps, 'audit' | 'messages'>, job: AgentJob): Promise<void> {
  const stored = await deps.messages.storedReply(job.roomId, job.handle, job.triggerMessageId, job.attempt ?? 1);
  if (stored) await recordStoredReply(deps, job, stored);
}

/** A notice about one job: it names the message answered and the agent, so clients show it on that message. */
const notice = (deps: Pick<AnswerJobDeps, 'feed'>, job: AgentJob, code: AgentNoticeCode, text: string, agent?: AgentConfig) =>
  deps.feed.publish(job.roomId, {
    type: 'notice',
    roomId: job.roomId,
    code,
    text,
    messageId: job.triggerMessageId,
    agent: agent ? agentRef(agent) : { handle: job.handle, displayName: job.handle },
  });

/**
 * Gives up on a job the model cannot do: records the failed call, tells the
 * room once, plainly, and moves the job to the dead-letter queue with its
 * reason. `call` holds what is known of the call (nothing when the job
 * failed before the agent was read).
 */
export async function abandonJob(
  deps: Pick<AnswerJobDeps, 'feed' | 'jobs' | 'audit' | 'clock'>,
  job: AgentJob,
  failure: { reason: string; error: string; attempts: number },
  call: { readonly modelId?: string; readonly latencyMs?: number; readonly agent?: AgentConfig } = {},
): Promise<void> {
  await giveUp(deps, job, failure, call);
  await deps.jobs.deadLetter(job, failure);
}

/**
 * Records a failed call and tells the room the agent is unavailable, without
 * dead-lettering the job: for a job refused (or cut short) because its
 * model's circuit is open, a known cause the metrics and logs carry.
 */
async function giveUp(
  deps: Pick<AnswerJobDeps, 'feed' | 'audit' | 'clock'>,
  job: AgentJob,
  failure: { reason: string; attempts: number },
  call: { readonly modelId?: string; readonly latencyMs?: number; readonly agent?: AgentConfig },
): Promise<void> {
  // The error's message can quote what the model was sent: only its name is recorded.
  await recordCall(deps, job, deps.clock.now(), {
    outcome: 'failed',
    ...(call.modelId === undefined ? {} : { modelId: call.modelId }),
    inputTokens: 0,
    outputTokens: 0,
    ...(call.latencyMs === undefined ? {} : { latencyMs: call.latencyMs }),
    reason: failure.reason,
    attempts: failure.attempts,
  });
  await notice(
    deps,
    job,
    'AGENT_UNAVAILABLE',
    `@${job.handle} is unavailable right now and could not answer. Please try again later.`,
    call.agent,
  );
}

const isRetryable = isModelFailure;

const reasonOf = (error: unknown): string =>
  error instanceof ModelUnavailableError || error instanceof ModelStreamError
    ? error.reason
    : error instanceof Error
      ? error.name
      : 'Unknown';

/**
 * Has an agent answer one message. Drops jobs whose agent was removed or
 * that were answered already; reads the history up to the message (and the
 * room's memory if the agent uses it); refuses with a notice when the day's
 * token budget is spent; otherwise streams the model's reply to the room,
 * stores it as the agent's message and marks it done.
 *
 * Throttling and transient model errors are retried with backoff within the
 * job. When those tries are spent the job fails, so SQS delivers it again,
 * unless this is its last delivery (or the error is one no retry fixes):
 * then the room gets an "unavailable" notice and the job goes to the
 * dead-letter queue with its reason. A stream that breaks after text has
 * arrived is not retried: what arrived is stored, marked incomplete.
 *
 * With a circuit breaker (deps.circuit), a job whose model's circuit is
 * open fails fast: the room gets the "unavailable" notice, the model is not
 * called and the job is not dead-lettered (its reason is `circuitOpen`).
 * A failed job whose failure opens the circuit ends the same way instead
 * of being delivered again. Once the cool-down is over, one job probes
 * with a single call; its outcome closes or reopens the circuit.
 *
 * Each job's outcome (completed, incomplete, failed, over budget) is
 * recorded once in the audit trail, keyed by the job (see agentCallKey).
 */
export async function answerJob(deps: AnswerJobDeps, job: AgentJob, attempt: JobAttempt): Promise<AnswerOutcome> {
  const jobStarted = deps.clock.now();
  const day = budgetDay(jobStarted);
  // Independent reads go together: each round trip is on the way to the first delta.
  const [agent, replied] = await Promise.all([
    deps.agents.getAgent(job.roomId, job.handle),
    deps.messages.hasReplied(job.roomId, job.handle, job.triggerMessageId, job.attempt ?? 1),
  ]);
  if (!agent) return { kind: 'skipped', why: 'agentRemoved' };
  if (replied) {
    await recordAnswered(deps, job);
    return { kind: 'skipped', why: 'alreadyAnswered' };
  }
  const circuit = deps.circuit;
  const [history, used, storedCircuit] = await Promise.all([
    deps.messages.recentMessages(job.roomId, job.triggerMessageId, agent.historyWindow),
    deps.ledger.used(job.roomId, agent.handle, day),
    // Read with the job's other reads: no round trip of its own before the first delta.
    circuit?.store.read(agent.modelId),
  ]);
  const trigger = history.at(-1);
  if (!trigger || trigger.messageId !== job.triggerMessageId) return { kind: 'skipped', why: 'messageGone' };

  const memory: RecalledMemory | undefined = agent.useMemory
    ? await deps.memory.recall(job.roomId, recallQuery(history), {
        k: agent.retrievalK,
        excludeMessageIds: new Set(history.map((entry) => entry.messageId)),
        excludeSenderIds: recallExcludedSenders(agent.handle),
        now: jobStarted,
      })
    : undefined;
  const prompt = buildPrompt({ agent, now: jobStarted, history, ...(memory ? { memory } : {}) });

  if (!checkBudget({ used, budget: agent.dailyTokenBudget, promptTokens: prompt.estimatedTokens }).allowed) {
    // Recorded before the room is told: a failed record retries the job before anything is seen.
    await recordCall(deps, job, jobStarted, {
      outcome: 'over-budget',
      modelId: agent.modelId,
      inputTokens: 0,
      outputTokens: 0,
      latencyMs: 0,
    });
    const noticed = job.reason === 'mention' || (await deps.ledger.claimBudgetNotice(job.roomId, agent.handle, day));
    if (noticed) {
      await notice(
        deps,
        job,
        'AGENT_BUDGET_EXHAUSTED',
        `@${agent.handle} has used its token budget for today in this room and will answer again tomorrow (UTC).`,
        agent,
      );
    }
    return { kind: 'overBudget', noticed };
  }

  // Checked after the budget: a refused job must not hold the probe.
  const ticket = circuit && storedCircuit ? await admitModelCall(circuit, agent.modelId, storedCircuit, jobStarted) : undefined;
  if (ticket?.decision === 'refuse') {
    await giveUp(deps, job, { reason: CIRCUIT_OPEN, attempts: attempt.receiveCount }, { modelId: agent.modelId, latencyMs: 0, agent });
    return { kind: 'unavailable', reason: CIRCUIT_OPEN, modelCalls: 0 };
  }

  // The room sees the agent at work from now until its first words (or a notice about this message).
  // A job delivered again announces it again; clients show one per agent and message.
  const thinking = await deps.feed.publish(job.roomId, {
    type: 'agentThinking',
    roomId: job.roomId,
    messageId: job.triggerMessageId,
    agent: agentRef(agent),
  });
  try {
    // The probe makes one call: its answer is what the circuit waits for.
    const attempts = ticket?.decision === 'probe' ? 1 : deps.retry.attempts;
    const outcome = await reply(deps, job, agent, prompt, jobStarted, day, trigger.senderId, attempts, {
      used,
      historyIds: new Set(history.map((entry) => entry.messageId)),
    });
    if (circuit && ticket) {
      // A stream that broke part-way is the model failing too, though what arrived is kept.
      if (outcome.kind === 'incomplete') await recordModelFailure(circuit, agent.modelId, ticket, deps.clock.now());
      else await recordModelSuccess(circuit, agent.modelId, ticket);
    }
    return 'posts' in outcome ? { ...outcome, posts: outcome.posts + thinking.recipients + (thinking.sharded ?? 0) } : outcome;
  } catch (error) {
    if (!(error instanceof ModelUnavailableError || error instanceof ModelStreamError)) throw error;
    const final = !isRetryable(error) || attempt.receiveCount >= attempt.maxReceiveCount;
    const after = circuit && ticket && isModelFailure(error) ? await recordModelFailure(circuit, agent.modelId, ticket, deps.clock.now()) : undefined;
    if (!final && after?.circuit.state === 'open') {
      // The model is failing for everyone: another delivery would only wait for the same answer.
      await giveUp(
        deps,
        job,
        { reason: CIRCUIT_OPEN, attempts: attempt.receiveCount },
        { modelId: agent.modelId, latencyMs: deps.clock.now() - jobStarted, agent },
      );
      return { kind: 'unavailable', reason: CIRCUIT_OPEN };
    }
    if (!final) throw error;
    const reason = reasonOf(error);
    await abandonJob(
      deps,
      job,
      { reason, error: error.message, attempts: attempt.receiveCount },
      { modelId: agent.modelId, latencyMs: deps.clock.now() - jobStarted, agent },
    );
    return { kind: 'unavailable', reason };
  }
}

async function reply(
  deps: AnswerJobDeps,
  job: AgentJob,
  agent: AgentConfig,
  prompt: Prompt,
  jobStarted: number,
  day: string,
  askedBy: string,
  attempts: number,
  context: { readonly used: number; readonly historyIds: ReadonlySet<string> },
): Promise<AnswerOutcome> {
  const started = deps.clock.now();
  const replyId = deps.nextId(started);
  const target = { roomId: job.roomId, replyId, agent: agentRef(agent) };
  // Recorded before the first part, so whoever sees the reply can stop it (stopAgentReply).
  const live = deps.liveReplies;
  if (live) await live.start({ roomId: job.roomId, replyId, handle: agent.handle, triggerMessageId: job.triggerMessageId, askedBy }, started);
  const streamDeps = live ? { ...deps, stopRequested: () => live.stopRequested(job.roomId, replyId) } : deps;
  const base = { modelId: agent.modelId, prompt, temperature: agent.temperature, maxOutputTokens: agent.maxOutputTokens };
  const tools = offeredTools(deps, agent);
  const offered = new Set<ToolName>(tools.map((tool) => tool.name));
  const rounds: ToolRound[] = [];
  const toolContext: ToolContext = { roomId: job.roomId, handle: agent.handle, historyIds: context.historyIds, citations: [] };
  let toolCalls = 0;

  let progress: StreamProgress = { text: '', deltas: 0, flushes: 0, posts: 0 };
  let incomplete = false;
  let stopped = false;
  let modelCalls = 0;
  // Every call's tokens count, tool rounds included.
  const spent = { inputTokens: 0, outputTokens: 0 };
  // One model call per round: the first, then one after each round of tool results.
  for (;;) {
    const request = tools.length > 0 ? { ...base, tools, toolRounds: [...rounds] } : base;
    const textBefore = progress.text.length;
    let usage: ModelUsage | undefined;
    let toolUses: readonly ToolUse[] = [];
    let stopReason = '';
    for (let callsThisRound = 1; ; callsThisRound += 1) {
      modelCalls += 1;
      try {
        const result = await streamReply(streamDeps, target, deps.model.stream(request), progress);
        usage = result.usage;
        stopReason = result.stopReason;
        stopped = result.stopReason === STOPPED;
        toolUses = result.toolUses ?? [];
        break;
      } catch (error) {
        if (progress.text.length > 0 && error instanceof ModelStreamError) {
          incomplete = true;
          break;
        }
        if (!isRetryable(error) || callsThisRound >= attempts || progress.text.length > 0) throw error;
        await deps.sleep(backoffDelay(callsThisRound, deps.retry, deps.random));
        progress = { text: '', deltas: 0, flushes: 0, posts: 0 };
      }
    }
    // A broken stream reports no usage: count what was sent and received.
    const callUsage = usage ?? { inputTokens: prompt.estimatedTokens, outputTokens: estimateTokens(progress.text.slice(textBefore)) };
    spent.inputTokens += callUsage.inputTokens;
    spent.outputTokens += callUsage.outputTokens;
    if (incomplete || stopped || toolUses.length === 0 || stopReason !== TOOL_USE_STOP) break;
    // Past the bounds the model gets one last call, told to answer with what it has; it is not asked again.
    if (rounds.length > TOOL_LIMITS.rounds) break;
    const total = spent.inputTokens + spent.outputTokens;
    const withinBounds =
      rounds.length < TOOL_LIMITS.rounds &&
      deps.clock.now() - started < TOOL_LIMITS.timeMs &&
      total < TOOL_LIMITS.tokens &&
      // The next call costs at least the prompt again: keep within the day's budget.
      context.used + total + prompt.estimatedTokens <= agent.dailyTokenBudget;
    const reports = withinBounds
      ? await runToolRound(deps, job, agent, toolContext, toolUses, offered, rounds.length + 1, TOOL_LIMITS.timeMs - (deps.clock.now() - started))
      : await refuseToolRound(deps, job, toolUses, rounds.length + 1);
    toolCalls += reports.length;
    rounds.push({ text: progress.text.slice(textBefore), uses: toolUses, results: reports.map((r) => r.result) });
  }

  await deps.ledger.add(job.roomId, agent.handle, day, spent.inputTokens + spent.outputTokens);
  const stats = {
    deltas: progress.deltas,
    flushes: progress.flushes,
    posts: progress.posts,
    modelCalls,
    ...(progress.firstPostAt === undefined ? {} : { firstPostMs: progress.firstPostAt - jobStarted }),
    replyMs: deps.clock.now() - jobStarted,
    inputTokens: spent.inputTokens,
    outputTokens: spent.outputTokens,
    ...(toolCalls > 0 ? { toolCalls } : {}),
  };

  const call = {
    modelId: agent.modelId,
    inputTokens: spent.inputTokens,
    outputTokens: spent.outputTokens,
    latencyMs: deps.clock.now() - started,
    modelCalls,
  };

  if (isBlank(progress.text) && stopped) {
    // Stopped before its first words: nothing to keep, but the room is told why no reply came.
    await recordCall(deps, job, started, { outcome: 'stopped', ...call, empty: true });
    await live?.finish(job.roomId, replyId);
    await notice(deps, job, 'AGENT_REPLY_STOPPED', `@${agent.handle}'s reply was stopped before it began.`, agent);
    return { kind: 'empty', ...stats };
  }

  if (isBlank(progress.text)) {
    // Nothing is stored, so nothing dedupes a retry: record before the room is told.
    await recordCall(deps, job, started, { outcome: 'completed', ...call, empty: true });
    await notice(deps, job, 'AGENT_EMPTY_REPLY', `@${agent.handle} had nothing to say this time.`, agent);
    return { kind: 'empty', ...stats };
  }

  // Only the passages the text cites by number: see citedIn.
  const citations = citedIn(progress.text, toolContext.citations);
  const message: AgentMessage = {
    roomId: job.roomId,
    messageId: replyId,
    senderId: agentSenderId(agent.handle),
    senderName: agent.displayName,
    senderType: 'agent',
    text: progress.text,
    createdAt: new Date(started).toISOString(),
    // The room has an agent: this one. Another agent it mentions may answer it.
    agents: true,
    agent: {
      handle: agent.handle,
      modelId: agent.modelId,
      inputTokens: spent.inputTokens,
      outputTokens: spent.outputTokens,
      latencyMs: call.latencyMs,
      replyDepth: job.replyDepth,
      triggerMessageId: job.triggerMessageId,
      ...(incomplete ? { incomplete: true } : {}),
      ...(stopped ? { stopped: true } : {}),
      ...(job.attempt !== undefined && job.attempt > 1 ? { attempt: job.attempt } : {}),
    },
    ...(citations.length > 0 ? { citations } : {}),
  };
  const { days } = await deps.retention.retentionOf(job.roomId);
  if (!(await deps.messages.saveReply(message, expiresAtOf(started, days)))) {
    // Another delivery of this job stored its reply first; that one was
    // announced, and its call is the one recorded.
    await recordAnswered(deps, job);
    return { kind: 'replied', ...stats };
  }
  // Stored: from now on a request to stop it is refused.
  await live?.finish(job.roomId, replyId);
  const done = await deps.feed.publish(job.roomId, {
    type: 'agentDone',
    roomId: job.roomId,
    replyId,
    message,
    ...(incomplete ? { incomplete: true } : {}),
    ...(stopped ? { stopped: true } : {}),
  });
  if (incomplete) {
    await notice(
      deps,
      job,
      'AGENT_REPLY_INCOMPLETE',
      `@${agent.handle}'s reply was cut off; the part that arrived is kept.`,
    );
  }
  // Recorded once the reply is stored and announced. Should this fail, the
  // job is delivered again, finds its reply stored (nothing is sent twice)
  // and records the call from the stored reply under the same key.
  await recordStoredReply(deps, job, { messageId: replyId, createdAt: message.createdAt, agent: message.agent });
  return { kind: incomplete ? 'incomplete' : 'replied', message, ...stats, posts: stats.posts + done.recipients + (done.sharded ?? 0) };
}

/** Audit key of one tool call: per job (and attempt), round and position, so a delivery again records nothing new. */
const toolCallKey = (job: AgentJob, round: number, index: number): string =>
  `agent-tool:${job.roomId}:${job.handle}:${job.triggerMessageId}${attemptSuffix(job.attempt)}:${round}:${index}`;

/**
 * Runs one round of the model's tool calls, in order: tells the room what
 * the agent is doing (an `agentThinking` frame with the tool's status,
 * once per tool of the round), runs each call within the time left, and
 * records each in the audit trail (tool, duration, outcome; never its input
 * or result).
 */
async function runToolRound(
  deps: AnswerJobDeps,
  job: AgentJob,
  agent: AgentConfig,
  context: ToolContext,
  uses: readonly ToolUse[],
  offered: ReadonlySet<ToolName>,
  round: number,
  timeLeftMs: number,
): Promise<ToolCallReport[]> {
  const announced = new Set<ToolName>();
  const reports: ToolCallReport[] = [];
  const started = deps.clock.now();
  for (const [index, use] of uses.entries()) {
    if (isToolName(use.name) && offered.has(use.name) && !announced.has(use.name)) {
      announced.add(use.name);
      await deps.feed.publish(job.roomId, {
        type: 'agentThinking',
        roomId: job.roomId,
        messageId: job.triggerMessageId,
        agent: agentRef(agent),
        status: TOOL_STATUS[use.name],
      });
    }
    const report = await runTool(deps, context, use, offered, timeLeftMs - (deps.clock.now() - started));
    reports.push(report);
    await recordToolCall(deps, job, round, index, report);
  }
  return reports;
}

/** Answers a round asked for past the reply's bounds: each call is refused, and recorded. */
async function refuseToolRound(deps: AnswerJobDeps, job: AgentJob, uses: readonly ToolUse[], round: number): Promise<ToolCallReport[]> {
  const reports = uses.map(limitReached);
  for (const [index, report] of reports.entries()) await recordToolCall(deps, job, round, index, report);
  return reports;
}

const recordToolCall = (deps: Pick<AnswerJobDeps, 'audit' | 'clock'>, job: AgentJob, round: number, index: number, report: ToolCallReport) =>
  deps.audit.record({
    roomId: job.roomId,
    idempotencyKey: toolCallKey(job, round, index),
    occurredAt: new Date(deps.clock.now()).toISOString(),
    actor: { type: 'agent', id: job.handle },
    action: 'agent.toolCalled',
    target: { type: 'message', id: job.triggerMessageId },
    // A name the model made up is not recorded as given: it is free text.
    details: { tool: isToolName(report.name) ? report.name : 'unknown', outcome: report.outcome, durationMs: report.durationMs, round },
  });
