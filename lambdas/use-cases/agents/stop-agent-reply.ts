import type { AuditLog } from '../../domain/audit';
import { ConflictError, NotFoundError, PermissionError } from '../../domain/errors';
import { canStopReply, type LiveReplyStore } from '../../domain/agents/live-reply';
import type { AgentRequestOf } from '../../domain/agents/protocol';
import type { Clock, RoomRepository } from '../../domain/ports';
import type { Identity } from '../../domain/types';
import { requireMembership } from '../access';

export interface StopAgentReplyDeps {
  readonly rooms: RoomRepository;
  readonly liveReplies: LiveReplyStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export interface StopAgentReplyResult {
  readonly roomId: string;
  readonly messageId: string;
  /** True: the worker stops at its next part; everyone then gets the reply's `agentDone` with `stopped: true`. */
  readonly stopping: true;
}

/**
 * Asks an agent's reply to stop while it streams. Only a member may ask,
 * and only the room's owner and moderators or the person whose message the
 * reply answers (canStopReply); a reply already stored cannot be stopped.
 * Everything is checked before the one conditional write, so a refused
 * request changes nothing. The worker reads the request at its next part,
 * stops the model, and stores what it streamed until then, marked
 * `stopped`. Asking again while it stops is accepted and changes nothing.
 *
 * @example
 * await stopAgentReply(deps, identity, { requestId, roomId, messageId: replyId });
 */
export async function stopAgentReply(
  deps: StopAgentReplyDeps,
  identity: Identity,
  request: AgentRequestOf<'stopAgentReply'>,
): Promise<StopAgentReplyResult> {
  const { roomId, messageId } = request;
  const membership = await requireMembership(deps.rooms, roomId, identity.userId);
  const reply = await deps.liveReplies.get(roomId, messageId);
  if (reply === undefined) throw new NotFoundError('No agent reply with this id is streaming in this room.');
  if (!canStopReply(reply, membership)) {
    throw new PermissionError('Only the person who asked, the room owner and moderators can stop this reply.');
  }
  if (reply.done) throw new ConflictError('This reply is already complete.');
  // Conditional on the reply not being stored meanwhile: the worker's finish and this request race.
  if (!(await deps.liveReplies.requestStop(roomId, messageId, identity.userId))) {
    throw new ConflictError('This reply is already complete.');
  }
  await deps.audit.record({
    roomId,
    idempotencyKey: `agent-reply-stopped:${roomId}:${messageId}`,
    occurredAt: new Date(deps.clock.now()).toISOString(),
    actor: { type: 'user', id: identity.userId },
    action: 'agent.replyStopped',
    target: { type: 'message', id: messageId },
    details: { agent: reply.handle, triggerMessageId: reply.triggerMessageId },
  });
  return { roomId, messageId, stopping: true };
}
