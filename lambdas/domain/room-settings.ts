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
  readonly guestAccess?: Room['guestAccess'] | undefined;
}

export const ROOM_SETTINGS = ['name', 'topic', 'visibility', 'preview', 'guestAccess'] as const;
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
