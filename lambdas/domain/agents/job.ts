import * as z from 'zod/mini';
import { InvalidJobError } from './errors';

/**
 * How many answers one agent may give one message: the first and up to two
 * regenerated ones. Each costs a model call, so a button cannot spend the
 * agent's budget on one message.
 */
export const MAX_REPLY_ATTEMPTS = 3;

/**
 * What an answer's keys add for its attempt: nothing for the first, so the
 * keys of every reply stored before regeneration existed keep their meaning;
 * `#<attempt>` for a regenerated one.
 */
export const attemptSuffix = (attempt: number | undefined): string =>
  attempt === undefined || attempt <= 1 ? '' : `#${attempt}`;

/** Why an agent was asked to answer. */
export const REPLY_REASONS = ['mention', 'everyMessage', 'ambient'] as const;
export type ReplyReason = (typeof REPLY_REASONS)[number];

/**
 * A request for one agent to answer one message, carried on the agents'
 * FIFO queue. It holds ids only: the agent reads the message, its history
 * and its own configuration when it runs, so nothing in the queue is
 * content and a job for a removed agent or message is simply dropped.
 */
export const agentJobSchema = z.object({
  roomId: z.string().check(z.minLength(1), z.maxLength(128)),
  handle: z.string().check(z.minLength(1), z.maxLength(32)),
  triggerMessageId: z.string().check(z.minLength(1), z.maxLength(64)),
  reason: z.enum(REPLY_REASONS),
  /** How many agent replies precede this one in the chain (0: answering a person). */
  replyDepth: z.int().check(z.minimum(0), z.maximum(10)),
  /**
   * Which answer of this agent to this message the job makes: absent (or 1)
   * for the first, 2 and up for one asked for by regenerateAgentReply.
   */
  attempt: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_REPLY_ATTEMPTS))),
});

export type AgentJob = z.output<typeof agentJobSchema>;

/** Serial processing per room and agent: one message group each. */
export const jobGroupId = (job: Pick<AgentJob, 'roomId' | 'handle'>): string => `${job.roomId}#${job.handle}`;

/** A job is never enqueued twice for the same message, agent and attempt. */
export const jobDeduplicationId = (job: Pick<AgentJob, 'triggerMessageId' | 'handle' | 'attempt'>): string =>
  `${job.triggerMessageId}#${job.handle}${attemptSuffix(job.attempt)}`;

export function parseAgentJob(body: string): AgentJob {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (cause) {
    throw new InvalidJobError('The job is not JSON.', { cause });
  }
  const parsed = agentJobSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidJobError('The job does not have the shape of an agent job.');
  return parsed.data;
}
