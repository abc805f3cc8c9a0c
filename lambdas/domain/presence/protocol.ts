import * as z from 'zod/mini';
import { isMessageId } from '../ids';
import { id, requestId } from '../protocol-fields';

/**
 * Presence, typing and read state in the wire protocol (docs/protocol.md,
 * "Presence, typing and read state").
 */
export const presenceRequestSchemas = {
  /** The caller is typing in a room: its other members hear it for a few seconds. */
  typing: z.object({ requestId, roomId: id }),
  /** The caller has read a room up to this message: their other tabs and devices hear it. */
  markRead: z.object({
    requestId,
    roomId: id,
    messageId: z.string().check(z.refine(isMessageId, { error: 'must be a message id' })),
  }),
  /** The caller's last-read message in each of these rooms. */
  getReadState: z.object({
    requestId,
    roomIds: z.array(id).check(z.minLength(1), z.maxLength(100)),
  }),
} as const;

export type PresenceFrame =
  /** A member of the room came online (first connection) or went offline (last one closed). */
  | { type: 'presence'; roomId: string; userId: string; online: boolean }
  /** A member is typing; show it for `expiresInMs` unless a newer notice renews it. */
  | { type: 'typing'; roomId: string; userId: string; displayName: string; expiresInMs: number }
  /** The caller read the room up to `messageId` on another connection. */
  | { type: 'readState'; roomId: string; messageId: string; readAt: string };
