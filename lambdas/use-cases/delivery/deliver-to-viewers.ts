import { mergeReports, type DeliveryReport } from '../../domain/delivery';
import { isModeratorRole, type Viewer } from '../../domain/message';
import type { RoomRepository } from '../../domain/ports';
import type { Frame } from '../../domain/protocol';
import type { RoomConnection } from '../../domain/types';
import { deliverToRecipients } from './deliver-to-recipients';
import type { DeliverDeps } from './deliver-to-room';

export interface DeliverToViewersDeps extends DeliverDeps {
  /** Read for the room's moderators, when the audiences depend on them. */
  readonly rooms: RoomRepository;
}

/** Which frame each connection of a room gets, decided per viewer. */
export interface ViewerAudiences<A extends string> {
  /** The frame each audience receives. */
  readonly frames: Readonly<Partial<Record<A, Frame>>>;
  /** The audience a viewer belongs to; undefined (or an audience without a frame): that viewer hears nothing. */
  readonly audienceOf: (viewer: Viewer) => A | undefined;
  /** Whether audienceOf needs to know who moderates the room: one more keyed read. */
  readonly needsModerators: boolean;
}

/**
 * Pushes to each live connection of a room the frame its user may receive:
 * the connections are listed once (one keyed query), sorted into audiences,
 * and each audience gets its frame with deliverToRecipients. The room's
 * members are read, alongside, only when the audiences depend on roles.
 *
 * @example
 * // A quarantined message reaches its sender and the room's moderators only.
 * await deliverToViewers(deps, roomId, {
 *   frames: { message: { type: 'message', roomId, message } },
 *   audienceOf: (viewer) => (canSee(message, viewer) ? 'message' : undefined),
 *   needsModerators: true,
 * });
 */
export async function deliverToViewers<A extends string>(
  deps: DeliverToViewersDeps,
  roomId: string,
  audiences: ViewerAudiences<A>,
): Promise<DeliveryReport> {
  const [connections, moderators] = await Promise.all([
    deps.connections.listRoomConnections(roomId),
    audiences.needsModerators
      ? deps.rooms
          .listMembers(roomId)
          .then((members) => new Set(members.filter((m) => isModeratorRole(m.role)).map((m) => m.userId)))
      : Promise.resolve(new Set<string>()),
  ]);

  const recipients = new Map<A, RoomConnection[]>();
  for (const connection of connections) {
    const audience = audiences.audienceOf({ userId: connection.userId, moderator: moderators.has(connection.userId) });
    if (audience === undefined || audiences.frames[audience] === undefined) continue;
    const members = recipients.get(audience);
    if (members) members.push(connection);
    else recipients.set(audience, [connection]);
  }

  const reports = await Promise.all(
    [...recipients].map(([audience, members]) => deliverToRecipients(deps, members, audiences.frames[audience] as Frame)),
  );
  return mergeReports(reports);
}
