import type { Clock } from '../../domain/ports';
import { budgetDay, checkBudget } from '../../domain/agents/budget';
import type { CoalescerOptions } from '../../domain/agents/coalescer';
import { agentRef, agentSenderId, type AgentConfig } from '../../domain/agents/config';
import { ModelStreamError, ModelUnavailableError } from '../../domain/agents/errors';
import type { AgentJob } from '../../domain/agents/job';
import type { RoomMemory, RecalledMemory } from '../../domain/agents/memory';
import type {
  AgentJobQueue,
  AgentMessage,
  AgentMessageStore,
  AgentRepository,
  ModelClient,
  ModelUsage,
  RoomFeed,
  TokenLedger,
} from '../../domain/agents/ports';
import { buildPrompt, estimateTokens, type Prompt } from '../../domain/agents/prompt';
import { backoffDelay } from '../../domain/agents/retry';
import { streamReply, type StreamProgress } from './stream-reply';

export interface AnswerJobDeps {
  readonly agents: AgentRepository;
  readonly messages: AgentMessageStore;
  readonly ledger: TokenLedger;
  readonly model: ModelClient;
  readonly memory: RoomMemory;
  readonly feed: RoomFeed;
  readonly jobs: AgentJobQueue;
  readonly clock: Clock;
  readonly nextId: (nowMs: number) => string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Model calls per job for throttling and transient errors, with backoff between them. */
  readonly retry: { readonly attempts: number; readonly baseMs: number; readonly maxMs: number };
  readonly coalescing: CoalescerOptions;
}

/** Which delivery of the job this is; the last one gives up instead of failing. */
export interface JobAttempt {
  readonly receiveCount: number;
  readonly maxReceiveCount: number;
}

export type AnswerOutcome =
  | { readonly kind: 'skipped'; readonly why: 'agentRemoved' | 'alreadyAnswered' | 'messageGone' }
  | { readonly kind: 'overBudget'; readonly noticed: boolean }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | {
      readonly kind: 'replied' | 'incomplete' | 'empty';
      readonly message?: AgentMessage;
      readonly deltas: number;
      readonly flushes: number;
      readonly posts: number;
      readonly modelCalls: number;
      /** From the start of the job to the first post of the reply. */
      readonly firstPostMs?: number;
    };

const notice = (deps: Pick<AnswerJobDeps, 'feed'>, roomId: string, code: string, text: string) =>
  deps.feed.publish(roomId, { type: 'notice', roomId, code, text });

/**
 * Gives up on a job the model cannot do: tells the room once, plainly, and
 * moves the job to the dead-letter queue with its reason.
 */
export async function abandonJob(
  deps: Pick<AnswerJobDeps, 'feed' | 'jobs'>,
  job: AgentJob,
  failure: { reason: string; error: string; attempts: number },
): Promise<void> {
  await notice(
    deps,
    job.roomId,
    'AGENT_UNAVAILABLE',
    `@${job.handle} is unavailable right now and could not answer. Please try again later.`,
  );
  await deps.jobs.deadLetter(job, failure);
}

const isRetryable = (error: unknown): boolean =>
  error instanceof ModelUnavailableError ? error.retryable : error instanceof ModelStreamError;

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
 */
