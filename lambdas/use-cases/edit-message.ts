import type { AuditLog } from '../domain/audit';
import type { DeliveryReport } from '../domain/delivery';
import { ConflictError, PayloadTooLargeError, ValidationError } from '../domain/errors';
import type { FinalModerationState, ModeratedMessage } from '../domain/message';
import { assertCanEdit } from '../domain/message-edits';
import type { OriginalTextStore } from '../domain/moderation/ports';
import { assertCanPost } from '../domain/permissions';
import type { Clock, MessageRepository } from '../domain/ports';
import type { RequestOf } from '../domain/protocol';
import { isBlank } from '../domain/text';
import type { Identity } from '../domain/types';
import { requireMembership } from './access';
import { checkMessage, type CheckMessageDeps } from './moderation/check-message';
import { deliverChange, type DeliverChangeDeps } from './moderation/deliver-change';
import { mentionsFor } from './resolve-mentions';

export interface EditMessageDeps extends CheckMessageDeps, DeliverChangeDeps {
  readonly messages: MessageRepository;
  /** Where the previous text is kept for moderators, when the room keeps originals. */
  readonly originals: OriginalTextStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly maxTextBytes: number;
  /** How long after sending a message its sender may edit it (see DEFAULT_EDIT_WINDOW_SECONDS). */
  readonly editWindowSeconds: number;
}

export interface EditMessageResult {
  readonly message: ModeratedMessage;
  /** Moderation's decision on the new text. */
  readonly decision: FinalModerationState;
  /** Absent when the text was the same: nothing was stored or told. */
  readonly delivery?: DeliveryReport;
}

/**
 * Replaces the text of one of the caller's messages. The new text passes
 * every check sendMessage makes (size, visible text, membership and role,
 * the room's moderation, synchronously) and is stored with an `editedAt`
 * marker by one conditional write: if the message was edited, hidden,
 * quarantined or deleted since it was read, nothing changes and the caller
 * is told to retry. Mentions are resolved again from the new text.
 *
 * An edit that moderation quarantines or blocks is stored so (the sender and
 * the room's moderators see it flagged) and every other member's client
 * removes the message, as for any change of visibility (deliverChange);
 * otherwise they receive `messageUpdated` carrying `editedAt`. When the room
 * keeps originals, the text members read before the edit (and, if the edit
 * was redacted, the edit as written) is kept for moderators.
 *
 * The edit is not offered to the room's agents again: their stream filter
 * passes a message once, when it first becomes readable (docs/agents.md).
 * Room memory replaces the message's text (its stream filter passes edits).
 */
export async function editMessage(
  deps: EditMessageDeps,
  identity: Identity,
  request: RequestOf<'editMessage'>,
): Promise<EditMessageResult> {
  const bytes = Buffer.byteLength(request.text, 'utf8');
  if (bytes > deps.maxTextBytes) {
    throw new PayloadTooLargeError(`The text is ${bytes} bytes; the limit is ${deps.maxTextBytes}.`);
  }
  if (isBlank(request.text)) throw new ValidationError('The text is empty.');
  const membership = await requireMembership(deps.rooms, request.roomId, identity.userId);
  assertCanPost(membership);
  const before = await deps.messages.getMessage(request.roomId, request.messageId);
  const now = deps.clock.now();
  assertCanEdit(before, identity.userId, now, deps.editWindowSeconds);
  if (request.text === before.text && !before.redacted) {
    return { message: before, decision: before.decision ?? 'allowed' };
  }

  const { settings, verdict, redacted, agentHandles } = await checkMessage(deps, {
    roomId: request.roomId,
    senderType: 'human',
    text: request.text,
  });
  const mentions = await mentionsFor(deps, request.roomId, verdict.text, agentHandles);
  const editedAt = new Date(now).toISOString();
  const after = await deps.messages.editMessage({
    roomId: request.roomId,
    messageId: request.messageId,
    senderId: identity.userId,
    previousEditedAt: before.editedAt,
    editedAt,
    text: verdict.text,
    moderation: verdict.state,
    reasons: verdict.reasons,
    redacted,
    mentions,
  });
  if (!after) throw new ConflictError('The message changed while you were editing it; reload it and try again.');

  // Kept after the message is written, so an original never exists without its edit.
  if (settings.keepOriginals) {
    await deps.originals.put({
      roomId: after.roomId,
      messageId: after.messageId,
      senderId: after.senderId,
      text: request.text,
      previousText: before.text,
      reasons: verdict.reasons,
      keptAt: editedAt,
    });
  }
  await deps.audit.record({
    roomId: after.roomId,
    idempotencyKey: `message:${after.messageId}:edited:${editedAt}`,
    occurredAt: editedAt,
    actor: { type: 'user', id: identity.userId },
    action: 'message.edited',
    target: { type: 'message', id: after.messageId },
    // Never the text: the decision and what the checks found.
    details: { decision: verdict.state, reasons: [...verdict.reasons], originalKept: settings.keepOriginals },
  });
  const delivery = await deliverChange(deps, before, after, after.roomId, after.messageId);
  return { message: after, decision: verdict.state, delivery };
}
