import type { DeliveryReport } from '../../domain/delivery';
import type { Membership, Room } from '../../domain/types';
import type { DeliverDeps } from '../delivery/deliver-to-room';
import { deliverToUser } from '../delivery/deliver-to-user';

/**
 * Tells every live connection of a new member that the room is now theirs
 * (`roomAdded`), so each tab and device lists it at once. Their connections
 * must already be subscribed to the room, so no message sent after this frame
 * can be missed.
 */
export const announceRoomAdded = (deps: DeliverDeps, room: Room, membership: Membership): Promise<DeliveryReport> =>
  deliverToUser(deps, membership.userId, { type: 'roomAdded', room, membership });
