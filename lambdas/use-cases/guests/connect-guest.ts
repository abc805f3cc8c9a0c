import { PermissionError } from '../../domain/errors';
import { guestAccessOf } from '../../domain/guests';
import type { ConnectionRepository, RoomRepository } from '../../domain/ports';
import type { Connection, Identity } from '../../domain/types';
import { requireLiveRoom } from '../access';

/**
 * Registers a guest's connection, subscribed to the one room the guest's
 * token admits to. The guest becomes a member of that room with the role
 * `guest` (stored once, lapsing with the token: `expiresAt`), which is what
 * lets every existing read of the room (history, the room's page, delivery,
 * moderation) treat them as the guest they are, with no second notion of
 * access. A guest has no profile: nobody can find or invite them.
 *
 * Refused (PermissionError) when the room no longer lets guests in, or is
 * gone: the token was issued while it did.
 */
export async function connectGuest(
  deps: { readonly rooms: RoomRepository; readonly connections: ConnectionRepository },
  guest: Identity & { readonly roomId: string; readonly expiresAt: string },
  connectionId: string,
  connectedAtMs: number,
): Promise<{ connection: Connection; roomIds: string[] }> {
  const room = await requireLiveRoom(deps.rooms, guest.roomId);
  if (guestAccessOf(room) === 'off') throw new PermissionError('This room does not let guests in.');
  const connectedAt = new Date(connectedAtMs).toISOString();
  const existing = await deps.rooms.getMembership(guest.roomId, guest.userId);
  if (existing !== undefined && existing.role !== 'guest') throw new PermissionError('This account is not a guest.');
  if (existing === undefined || existing.expiresAt !== guest.expiresAt) {
    await deps.rooms.putMembership({
      roomId: guest.roomId,
      userId: guest.userId,
      displayName: guest.displayName,
      role: 'guest',
      joinedAt: existing?.joinedAt ?? connectedAt,
      expiresAt: guest.expiresAt,
    });
  }
  const connection: Connection = { connectionId, userId: guest.userId, displayName: guest.displayName, connectedAt };
  await deps.connections.saveConnection(connection, [guest.roomId]);
  return { connection, roomIds: [guest.roomId] };
}
