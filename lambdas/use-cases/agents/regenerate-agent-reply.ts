import type { AuditLog } from '../../domain/audit';
import { ConflictError, NotFoundError, PermissionError } from '../../domain/errors';
import { MAX_REPLY_ATTEMPTS, type AgentJob } from '../../domain/agents/job';
import { canStopReply, type LiveReplyStore } from '../../domain/agents/live-reply';
import type { AgentJobQueue, AgentMessageStore, AgentRepository } from '../../domain/agents/ports';
import type { AgentRequestOf } from '../../domain/agents/protocol';
import type { Clock, RoomRepository } from '../../domain/ports';
import type { Identity } from '../../domain/types';
import { requireMembership } from '../access';

export interface RegenerateAgentReplyDeps {
  readonly rooms: RoomRepository;
  readonly agents: AgentRepository;
  readonly messages: AgentMessageStore;
  readonly liveReplies: LiveReplyStore;
  readonly jobs: AgentJobQueue;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export interface RegenerateAgentReplyResult {
  readonly roomId: string;
  /** The reply asked about. */
  readonly messageId: string;
  /** The message the new answer answers. */
  readonly triggerMessageId: string;
  readonly handle: string;
  /** Which answer to that message is coming (2 or 3): it arrives as a new agent message. */
  readonly attempt: number;
}

/**
 * Asks an agent for another answer to the message one of its stored replies
 * answered. Allowed to whoever may stop that reply (canStopReply: the person
 * who asked, the owner and moderators). The earlier reply stays; the new one
 * comes from a new job for the same agent and message with the next attempt
 * number, whose reply and audit keys carry the attempt, and which goes
 * through the same budget check as any job.
 *
 * Everything is checked before the one conditional write (the claim on the
 * attempt), so a refused request changes nothing: a reply still streaming,
 * an answer already asked for and not yet stored, or MAX_REPLY_ATTEMPTS
 * answers given are conflicts. Should the job not be enqueued, the claim is
 * given back.
 *
 * @example
 * await regenerateAgentReply(deps, identity, { requestId, roomId, messageId: replyId });
 */
export async function regenerateAgentReply(
  deps: RegenerateAgentReplyDeps,
  identity: Identity,
  request: AgentRequestOf<'regenerateAgentReply'>,
): Promise<RegenerateAgentReplyResult> {
  const { roomId, messageId } = request;
  const membership = await requireMembership(deps.rooms, roomId, identity.userId);
  const [reply, live] = await Promise.all([deps.messages.replyById(roomId, messageId), deps.liveReplies.get(roomId, messageId)]);
  if (reply === undefined) {
    // A reply that still streams is not stored yet: that is a wait, not a wrong id.
    if (live !== undefined && !live.done) throw new ConflictError('This reply is still being written; stop it or wait for it to finish.');
    throw new NotFoundError('No agent reply with this id in this room.');
  }
  const { handle, triggerMessageId, replyDepth } = reply.agent;
  // The message answered, for who asked it; one that is gone or hidden cannot be answered again.
  const [history, agent] = await Promise.all([
    deps.messages.recentMessages(roomId, triggerMessageId, 1),
    deps.agents.getAgent(roomId, handle),
  ]);
  const trigger = history.at(-1);
  if (trigger === undefined || trigger.messageId !== triggerMessageId) {
    throw new NotFoundError('The message this reply answered is no longer in the room.');
  }
  if (!canStopReply({ askedBy: trigger.senderId }, membership)) {
    throw new PermissionError('Only the person who asked, the room owner and moderators can regenerate this reply.');
  }
  if (agent === undefined) throw new NotFoundError(`@${handle} is no longer in this room.`);

  // Answers are stored in attempt order, each asked for once the one before is stored.
  let latest = reply.agent.attempt ?? 1;
  while (latest < MAX_REPLY_ATTEMPTS && (await deps.messages.hasReplied(roomId, handle, triggerMessageId, latest + 1))) latest += 1;
  if (latest >= MAX_REPLY_ATTEMPTS) {
    throw new ConflictError(`@${handle} has answered this message ${MAX_REPLY_ATTEMPTS} times, the most it may.`);
  }
  const attempt = latest + 1;
  const claim = { roomId, handle, triggerMessageId, attempt };
  if (!(await deps.liveReplies.claimRegeneration({ ...claim, requestedBy: identity.userId }, deps.clock.now()))) {
    throw new ConflictError(`@${handle} is already answering this message again.`);
  }
  const job: AgentJob = { roomId, handle, triggerMessageId, reason: 'mention', replyDepth, attempt };
  try {
    await deps.jobs.enqueue([job]);
  } catch (error) {
    await deps.liveReplies.releaseRegeneration(claim);
    throw error;
  }
  await deps.audit.record({
    roomId,
    idempotencyKey: `agent-reply-regenerated:${roomId}:${handle}:${triggerMessageId}:${attempt}`,
    occurredAt: new Date(deps.clock.now()).toISOString(),
    actor: { type: 'user', id: identity.userId },
    action: 'agent.replyRegenerated',
    target: { type: 'message', id: messageId },
    details: { agent: handle, triggerMessageId, attempt },
  });
  return { roomId, messageId, triggerMessageId, handle, attempt };
}