export async function answerJob(deps: AnswerJobDeps, job: AgentJob, attempt: JobAttempt): Promise<AnswerOutcome> {
  const jobStarted = deps.clock.now();
  const day = budgetDay(jobStarted);
  // Independent reads go together: each round trip is on the way to the first delta.
  const [agent, replied] = await Promise.all([
    deps.agents.getAgent(job.roomId, job.handle),
    deps.messages.hasReplied(job.roomId, job.handle, job.triggerMessageId),
  ]);
  if (!agent) return { kind: 'skipped', why: 'agentRemoved' };
  if (replied) return { kind: 'skipped', why: 'alreadyAnswered' };
  const [history, used] = await Promise.all([
    deps.messages.recentMessages(job.roomId, job.triggerMessageId, agent.historyWindow),
    deps.ledger.used(job.roomId, agent.handle, day),
  ]);
  const trigger = history.at(-1);
  if (!trigger || trigger.messageId !== job.triggerMessageId) return { kind: 'skipped', why: 'messageGone' };

  const memory: RecalledMemory | undefined = agent.useMemory
    ? await deps.memory.recall(job.roomId, trigger.text, {
        k: agent.retrievalK,
        excludeMessageIds: new Set(history.map((entry) => entry.messageId)),
      })
    : undefined;
  const prompt = buildPrompt({ agent, history, ...(memory ? { memory } : {}) });

  if (!checkBudget({ used, budget: agent.dailyTokenBudget, promptTokens: prompt.estimatedTokens }).allowed) {
    const noticed = job.reason === 'mention' || (await deps.ledger.claimBudgetNotice(job.roomId, agent.handle, day));
    if (noticed) {
      await notice(
        deps,
        job.roomId,
        'AGENT_BUDGET_EXHAUSTED',
        `@${agent.handle} has used its token budget for today in this room and will answer again tomorrow (UTC).`,
      );
    }
    return { kind: 'overBudget', noticed };
  }

  try {
    return await reply(deps, job, agent, prompt, jobStarted, day);
  } catch (error) {
    if (!(error instanceof ModelUnavailableError || error instanceof ModelStreamError)) throw error;
    const final = !isRetryable(error) || attempt.receiveCount >= attempt.maxReceiveCount;
    if (!final) throw error;
    const reason = reasonOf(error);
    await abandonJob(deps, job, { reason, error: error.message, attempts: attempt.receiveCount });
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
): Promise<AnswerOutcome> {
  const started = deps.clock.now();
  const replyId = deps.nextId(started);
  const target = { roomId: job.roomId, replyId, agent: agentRef(agent) };
  const request = { modelId: agent.modelId, prompt, temperature: agent.temperature, maxOutputTokens: agent.maxOutputTokens };

  let progress: StreamProgress = { text: '', deltas: 0, flushes: 0, posts: 0 };
  let usage: ModelUsage | undefined;
  let incomplete = false;
  let modelCalls = 0;
  for (;;) {
    modelCalls += 1;
    try {
      ({ usage } = await streamReply(deps, target, deps.model.stream(request), progress));
      break;
    } catch (error) {
      if (progress.text.length > 0 && error instanceof ModelStreamError) {
        incomplete = true;
        break;
      }
      if (!isRetryable(error) || modelCalls >= deps.retry.attempts || progress.text.length > 0) throw error;
      await deps.sleep(backoffDelay(modelCalls, deps.retry, deps.random));
      progress = { text: '', deltas: 0, flushes: 0, posts: 0 };
    }
  }

  // A broken stream reports no usage: count what was sent and received.
  const spent = usage ?? { inputTokens: prompt.estimatedTokens, outputTokens: estimateTokens(progress.text) };
  await deps.ledger.add(job.roomId, agent.handle, day, spent.inputTokens + spent.outputTokens);
  const stats = {
    deltas: progress.deltas,
    flushes: progress.flushes,
    posts: progress.posts,
    modelCalls,
    ...(progress.firstPostAt === undefined ? {} : { firstPostMs: progress.firstPostAt - jobStarted }),
  };

  if (progress.text.trim().length === 0) {
    await notice(deps, job.roomId, 'AGENT_EMPTY_REPLY', `@${agent.handle} had nothing to say this time.`);
    return { kind: 'empty', ...stats };
  }

  const message: AgentMessage = {
    roomId: job.roomId,
    messageId: replyId,
    senderId: agentSenderId(agent.handle),
    senderName: agent.displayName,
    senderType: 'agent',
    text: progress.text,
    createdAt: new Date(started).toISOString(),
    agent: {
      handle: agent.handle,
      modelId: agent.modelId,
      inputTokens: spent.inputTokens,
      outputTokens: spent.outputTokens,
      latencyMs: deps.clock.now() - started,
      replyDepth: job.replyDepth,
      triggerMessageId: job.triggerMessageId,
      ...(incomplete ? { incomplete: true } : {}),
    },
  };
  if (!(await deps.messages.saveReply(message))) {
    // Another delivery of this job stored its reply first; that one was announced.
    return { kind: 'replied', ...stats };
  }
  const done = await deps.feed.publish(job.roomId, {
    type: 'agentDone',
    roomId: job.roomId,
    replyId,
    message,
    ...(incomplete ? { incomplete: true } : {}),
  });
  if (incomplete) {
    await notice(
      deps,
      job.roomId,
      'AGENT_REPLY_INCOMPLETE',
      `@${agent.handle}'s reply was cut off; the part that arrived is kept.`,
    );
  }
  return { kind: incomplete ? 'incomplete' : 'replied', message, ...stats, posts: stats.posts + done.posts };
}
