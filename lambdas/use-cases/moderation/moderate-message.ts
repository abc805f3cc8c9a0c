import type { AuditLog } from '../../domain/audit';
import type { DeliveryReport } from '../../domain/delivery';
import type { FinalModerationState, ModeratedMessage } from '../../domain/message';
import type {
  ModeratedMessageStore,
  ModerationSettingsRepository,
  OriginalTextStore,
} from '../../domain/moderation/ports';
import { DEFAULT_MODERATION_SETTINGS } from '../../domain/moderation/settings';
import type { Clock } from '../../domain/ports';
import { checkMessage, type CheckMessageDeps } from './check-message';
import { deliverChange, type DeliverChangeDeps } from './deliver-change';

export interface ModerateMessageDeps extends DeliverChangeDeps, CheckMessageDeps {
  readonly messages: ModeratedMessageStore;
  readonly originals: OriginalTextStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export interface ModerationOutcome {
  /** The decision as stored: this run's, or an earlier run's for a redelivered record. */
  readonly decision?: FinalModerationState;
  /** False when the message was already decided (a redelivery) or is gone. */
  readonly applied: boolean;
  readonly delivery?: DeliveryReport;
}

/**
 * Checks a pending message (an agent's reply, streamed to the room as it was
 * written) against its room's settings and moves it to its final state, once. Then keeps the original for moderators (when the room
 * allows and the text changed), records the decision in the audit trail, and
 * tells the room: the sender's connections get `messageUpdated`, everyone
 * else who may see the result gets it as a new `message`.
 *
 * Safe to run again for the same record: the state changes only from
 * `pending` (a conditional write), the audit entry's idempotency key is the
 * message id and decision, and a rerun delivers the message as it is now
 * stored, which clients apply by message id.
 */
export async function moderateMessage(deps: ModerateMessageDeps, pending: ModeratedMessage): Promise<ModerationOutcome> {
  const { roomId, messageId } = pending;
  const { settings, verdict, redacted } = await checkMessage(deps, pending);
  const decidedAt = new Date(deps.clock.now()).toISOString();

  const result = await deps.messages.applyDecision(roomId, messageId, {
    state: verdict.state,
    text: verdict.text,
    redacted,
    reasons: verdict.reasons,
    decidedAt,
  });
  const stored = result.applied ? result.message : result.current;
  // Deleted by a moderator before this (re)run: nothing left to decide or tell.
  if (!stored || stored.decision === undefined) return { applied: false };

  // The same decision as this run's (always, unless settings changed between
  // attempts): the original belongs with it. Kept after the decision is
  // stored, so an original never outlives a message deleted in between.
  const keepOriginal = settings.keepOriginals && redacted && stored.text === verdict.text;
  if (keepOriginal) {
    await deps.originals.put({
      roomId,
      messageId,
      senderId: pending.senderId,
      text: pending.text,
      reasons: verdict.reasons,
      keptAt: stored.moderatedAt ?? decidedAt,
    });
  }

  await recordDecision(deps.audit, { ...stored, decision: stored.decision }, keepOriginal, decidedAt);

  // A person's pending message went to their own connections only; an
  // agent's reply was streamed to the whole room as it was written.
  const before = pending.senderType === 'human' ? pending : 'everyone';
  const delivery = await deliverChange(deps, before, stored, roomId, messageId);
  return { decision: stored.decision, applied: result.applied, delivery };
}

/**
 * Records a message's moderation decision in the audit trail, without its
 * text. The idempotency key is the message id and decision, so a redelivered
 * stream record stores no second entry.
 */
async function recordDecision(
  audit: AuditLog,
  message: ModeratedMessage & { decision: FinalModerationState },
  originalKept: boolean,
  fallbackAt: string,
): Promise<void> {
  await audit.record({
    roomId: message.roomId,
    idempotencyKey: `moderation:${message.messageId}:${message.decision}`,
    occurredAt: message.moderatedAt ?? fallbackAt,
    actor: { type: 'system', id: 'moderation' },
    action: `moderation.${message.decision}`,
    target: { type: 'message', id: message.messageId },
    details: {
      reasons: [...(message.reasons ?? [])],
      senderType: message.senderType,
      senderId: message.senderId,
      originalKept,
    },
  });
}

export interface AuditModeratedMessageDeps {
  readonly settings: ModerationSettingsRepository;
  readonly audit: AuditLog;
}

/**
 * Records the audit entry of a person's message that sendMessage moderated
 * before storing it (it arrives from the stream already in its final state),
 * off the sender's path: no state change and no delivery, which sendMessage
 * made. The entry is the one moderateMessage records; whether the original
 * was kept follows from the room's settings and the redaction. Returns the
 * decision, or undefined for a message that carries none.
 */
export async function auditModeratedMessage(
  deps: AuditModeratedMessageDeps,
  message: ModeratedMessage,
): Promise<FinalModerationState | undefined> {
  const { decision } = message;
  if (decision === undefined || message.moderation === 'pending') return undefined;
  const redacted = message.redacted === true;
  const keepOriginals = redacted && ((await deps.settings.get(message.roomId)) ?? DEFAULT_MODERATION_SETTINGS).keepOriginals;
  await recordDecision(deps.audit, { ...message, decision }, keepOriginals, message.createdAt);
  return decision;
}
