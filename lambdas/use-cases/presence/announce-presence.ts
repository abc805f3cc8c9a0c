import { settleWithConcurrency } from '../../domain/concurrency';
import { mergeReports, NO_DELIVERY, type DeliveryReport } from '../../domain/delivery';
import type { Clock, RoomRepository } from '../../domain/ports';
import type { PresenceRepository } from '../../domain/presence/ports';
import { decidePresence, type PresenceDecision, type PresenceState } from '../../domain/presence/presence';
import { deliverToRecipients } from '../delivery/deliver-to-recipients';
import type { DeliverDeps } from '../delivery/deliver-to-room';

export interface PresenceDeps extends DeliverDeps {
  readonly rooms: RoomRepository;
  readonly presence: PresenceRepository;
  readonly clock: Clock;
  /** Rooms whose connections are listed at once (default 8). */
  readonly roomConcurrency?: number;
}

export interface PresenceOutcome {
  readonly decision: PresenceDecision;
  /** False when a later change of the count took over the announcement. */
  readonly claimed: boolean;
  readonly delivery?: DeliveryReport;
}

/**
 * Tells every room of the user that they came online or went offline, when
 * the count's latest change calls for it (decidePresence): the announcement
 * is first claimed against the count's version, so of two changes racing,
 * only the later one speaks, and a second tab says nothing. Each room's
 * live connections hear one `presence` frame, except the user's own.
 * The user's rooms are read only when the caller did not just read them
 * (`roomIds`).
 */
export async function announcePresence(
  deps: PresenceDeps,
  state: PresenceState,
  roomIds?: readonly string[],
): Promise<PresenceOutcome> {
  const decision = decidePresence(state, deps.clock.now());
  if (decision.kind !== 'announce') return { decision, claimed: false };
  const claimed = await deps.presence.claimAnnouncement(state.userId, state.version, decision.online, decision.tat);
  if (!claimed) return { decision, claimed };

  const rooms = roomIds ?? (await deps.rooms.listRoomsOfUser(state.userId)).map((m) => m.room.roomId);
  const outcomes = await settleWithConcurrency(rooms, deps.roomConcurrency ?? 8, async (roomId) => {
    const connections = await deps.connections.listRoomConnections(roomId);
    const others = connections.filter((c) => c.userId !== state.userId);
    if (others.length === 0) return NO_DELIVERY;
    return deliverToRecipients(deps, others, {
      type: 'presence',
      roomId,
      userId: state.userId,
      online: decision.online,
    });
  });
  const failedRoom = outcomes.find((o) => o.status === 'rejected');
  if (failedRoom) throw failedRoom.reason;
  const delivery = mergeReports(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : NO_DELIVERY)));
  return { decision, claimed, delivery };
}
