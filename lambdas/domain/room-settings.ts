import { ValidationError } from './errors';
import { GUEST_ACCESS_DEFAULT } from './guests';
import { isBlank } from './text';
import type { Room } from './types';

/**
 * The rules of a room's settings (updateRoom) and of finding rooms by name
 * (searchRooms). docs/protocol.md describes them for clients.
 */

/** The longest room name, in characters. */
export const ROOM_NAME_MAX = 100;
/** The longest room topic, in characters. */
export const ROOM_TOPIC_MAX = 300;
/**
 * A public room shows its recent messages to people who have not joined
 * unless its owner turns previews off: anyone may join and read them anyway.
 */
export const ROOM_PREVIEW_DEFAULT = true;
/**
 * A room's domain events carry ids and metadata; a message's text goes on
 * the bus only when its owner opts in (shareMessageTextInEvents).
 */
export const ROOM_SHARE_TEXT_IN_EVENTS_DEFAULT = false;

/** Whether the room's `message.posted` events carry the message's text. */
export const sharesMessageTextInEvents = (room: Pick<Room, 'shareMessageTextInEvents'>): boolean =>
  room.shareMessageTextInEvents ?? ROOM_SHARE_TEXT_IN_EVENTS_DEFAULT;

/**
 * Whether a message posted at `postedAt` may carry its text in events: the
 * room shares text now, and did when the message was posted.
 */
export const sharesTextPostedAt = (room: Pick<Room, 'shareMessageTextInEvents' | 'shareMessageTextInEventsSince'>, postedAt: string): boolean =>
  sharesMessageTextInEvents(room) && room.shareMessageTextInEventsSince !== undefined && postedAt >= room.shareMessageTextInEventsSince;

/** The room with text sharing stamped: since `at` when turned on, unstamped when off. */
export function stampTextSharing(room: Room, at: string): Room {
  const { shareMessageTextInEventsSince: _since, ...rest } = room;
  return sharesMessageTextInEvents(room) ? { ...rest, shareMessageTextInEventsSince: at } : rest;
}

/** How many recent messages a preview shows at most. */
export const PREVIEW_MESSAGES = 20;

/** Whether non-members may read the room's recent messages (a private room never shows them). */
export const showsPreview = (room: Room): boolean =>
  room.visibility === 'public' && (room.preview ?? ROOM_PREVIEW_DEFAULT);

/** The settings updateRoom may change. */
export interface RoomSettingsPatch {
  readonly name?: string | undefined;
  /** Blank clears the topic. */
  readonly topic?: string | undefined;
  readonly visibility?: Room['visibility'] | undefined;
  readonly preview?: boolean | undefined;
  readonly shareMessageTextInEvents?: boolean | undefined;
  readonly guestAccess?: Room['guestAccess'] | undefined;
}

export const ROOM_SETTINGS = ['name', 'topic', 'visibility', 'preview', 'shareMessageTextInEvents', 'guestAccess'] as const;
export type RoomSetting = (typeof ROOM_SETTINGS)[number];

/**
 * The room with `patch` applied, and which settings it actually changed
 * (none when every given value is the current one).
 *
 * Only a public room lets guests in: asking a private room (or one the same
 * patch makes private) to let guests in is refused (ValidationError), and
 * making a room private turns its guest access off, so a later return to
 * public never lets guests in by surprise.
 */
export function applySettings(room: Room, patch: RoomSettingsPatch): { room: Room; changed: RoomSetting[] } {
  const changed: RoomSetting[] = [];
  let next: Room = room;
  if (patch.name !== undefined && patch.name !== room.name) {
    next = { ...next, name: patch.name };
    changed.push('name');
  }
  if (patch.topic !== undefined) {
    const topic = isBlank(patch.topic) ? undefined : patch.topic;
    if (topic !== room.topic) {
      const { topic: _old, ...rest } = next;
      next = topic === undefined ? rest : { ...rest, topic };
      changed.push('topic');
    }
  }
  if (patch.visibility !== undefined && patch.visibility !== room.visibility) {
    next = { ...next, visibility: patch.visibility };
    changed.push('visibility');
  }
  if (patch.preview !== undefined && patch.preview !== (room.preview ?? ROOM_PREVIEW_DEFAULT)) {
    next = { ...next, preview: patch.preview };
    changed.push('preview');
  }
  if (patch.shareMessageTextInEvents !== undefined && patch.shareMessageTextInEvents !== sharesMessageTextInEvents(room)) {
    next = { ...next, shareMessageTextInEvents: patch.shareMessageTextInEvents };
    changed.push('shareMessageTextInEvents');
  }
  const guestAccess = next.visibility === 'private' ? 'off' : (patch.guestAccess ?? next.guestAccess ?? GUEST_ACCESS_DEFAULT);
  if (next.visibility === 'private' && patch.guestAccess !== undefined && patch.guestAccess !== 'off') {
    throw new ValidationError('Only a public room can let guests in; make it public first.');
  }
  if (guestAccess !== (room.guestAccess ?? GUEST_ACCESS_DEFAULT)) {
    next = { ...next, guestAccess };
    changed.push('guestAccess');
  }
  return { room: next, changed };
}
