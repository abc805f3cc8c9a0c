import * as z from 'zod/mini';
import { moderationSettingsPatchSchema } from './settings';
import { AUDIT_KINDS } from '../audit';
import { id, messageId, pageCursor, requestId } from '../protocol-fields';

/**
 * Requests of the moderation and audit actions. lambdas/domain/protocol.ts
 * spreads them into `requestSchemas`, so they are parsed at the edge like
 * every other action.
 */
const onMessage = { requestId, roomId: id, messageId };

export const moderationRequestSchemas = {
  hideMessage: z.object(onMessage),
  unhideMessage: z.object(onMessage),
  releaseMessage: z.object(onMessage),
  /** A moderator deletes any message of the room; a member deletes their own (see assertCanDelete). */
  deleteMessage: z.object(onMessage),
  getOriginalMessage: z.object(onMessage),
  getModerationSettings: z.object({ requestId, roomId: id }),
  setModerationSettings: z.object({ requestId, roomId: id, settings: moderationSettingsPatchSchema }),
  getAuditLog: z.object({
    requestId,
    roomId: id,
    cursor: pageCursor(512),
    limit: z._default(z.int().check(z.minimum(1), z.maximum(100)), 50),
    /** Only entries of these kinds: a family (`member` is every `member.*`) or one action. */
    kinds: z.optional(z.array(z.enum(AUDIT_KINDS)).check(z.minLength(1), z.maxLength(AUDIT_KINDS.length))),
    /** Only entries this user, agent or system component did. */
    actorId: z.optional(id),
  }),
  /** The room's messages held for review (quarantined), oldest first. */
  listHeldMessages: z.object({
    requestId,
    roomId: id,
    cursor: pageCursor(64),
    limit: z._default(z.int().check(z.minimum(1), z.maximum(100)), 50),
  }),
} as const;

export type ModerationRequestOf<A extends keyof typeof moderationRequestSchemas> = z.output<
  (typeof moderationRequestSchemas)[A]
>;
