import {
  canSee,
  isPublic,
  type ModeratedMessage,
  type Viewer,
} from '../../domain/message';
import type { ConnectionRepository, RoomRepository } from '../../domain/ports';
import type { Frame } from '../../domain/protocol';
import type { RoomConnection } from '../../domain/types';
import { isModeratorRole } from '../../domain/message';
import { deliverToRoom, type DeliverDeps, type DeliveryReport } from '../deliver-to-room';

export interface DeliverChangeDeps extends DeliverDeps {
  readonly rooms: RoomRepository;
}

/** The message before the change, or who had it: `everyone` for a message already announced to the room. */
export type Before = ModeratedMessage | 'everyone' | undefined;

/** deliverToRoom over a list of connections already read, so each audience costs no further query. */
const fixedRecipients = (connections: ConnectionRepository, recipients: RoomConnection[]): ConnectionRepository => ({
  saveConnection: (connection, roomIds) => connections.saveConnection(connection, roomIds),
  getConnection: (connectionId) => connections.getConnection(connectionId),
  removeConnection: (connectionId) => connections.removeConnection(connectionId),
  listRoomConnections: async () => recipients,
  subscribeUser: (roomId, userId) => connections.subscribeUser(roomId, userId),
  unsubscribeUser: (roomId, userId) => connections.unsubscribeUser(roomId, userId),
});

/**
 * Tells each live connection of a room about a change to a message, as its
 * user may see it: `message` to those who see it for the first time,
 * `messageUpdated` to those who saw it before and still may, and
 * `messageRemoved` to those who saw it before and no longer may. Users who
 * never could and still cannot see it hear nothing, so a quarantined message
 * never reaches a plain member at all.
 *
 * One keyed query lists the room's connections; the room's moderators are
 * read only when the message is withheld before or after the change.
 */
export async function deliverChange(
  deps: DeliverChangeDeps,
  before: Before,
  after: ModeratedMessage | undefined,
  roomId: string,
  messageId: string,
): Promise<DeliveryReport> {
  // Who sees a pending message does not depend on roles; a withheld one does.
  const withheld = (m: ModeratedMessage) => m.moderation !== 'pending' && !isPublic(m);
  const needsModerators =
    (before !== undefined && before !== 'everyone' && withheld(before)) || (after !== undefined && withheld(after));
  const [recipients, moderators] = await Promise.all([
    deps.connections.listRoomConnections(roomId),
    needsModerators
      ? deps.rooms
          .listMembers(roomId)
          .then((members) => new Set(members.filter((m) => isModeratorRole(m.role)).map((m) => m.userId)))
      : Promise.resolve(new Set<string>()),
  ]);

  const audiences = { message: [] as RoomConnection[], messageUpdated: [] as RoomConnection[], messageRemoved: [] as RoomConnection[] };
  for (const recipient of recipients) {
    const viewer: Viewer = { userId: recipient.userId, moderator: moderators.has(recipient.userId) };
    const sawBefore = before === 'everyone' || (before !== undefined && canSee(before, viewer));
    const seesAfter = after !== undefined && canSee(after, viewer);
    if (seesAfter) audiences[sawBefore ? 'messageUpdated' : 'message'].push(recipient);
    else if (sawBefore) audiences.messageRemoved.push(recipient);
  }

  const frames: Array<[RoomConnection[], Frame]> = [];
  if (after) {
    frames.push([audiences.message, { type: 'message', roomId, message: after }]);
    frames.push([audiences.messageUpdated, { type: 'messageUpdated', roomId, message: after }]);
  }
  frames.push([audiences.messageRemoved, { type: 'messageRemoved', roomId, messageId }]);

  const reports = await Promise.all(
    frames
      .filter(([audience]) => audience.length > 0)
      .map(([audience, frame]) =>
        deliverToRoom({ ...deps, connections: fixedRecipients(deps.connections, audience) }, roomId, frame),
      ),
  );
  return reports.reduce(
    (sum, r) => ({
      recipients: sum.recipients + r.recipients,
      delivered: sum.delivered + r.delivered,
      gone: sum.gone + r.gone,
      failed: sum.failed + r.failed,
    }),
    { recipients: 0, delivered: 0, gone: 0, failed: 0 },
  );
}
