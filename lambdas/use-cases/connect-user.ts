import type { ProfileRepository } from '../domain/people/ports';
import type { ConnectionRepository, RoomRepository } from '../domain/ports';
import type { Connection, Identity } from '../domain/types';

/**
 * Registers a new connection and subscribes it to every room its user
 * belongs to, so all of a user's tabs and devices receive the same messages.
 * A user's first connection also creates their profile (with the name from
 * their token), which is what makes them findable and invitable.
 * Resolves the connection and the rooms it was subscribed to, so that
 * presence can tell those rooms without reading them again.
 */
export async function connectUser(
  deps: {
    readonly rooms: RoomRepository;
    readonly connections: ConnectionRepository;
    readonly profiles: Pick<ProfileRepository, 'ensureProfile'>;
  },
  identity: Identity,
  connectionId: string,
  connectedAtMs: number,
): Promise<{ connection: Connection; roomIds: string[] }> {
  const connection: Connection = {
    connectionId,
    userId: identity.userId,
    displayName: identity.displayName,
    connectedAt: new Date(connectedAtMs).toISOString(),
  };
  const [memberships] = await Promise.all([
    deps.rooms.listRoomsOfUser(identity.userId),
    deps.profiles.ensureProfile({
      userId: identity.userId,
      displayName: identity.displayName,
      createdAt: connection.connectedAt,
    }),
  ]);
  const roomIds = memberships.map((m) => m.room.roomId);
  await deps.connections.saveConnection(connection, roomIds);
  return { connection, roomIds };
}
