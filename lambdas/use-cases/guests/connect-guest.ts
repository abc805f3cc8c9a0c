import { PermissionError } from '../../domain/errors';
import { guestAccessOf } from '../../domain/guests';
import type { AuditLog } from '../../domain/audit';
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
 * A guest's arrival is audited as a join (`member.joined`, role `guest`),
 * once per guest: a renewal or a reconnection is not a new arrival.
 *
 * Refused (PermissionError) when the room no longer lets guests in, or is
 * gone: the token was issued while it did.
 */
export async function connectGuest(
  deps: { readonly rooms: RoomRepository; readonly connections: ConnectionRepository; readonly audit: AuditLog },
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
    const joinedAt = existing?.joinedAt ?? connectedAt;
    await deps.rooms.putMembership({
      roomId: guest.roomId,
      userId: guest.userId,
      displayName: guest.displayName,
      role: 'guest',
      joinedAt,
      expiresAt: guest.expiresAt,
    });
    // Keyed by the first arrival, as a join is: a retry or a renewal records nothing new.
    await deps.audit.record({
      roomId: guest.roomId,
      idempotencyKey: `member.joined:${guest.userId}:${joinedAt}`,
      occurredAt: joinedAt,
      actor: { type: 'user', id: guest.userId },
      action: 'member.joined',
      target: { type: 'member', id: guest.userId },
      details: { role: 'guest' },
    });
  }
  const connection: Connection = { connectionId, userId: guest.userId, displayName: guest.displayName, connectedAt };
  await deps.connections.saveConnection(connection, [guest.roomId]);
  return { connection, roomIds: [guest.roomId] };
}
