import type { DeliveryReport } from '../domain/delivery';
import { NO_DELIVERY } from '../domain/delivery';
import { ValidationError } from '../domain/errors';
import { assertOwner } from '../domain/permissions';
import type { RequestOf } from '../domain/protocol';
import { applySettings, stampTextSharing, type RoomSetting } from '../domain/room-settings';
import type { Identity, Room } from '../domain/types';
import { requireLiveRoom, requireMembership } from './access';
import { deliverToRoom } from './delivery/deliver-to-room';
import { isoNow, type RoomDeps } from './room-deps';

/**
 * Changes a room's name, topic, visibility, preview, event text sharing or guest access. The owner
 * only: visibility decides who may read the room, so one accountable person
 * holds it (moderators manage people, not the room). Every connection of
 * every member hears `roomUpdated` (all of them receive the room), so each
 * room list shows the new name at once. Values equal to the current ones
 * change nothing and tell nobody.
 *
 * @example
 * await updateRoom(deps, owner, { roomId, topic: '' }); // clears the topic
 */
export async function updateRoom(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'updateRoom'>,
): Promise<{ room: Room; changed: RoomSetting[]; delivery: DeliveryReport }> {
  const { roomId, requestId, ...patch } = request;
  if (Object.values(patch).every((value) => value === undefined)) {
    throw new ValidationError('Nothing to change: give a name, topic, visibility, preview, shareMessageTextInEvents or guestAccess.');
  }
  const actor = await requireMembership(deps.rooms, roomId, identity.userId);
  assertOwner(actor, 'change the room’s settings');
  const current = await requireLiveRoom(deps.rooms, roomId);
  const applied = applySettings(current, patch);
  const { changed } = applied;
  if (changed.length === 0) return { room: applied.room, changed, delivery: NO_DELIVERY };

  const at = isoNow(deps.clock);
  const room = changed.includes('shareMessageTextInEvents') ? stampTextSharing(applied.room, at) : applied.room;
  await deps.rooms.updateRoom(room);
  await deps.audit.record({
    roomId,
    idempotencyKey: `room.updated:${changed.join(',')}:${requestId ?? at}`,
    occurredAt: at,
    actor: { type: 'user', id: identity.userId },
    action: 'room.updated',
    target: { type: 'room', id: roomId },
    // Which settings changed, never the words: a name or topic is free text.
    details: { changed, visibility: room.visibility, ...(changed.includes('guestAccess') ? { guestAccess: room.guestAccess } : {}) },
  });
  const delivery = await deliverToRoom(deps, roomId, { type: 'roomUpdated', room });
  return { room, changed, delivery };
}
