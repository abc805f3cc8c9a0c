import type { ConnectionRepository, RoomRepository } from '../domain/ports';
import type { Connection, Identity } from '../domain/types';

/**
 * Registers a new connection and subscribes it to every room its user
 * belongs to, so all of a user's tabs and devices receive the same messages.
 */
export async function connectUser(
  deps: { readonly rooms: RoomRepository; readonly connections: ConnectionRepository },
  identity: Identity,
  connectionId: string,
  connectedAtMs: number,
): Promise<Connection> {
  const connection: Connection = {
    connectionId,
    userId: identity.userId,
    displayName: identity.displayName,
    connectedAt: new Date(connectedAtMs).toISOString(),
  };
  const memberships = await deps.rooms.listRoomsOfUser(identity.userId);
  await deps.connections.saveConnection(
    connection,
    memberships.map((m) => m.room.roomId),
  );
  return connection;
}
