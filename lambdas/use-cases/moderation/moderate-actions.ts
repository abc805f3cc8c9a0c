import type { DeliveryReport } from '../../domain/delivery';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { ModeratedMessage } from '../../domain/message';
import { assertCanDelete } from '../../domain/message-edits';
import { assertCanModerate } from '../../domain/moderation/permissions';
import type { ModerationRequestOf } from '../../domain/moderation/requests';
import type { Identity } from '../../domain/types';
import { requireMembership } from '../access';
import { deliverChange } from './deliver-change';
import type { ModerationActionDeps } from './moderation-deps';

type OnMessage = ModerationRequestOf<'hideMessage'>;

export interface ModeratorActionResult {
  readonly message?: ModeratedMessage;
  /** False when the message already was in the requested state: nothing changed or was recorded. */
  readonly changed: boolean;
  /** How the change reached the room's connections, when there was one to tell. */
  readonly delivery?: DeliveryReport;
}

const iso = (deps: ModerationActionDeps) => new Date(deps.clock.now()).toISOString();

async function moderatorAndMessage(deps: ModerationActionDeps, identity: Identity, request: OnMessage) {
  const actor = await requireMembership(deps.rooms, request.roomId, identity.userId);
  assertCanModerate(actor);
  const message = await deps.messages.get(request.roomId, request.messageId);
  if (!message) throw new NotFoundError(`Message "${request.messageId}" not found in this room.`);
  return message;
}

/**
 * Hides a message from everyone but its sender and the room's moderators;
 * the others' clients receive `messageRemoved`. Hiding a hidden message
 * changes nothing.
 */
export async function hideMessage(
  deps: ModerationActionDeps,
  identity: Identity,
  request: OnMessage,
): Promise<ModeratorActionResult> {
  const before = await moderatorAndMessage(deps, identity, request);
  const after = await deps.messages.setHidden(request.roomId, request.messageId, { by: identity.userId, at: iso(deps) });
  if (!after?.hidden) return { message: before, changed: false };
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `message:${request.messageId}:hidden:${after.hidden.at}`,
    occurredAt: after.hidden.at,
    actor: { type: 'user', id: identity.userId },
    action: 'message.hidden',
    target: { type: 'message', id: request.messageId },
  });
  const delivery = await deliverChange(deps, before, after, request.roomId, request.messageId);
  return { message: after, changed: true, delivery };
}

/** Shows a hidden message again to everyone who may see it. */
export async function unhideMessage(
  deps: ModerationActionDeps,
  identity: Identity,
  request: OnMessage,
): Promise<ModeratorActionResult> {
  const before = await moderatorAndMessage(deps, identity, request);
  if (!before.hidden) return { message: before, changed: false };
  const after = await deps.messages.setHidden(request.roomId, request.messageId, undefined);
  if (!after) return { message: before, changed: false };
  const at = iso(deps);
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `message:${request.messageId}:unhidden:${before.hidden.at}`,
    occurredAt: at,
    actor: { type: 'user', id: identity.userId },
    action: 'message.unhidden',
    target: { type: 'message', id: request.messageId },
  });
  const delivery = await deliverChange(deps, before, after, request.roomId, request.messageId);
  return { message: after, changed: true, delivery };
}

/**
 * Releases a quarantined message: it becomes visible to the whole room
 * (redacted if moderation redacted parts of it). It does not reach the
 * room's agents, which only ever take messages fresh from moderation.
 */
export async function releaseMessage(
  deps: ModerationActionDeps,
  identity: Identity,
  request: OnMessage,
): Promise<ModeratorActionResult> {
  const before = await moderatorAndMessage(deps, identity, request);
  if (before.moderation !== 'quarantined') {
    throw new ConflictError(`Only a quarantined message can be released; this one is ${before.moderation}.`);
  }
  const to = before.redacted ? 'redacted' : 'allowed';
  const after = await deps.messages.release(request.roomId, request.messageId, to, identity.userId);
  if (!after) throw new ConflictError('The message was released or deleted meanwhile.');
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `message:${request.messageId}:released`,
    occurredAt: iso(deps),
    actor: { type: 'user', id: identity.userId },
    action: 'message.released',
    target: { type: 'message', id: request.messageId },
    details: { to },
  });
  const delivery = await deliverChange(deps, before, after, request.roomId, request.messageId);
  return { message: after, changed: true, delivery };
}

/**
 * Deletes a message and any original kept of it; every client that showed it
 * removes it (`messageRemoved`). Its sender may delete their own message, in
 * any state and at any time; the room's moderators any message. The item is
 * removed, not tombstoned: history and members who join later see nothing
 * where it was, and room memory forgets it (the stream's REMOVE).
 */
export async function deleteMessage(
  deps: ModerationActionDeps,
  identity: Identity,
  request: OnMessage,
): Promise<ModeratorActionResult> {
  const actor = await requireMembership(deps.rooms, request.roomId, identity.userId);
  const message = await deps.messages.get(request.roomId, request.messageId);
  if (!message) throw new NotFoundError(`Message "${request.messageId}" not found in this room.`);
  assertCanDelete(message, actor);
  const deleted = await deps.messages.delete(request.roomId, request.messageId);
  if (!deleted) return { changed: false };
  await deps.originals.delete(request.roomId, request.messageId);
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `message:${request.messageId}:deleted`,
    occurredAt: iso(deps),
    actor: { type: 'user', id: identity.userId },
    action: 'message.deleted',
    target: { type: 'message', id: request.messageId },
    details: {
      senderId: deleted.senderId,
      moderation: deleted.moderation,
      by: deleted.senderId === identity.userId ? 'sender' : 'moderator',
    },
  });
  const delivery = await deliverChange(deps, deleted, undefined, request.roomId, request.messageId);
  return { changed: true, delivery };
}

/**
 * The text a moderated message had before moderation changed it, and for an
 * edited message the text members read before its latest edit, for the
 * room's moderators only. Each reading is recorded in the audit trail.
 */
export async function getOriginalMessage(
  deps: ModerationActionDeps,
  identity: Identity,
  request: OnMessage,
): Promise<{ messageId: string; text: string; previousText?: string; reasons: readonly string[]; keptAt: string }> {
  const message = await moderatorAndMessage(deps, identity, request);
  const kept = message.redacted === true || message.editedAt !== undefined;
  const original = kept ? await deps.originals.get(request.roomId, request.messageId) : undefined;
  if (!original) throw new NotFoundError('No original is kept for this message.');
  const at = iso(deps);
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `message:${request.messageId}:originalViewed:${identity.userId}:${at}`,
    occurredAt: at,
    actor: { type: 'user', id: identity.userId },
    action: 'moderation.originalViewed',
    target: { type: 'message', id: request.messageId },
  });
  return {
    messageId: original.messageId,
    text: original.text,
    ...(original.previousText !== undefined ? { previousText: original.previousText } : {}),
    reasons: original.reasons,
    keptAt: original.keptAt,
  };
}
