import { mergeReports, type DeliveryReport } from '../domain/delivery';
import { NotFoundError, PermissionError } from '../domain/errors';
import { isInvitationLive } from '../domain/people/invitation';
import type { RequestOf } from '../domain/protocol';
import type { Identity, Membership } from '../domain/types';
import { roomDeletedError } from './access';
import { deliverToRoom } from './delivery/deliver-to-room';
import { announceRoomAdded } from './people/room-added';
import { isoNow, type RoomDeps } from './room-deps';

/**
 * Joins a room: anyone may join a public room (as a member, or with the role
 * an invitation names); a private room only with an invitation that has not
 * expired. Joining a room one already belongs to returns the existing
 * membership. The room's members hear `memberJoined`; every connection of
 * the new member gets `roomAdded` (acceptInvitation joins through here too).
 * Nobody joins a deleted room, nor one they are banned from.
 */
export async function joinRoom(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'joinRoom'>,
): Promise<{ membership: Membership; alreadyMember: boolean; delivery?: DeliveryReport }> {
  const existing = await deps.rooms.getMembership(request.roomId, identity.userId);
  if (existing) {
    // A retry of a join whose audit write failed records it now (same key: never twice).
    await recordJoin(deps, existing, undefined);
    return { membership: existing, alreadyMember: true };
  }

  const [room, stored, ban] = await Promise.all([
    deps.rooms.getRoom(request.roomId),
    deps.rooms.getInvitation(request.roomId, identity.userId),
    deps.rooms.getBan(request.roomId, identity.userId),
  ]);
  // An expired invitation grants nothing: not a private room, not its role.
  const invitation = stored && isInvitationLive(stored, deps.clock.now()) ? stored : undefined;
  if (room?.deletedAt !== undefined) throw roomDeletedError(request.roomId);
  if (!room || (room.visibility === 'private' && !invitation && !ban)) {
    throw new NotFoundError(`Room "${request.roomId}" not found.`);
  }
  // A ban outlives the membership it removed: only unbanMember lifts it.
  if (ban) throw new PermissionError('You are banned from this room.');
  const membership: Membership = {
    roomId: room.roomId,
    userId: identity.userId,
    displayName: identity.displayName,
    role: invitation?.role ?? 'member',
    joinedAt: isoNow(deps.clock),
  };
  await deps.rooms.putMembership(membership);
  await recordJoin(deps, membership, invitation !== undefined);
  await deps.connections.subscribeUser(room.roomId, identity.userId);
  const reports = await Promise.all([
    deliverToRoom(deps, room.roomId, {
      type: 'roomEvent',
      roomId: room.roomId,
      event: { kind: 'memberJoined', member: membership },
    }),
    announceRoomAdded(deps, room, membership),
  ]);
  return { membership, alreadyMember: false, delivery: mergeReports(reports) };
}

const recordJoin = (deps: RoomDeps, membership: Membership, invited: boolean | undefined) =>
  deps.audit.record({
    roomId: membership.roomId,
    idempotencyKey: `member.joined:${membership.userId}:${membership.joinedAt}`,
    occurredAt: membership.joinedAt,
    actor: { type: 'user', id: membership.userId },
    action: 'member.joined',
    target: { type: 'member', id: membership.userId },
    details: { role: membership.role, ...(invited !== undefined ? { invited } : {}) },
  });
