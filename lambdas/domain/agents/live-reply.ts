import { isModeratorRole } from '../message';
import type { Role } from '../types';

/**
 * A reply an agent is streaming, as long as it streams: who asked (the
 * sender of the message it answers), and whether someone asked it to stop.
 */
export interface LiveReply {
  readonly roomId: string;
  readonly replyId: string;
  readonly handle: string;
  readonly triggerMessageId: string;
  /** The sender of the message answered: they may stop the reply. */
  readonly askedBy: string;
  /** Set once the reply is stored: too late to stop. */
  readonly done: boolean;
  /** Set by stopAgentReply: the worker stops at its next part. */
  readonly stopRequestedBy?: string;
}

/** Where live replies are kept while they stream (the connections table, expired by TTL). */
export interface LiveReplyStore {
  /** Records a reply starting to stream. */
  start(reply: Omit<LiveReply, 'done' | 'stopRequestedBy'>, nowMs: number): Promise<void>;
  get(roomId: string, replyId: string): Promise<LiveReply | undefined>;
  /** Asks the reply to stop; false when it is done already (or unknown). */
  requestStop(roomId: string, replyId: string, userId: string): Promise<boolean>;
  /** Whether someone asked the reply to stop (an eventually consistent read: the worker asks again soon). */
  stopRequested(roomId: string, replyId: string): Promise<boolean>;
  /** Marks the reply stored: asking it to stop is now refused. */
  finish(roomId: string, replyId: string): Promise<void>;
  /**
   * Claims one regenerated answer (attempt 2, 3…) of an agent to a message,
   * so that it is asked for once; false when it was claimed already (its
   * job is queued or streaming). A claim expires after REGENERATION_CLAIM_MS.
   */
  claimRegeneration(claim: RegenerationClaim, nowMs: number): Promise<boolean>;
  /** Gives a claim back, when its job could not be enqueued. */
  releaseRegeneration(claim: Omit<RegenerationClaim, 'requestedBy'>): Promise<void>;
}

/** One regenerated answer asked for: which agent, which message, which attempt, by whom. */
export interface RegenerationClaim {
  readonly roomId: string;
  readonly handle: string;
  readonly triggerMessageId: string;
  readonly attempt: number;
  readonly requestedBy: string;
}

/**
 * How long a claimed regeneration refuses another one when its answer is
 * never stored (the job failed or found nothing to say): past the worker's
 * timeout with its retries, so a running job is never doubled.
 */
export const REGENERATION_CLAIM_MS = 15 * 60_000;

/** Who may stop an agent's reply: the room's owner and moderators, and the person whose message it answers. */
export const canStopReply = (reply: Pick<LiveReply, 'askedBy'>, member: { readonly userId: string; readonly role: Role }): boolean =>
  isModeratorRole(member.role) || member.userId === reply.askedBy;

/** How often, at most, a streaming worker reads whether it was asked to stop. */
export const STOP_CHECK_INTERVAL_MS = 500;
