import * as z from 'zod/mini';
import { moderationSettingsPatchSchema } from './settings';
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
  }),
} as const;

export type ModerationRequestOf<A extends keyof typeof moderationRequestSchemas> = z.output<
  (typeof moderationRequestSchemas)[A]
>;
