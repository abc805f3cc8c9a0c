import * as z from 'zod/mini';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from './policy';
import { id as roomId, pageCursor, requestId } from '../protocol-fields';

/**
 * The retention feature's part of the wire protocol (docs/retention.md):
 * owners set a room's retention and ask for its archive; members read the
 * policy their messages follow.
 */
const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a day written yyyy-mm-dd'));

export const retentionRequestSchemas = {
  setRetention: z.object({
    requestId,
    roomId,
    days: z.union([z.literal('forever'), z.int().check(z.minimum(MIN_RETENTION_DAYS), z.maximum(MAX_RETENTION_DAYS))]),
    /** Keep deleted messages in the archive too; off unless asked for. */
    archiveDeletions: z._default(z.boolean(), false),
  }),
  getRetention: z.object({ requestId, roomId }),
  getArchive: z.object({
    requestId,
    roomId,
    from: day,
    to: day,
    cursor: pageCursor(1024),
    limit: z._default(z.int().check(z.minimum(1), z.maximum(20)), 10),
  }),
} as const;

export type RetentionAction = keyof typeof retentionRequestSchemas;
export type RetentionRequestOf<A extends RetentionAction> = z.output<(typeof retentionRequestSchemas)[A]>;
