import * as z from 'zod/mini';
import { ROOM_NAME_MAX, ROOM_TOPIC_MAX } from './room-settings';
import { GUEST_ACCESS, VISIBILITIES, type Room } from './types';
import { id, pageCursor, requestId, visibleString, wireString } from './protocol-fields';

/**
 * The room administration part of the wire protocol: settings, deletion,
 * ownership, bans, a room's page (getRoom) and the searchable directory,
 * with the frames that keep every client's room list in step.
 * docs/protocol.md describes each with an example.
 */

const inRoom = { requestId, roomId: id };
const page = (max: number, fallback: number) => ({
  cursor: pageCursor(1024),
  limit: z._default(z.int().check(z.minimum(1), z.maximum(max)), fallback),
});

export const roomRequestSchemas = {
  /**
   * Changes what is given; at least one field. An empty (or blank) `topic`
   * clears it. The owner only.
   */
  updateRoom: z.object({
    ...inRoom,
    name: z.optional(visibleString(ROOM_NAME_MAX)),
    topic: z.optional(wireString().check(z.trim(), z.maxLength(ROOM_TOPIC_MAX))),
    visibility: z.optional(z.enum(VISIBILITIES)),
    preview: z.optional(z.boolean()),
    /** Whether the room's `message.posted` domain events carry the text (docs/events.md). */
    shareMessageTextInEvents: z.optional(z.boolean()),
    /** Whether guests may enter through the widget: `off`, `read` or `post`; public rooms only. */
    guestAccess: z.optional(z.enum(GUEST_ACCESS)),
  }),
  /** Deletes the room for good; `confirm` must repeat its current name. The owner only. */
  deleteRoom: z.object({ ...inRoom, confirm: wireString().check(z.trim(), z.maxLength(ROOM_NAME_MAX)) }),
  /** Hands the room to another member, who becomes owner; the former owner becomes a moderator. */
  transferOwnership: z.object({ ...inRoom, userId: id }),
  banMember: z.object({ ...inRoom, userId: id, reason: z.optional(visibleString(200)) }),
  unbanMember: z.object({ ...inRoom, userId: id }),
  listBans: z.object({ ...inRoom, ...page(100, 50) }),
  /** The room for a member; a preview for anyone else when the room is public. */
  getRoom: z.object(inRoom),
  /** Public rooms whose name starts with `query` (case and width ignored), in name order. */
  searchRooms: z.object({ requestId, query: visibleString(ROOM_NAME_MAX), ...page(100, 20) }),
} as const;

/** Why a room left someone's list. */
export const ROOM_REMOVED_REASONS = ['left', 'removed', 'banned', 'deleted'] as const;
export type RoomRemovedReason = (typeof ROOM_REMOVED_REASONS)[number];

/** Frames about a room as an entry of the user's room list, sent to every connection of the users concerned. */
export type RoomListFrame =
  /** The room's settings changed (name, topic, visibility, preview, guest access or owner): replace it by roomId. */
  | { type: 'roomUpdated'; room: Room }
  /** The room is no longer the user's: drop it and everything shown about it. */
  | { type: 'roomRemoved'; roomId: string; reason: RoomRemovedReason };
