import type { AuditRecord } from './audit';
import { foldName } from './names';
import type { Membership, Room } from './types';

/**
 * Where the next page of each listing starts. A cursor is made from the last
 * item of a page, so a page cut short to fit in one WebSocket message
 * (frame-budget.ts) continues exactly after the last item it kept. The
 * adapters issue the same cursors and read them back into keys, accepting
 * only what these functions produce.
 */

/** A room's members, in user id order: the last member's user id. */
export const memberCursor = (member: Pick<Membership, 'userId'>): string => member.userId;

/** The rooms a user belongs to, in room id order: the last room's id. */
export const roomOfUserCursor = (room: Pick<Room, 'roomId'>): string => room.roomId;

/** Public rooms, newest first: the last room's creation time and id. */
export const publicRoomCursor = (room: Pick<Room, 'createdAt' | 'roomId'>): string => `${room.createdAt}#${room.roomId}`;

/** Rooms found by name, in name order: the last room's folded name and id (the byName index's sort key). */
export const roomNameCursor = (room: Pick<Room, 'name' | 'roomId'>): string => `${foldName(room.name)}#${room.roomId}`;

/** A room's bans, in user id order: the last banned user's id. */
export const banCursor = (ban: { readonly userId: string }): string => ban.userId;

/** A room's agents, in handle order: the last agent's handle. */
export const agentCursor = (agent: { readonly handle: string }): string => agent.handle;

/** A room's audit trail, newest first: the last entry's time and id. */
export const auditCursor = (record: Pick<AuditRecord, 'occurredAt' | 'entryId'>): string =>
  `${record.occurredAt}#${record.entryId}`;

/** Splits a `<time>#<id>` cursor; undefined when it is not one. */
export function parseTimedCursor(cursor: string): { at: string; id: string } | undefined {
  const hash = cursor.lastIndexOf('#');
  if (hash <= 0 || hash === cursor.length - 1) return undefined;
  const at = cursor.slice(0, hash);
  const id = cursor.slice(hash + 1);
  if (Number.isNaN(Date.parse(at)) || at.includes('#')) return undefined;
  return { at, id };
}
