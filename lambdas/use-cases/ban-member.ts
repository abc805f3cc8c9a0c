import type { DeliveryReport } from '../domain/delivery';
import { mergeReports, NO_DELIVERY } from '../domain/delivery';
import { banCursor } from '../domain/cursors';
import { NotFoundError } from '../domain/errors';
import { fitPage } from '../domain/frame-budget';
import { assertCanBan, assertCanManageMembers } from '../domain/permissions';
import type { RequestOf } from '../domain/protocol';
import type { ProfileRepository } from '../domain/people/ports';
import type { Ban, Identity, Page } from '../domain/types';
import { requireLiveRoom, requireMembership } from './access';
import { deliverToRoom } from './delivery/deliver-to-room';
import { deliverToUser } from './delivery/deliver-to-user';
import { isoNow, type RoomDeps } from './room-deps';

export interface BanDeps extends RoomDeps {
  /** Names a banned non-member in the ban list (a member's name comes from the membership). */
  readonly profiles: Pick<ProfileRepository, 'getProfile'>;
}

/**
 * Bans a user from a room (owners and moderators, over lower roles; the
 * user need not be a member). In one transaction the ban is stored and any
 * membership and pending invitation removed. The room hears `memberRemoved`
 * when they were a member; their connections stop receiving the room and
 * each hears `roomRemoved` (reason `banned`). Until unbanned they cannot
 * join, be invited, or post (posting needs a membership). Banning someone
 * already banned changes nothing.
 */
export async function banMember(
  deps: BanDeps,
  identity: Identity,
  request: RequestOf<'banMember'>,
): Promise<{ ban: Ban; alreadyBanned: boolean; delivery: DeliveryReport }> {
  const actor = await requireMembership(deps.rooms, request.roomId, identity.userId);
  const target = await deps.rooms.getMembership(request.roomId, request.userId);
  assertCanBan(actor, request.userId, target);
  await requireLiveRoom(deps.rooms, request.roomId);
  const existing = await deps.rooms.getBan(request.roomId, request.userId);
  if (existing && !target) return { ban: existing, alreadyBanned: true, delivery: NO_DELIVERY };

  const userName = target?.displayName ?? (await deps.profiles.getProfile(request.userId))?.displayName;
  const ban: Ban = {
    roomId: request.roomId,
    userId: request.userId,
    bannedBy: identity.userId,
    bannedAt: isoNow(deps.clock),
    ...(request.reason !== undefined ? { reason: request.reason } : {}),
    ...(userName !== undefined ? { userName } : {}),
  };
  await deps.rooms.banMember(ban);
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `member.banned:${request.userId}:${request.requestId ?? ban.bannedAt}`,
    occurredAt: ban.bannedAt,
    actor: { type: 'user', id: identity.userId },
    action: 'member.banned',
    target: { type: 'member', id: request.userId },
    // The reason is free text: moderators read it on the ban, the audit trail does not keep it.
    details: { wasMember: target !== undefined, ...(target ? { role: target.role } : {}) },
  });
  // Unsubscribed first, so the banned person hears why (roomRemoved) rather than a bare memberRemoved.
  await deps.connections.unsubscribeUser(request.roomId, request.userId);
  const reports: DeliveryReport[] = [];
  if (target) {
    reports.push(
      await deliverToRoom(deps, request.roomId, {
        type: 'roomEvent',
        roomId: request.roomId,
        event: { kind: 'memberRemoved', userId: request.userId, by: identity.userId },
      }),
    );
  }
  reports.push(await deliverToUser(deps, request.userId, { type: 'roomRemoved', roomId: request.roomId, reason: 'banned' }));
  return { ban, alreadyBanned: false, delivery: mergeReports(reports) };
}

/** Lifts a ban (owners and moderators): the user may join or be invited again. */
export async function unbanMember(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'unbanMember'>,
): Promise<{ roomId: string; userId: string }> {
  const actor = await requireMembership(deps.rooms, request.roomId, identity.userId);
  assertCanManageMembers(actor);
  if (!(await deps.rooms.deleteBan(request.roomId, request.userId))) {
    throw new NotFoundError(`User "${request.userId}" is not banned from this room.`);
  }
  const at = isoNow(deps.clock);
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `member.unbanned:${request.userId}:${request.requestId ?? at}`,
    occurredAt: at,
    actor: { type: 'user', id: identity.userId },
    action: 'member.unbanned',
    target: { type: 'member', id: request.userId },
  });
  return { roomId: request.roomId, userId: request.userId };
}

/** A page of the room's bans, in user id order (owners and moderators). */
export async function listBans(
  deps: RoomDeps,
  identity: Identity,
  request: RequestOf<'listBans'>,
): Promise<Page<Ban>> {
  const actor = await requireMembership(deps.rooms, request.roomId, identity.userId);
  assertCanManageMembers(actor);
  const page = await deps.rooms.pageBans(request.roomId, {
    limit: request.limit,
    ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
  });
  return fitPage(page, banCursor);
}
