import { ConflictError, NotFoundError, PermissionError } from './errors';
import { isModeratorRole, isReadable, type ModeratedMessage } from './message';
import type { Membership } from './types';

/**
 * What a member may do to their own messages once sent: edit them for a
 * while, delete them at any time. The edit window is a deployment setting
 * (`editWindowSeconds` in the CDK context, the EDIT_WINDOW_SECONDS variable
 * of the function); this is its default.
 */
export const DEFAULT_EDIT_WINDOW_SECONDS = 15 * 60;

/**
 * Throws unless `userId` may edit `message` at `nowMs`: only its sender (a
 * person), only within `windowSeconds` of when it was sent, and only while
 * every member can read it. A quarantined, blocked or hidden message keeps
 * its text until a moderator acts: editing it would let a sender launder
 * what moderation held back.
 */
export function assertCanEdit(
  message: ModeratedMessage | undefined,
  userId: string,
  nowMs: number,
  windowSeconds: number,
): asserts message is ModeratedMessage {
  if (message === undefined) throw new NotFoundError('Message not found in this room.');
  if (message.senderId !== userId || message.senderType !== 'human') {
    throw new PermissionError('Only its sender can edit a message.');
  }
  if (!isReadable(message)) {
    throw new ConflictError(`A ${message.hidden ? 'hidden' : message.moderation} message cannot be edited.`);
  }
  const ageMs = nowMs - Date.parse(message.createdAt);
  if (ageMs > windowSeconds * 1000) {
    throw new ConflictError(`A message can be edited for ${windowSeconds} seconds after it is sent.`);
  }
}

/**
 * Throws unless `member` may delete `message`: its sender may delete their
 * own message in any state and at any time; the room's moderators may
 * delete any message.
 */
export function assertCanDelete(message: ModeratedMessage, member: Membership): void {
  if (message.senderId === member.userId && message.senderType === 'human') return;
  if (isModeratorRole(member.role)) return;
  throw new PermissionError('Only its sender or a moderator can delete a message.');
}
