import type { Clock } from '../../domain/ports';
import type { AgentJob } from '../../domain/agents/job';
import type { AgentJobQueue, AgentRepository, AmbientFloor } from '../../domain/agents/ports';
import { decideReplies, type DispatchedMessage, type ReplyDecision } from '../../domain/agents/triggers';

export interface DispatchMessageDeps {
  readonly agents: AgentRepository;
  readonly floor: AmbientFloor;
  readonly jobs: AgentJobQueue;
  readonly clock: Clock;
  readonly random: () => number;
  readonly maxReplyDepth?: number;
}

const jobOf = (message: DispatchedMessage, decision: ReplyDecision): AgentJob => ({
  roomId: message.roomId,
  handle: decision.agent.handle,
  triggerMessageId: message.messageId,
  reason: decision.reason,
  replyDepth: decision.replyDepth,
});

/**
 * Turns a moderated message into agent jobs: reads the room's agents,
 * decides who answers (see decideReplies), lets an ambient agent speak only
 * if it takes the room's floor for its quiet interval, and enqueues one job
 * per agent. Enqueueing is idempotent per (message, agent), so a stream
 * record processed twice never makes an agent answer twice.
 */
export async function dispatchMessage(deps: DispatchMessageDeps, message: DispatchedMessage): Promise<AgentJob[]> {
  if (message.senderType === 'system') return [];
  const agents = await deps.agents.listAgents(message.roomId);
  if (agents.length === 0) return [];
  const { replies, ambient } = decideReplies(message, agents, {
    random: deps.random,
    ...(deps.maxReplyDepth === undefined ? {} : { maxReplyDepth: deps.maxReplyDepth }),
  });
  const jobs = replies.map((decision) => jobOf(message, decision));
  if (ambient && ambient.agent.trigger.mode === 'ambient') {
    const now = deps.clock.now();
    const until = now + ambient.agent.trigger.minQuietSeconds * 1000;
    const claim = { handle: ambient.agent.handle, messageId: message.messageId, nowMs: now, untilMs: until };
    if (await deps.floor.tryTake(message.roomId, claim)) jobs.push(jobOf(message, ambient));
  }
  if (jobs.length > 0) await deps.jobs.enqueue(jobs);
  return jobs;
}
