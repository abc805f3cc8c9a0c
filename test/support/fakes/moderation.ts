import type { AuditEntry, AuditLog } from '../../../lambdas/domain/audit';
import type { ModeratedMessage } from '../../../lambdas/domain/message';
import type {
  ApplyDecisionResult,
  Decision,
  HeldMarker,
  HeldQueue,
  ModeratedMessageStore,
} from '../../../lambdas/domain/moderation/ports';
import type { Page } from '../../../lambdas/domain/types';
import { FakeAudit, FakeClock, FakeConnections, FakeGateway, FakeOriginals, FakeRooms, FakeSettings } from './chat';

export { FakeAudit, FakeOriginals, FakeSettings };

/**
 * Moderated messages in memory, with the same conditional semantics as the
 * DynamoDB store. `manyReads` lists the ids each getMany asked for.
 */
export class FakeModeratedMessages implements ModeratedMessageStore {
  readonly manyReads: string[][] = [];
  readonly items = new Map<string, ModeratedMessage>();
  private key = (roomId: string, messageId: string) => `${roomId}|${messageId}`;

  put(message: ModeratedMessage) {
    this.items.set(this.key(message.roomId, message.messageId), message);
  }
  async get(roomId: string, messageId: string) {
    return this.items.get(this.key(roomId, messageId));
  }
  async applyDecision(roomId: string, messageId: string, d: Decision): Promise<ApplyDecisionResult> {
    const current = this.items.get(this.key(roomId, messageId));
    if (!current || current.moderation !== 'pending') return current ? { applied: false, current } : { applied: false };
    const message: ModeratedMessage = {
      ...current,
      moderation: d.state,
      decision: d.state,
      text: d.text,
      reasons: [...d.reasons],
      moderatedAt: d.decidedAt,
      ...(d.redacted ? { redacted: true } : {}),
    };
    this.put(message);
    return { applied: true, message };
  }
  async setHidden(roomId: string, messageId: string, hidden: { by: string; at: string } | undefined) {
    const current = this.items.get(this.key(roomId, messageId));
    if (!current || (hidden ? current.hidden : !current.hidden)) return undefined;
    const { hidden: _old, ...rest } = current;
    const message: ModeratedMessage = hidden ? { ...rest, hidden } : rest;
    this.put(message);
    return message;
  }
  async release(roomId: string, messageId: string, to: 'allowed' | 'redacted', by: string) {
    const current = this.items.get(this.key(roomId, messageId));
    if (current?.moderation !== 'quarantined') return undefined;
    const message: ModeratedMessage = { ...current, moderation: to, releasedBy: by };
    this.put(message);
    return message;
  }
  async getMany(roomId: string, messageIds: readonly string[]) {
    this.manyReads.push([...messageIds]);
    return messageIds.flatMap((id) => this.items.get(this.key(roomId, id)) ?? []);
  }
  async delete(roomId: string, messageId: string) {
    const current = this.items.get(this.key(roomId, messageId));
    this.items.delete(this.key(roomId, messageId));
    return current;
  }
}

/**
 * Review queues in memory, ordered by message id as the moderation table's
 * sort key orders them. `pages` counts the pages read; `now` (epoch seconds)
 * is the clock markers expire by.
 */
export class FakeHeldQueue implements HeldQueue {
  readonly markers = new Map<string, HeldMarker>();
  pages = 0;
  now = 1_800_000_000;
  private key = (roomId: string, messageId: string) => `${roomId}|${messageId}`;

  private writes = 0;

  async hold({ version: _version, ...marker }: HeldMarker) {
    this.writes += 1;
    this.markers.set(this.key(marker.roomId, marker.messageId), { ...marker, version: `v${this.writes}` });
  }
  async drop(roomId: string, messageId: string) {
    this.markers.delete(this.key(roomId, messageId));
  }
  async dropIfUnchanged(marker: HeldMarker) {
    const key = this.key(marker.roomId, marker.messageId);
    if (this.markers.get(key)?.version !== marker.version) return false;
    return this.markers.delete(key);
  }
  async page(roomId: string, options: { limit: number; cursor?: string }): Promise<Page<HeldMarker>> {
    this.pages += 1;
    const after = [...this.markers.values()]
      .filter((m) => m.roomId === roomId && (options.cursor === undefined || m.messageId > options.cursor))
      .sort((a, b) => (a.messageId < b.messageId ? -1 : 1));
    const read = after.slice(0, options.limit);
    const items = read.filter((m) => m.expiresAt === undefined || m.expiresAt >= this.now);
    return after.length > options.limit ? { items, nextCursor: read.at(-1)!.messageId } : { items };
  }
  /** The ids of a room's markers, oldest first. */
  idsOf(roomId: string): string[] {
    return [...this.markers.values()]
      .filter((m) => m.roomId === roomId)
      .map((m) => m.messageId)
      .sort();
  }
}

export const ROOM = 'room-1';

/**
 * A room with an owner (olga), a moderator (mo), a sender (sam) and a plain
 * member (mia), each with one live connection named after them.
 */
export async function moderationWorld() {
  const rooms = new FakeRooms();
  const connections = new FakeConnections();
  const gateway = new FakeGateway();
  const clock = new FakeClock();
  const messages = new FakeModeratedMessages();
  const originals = new FakeOriginals();
  const settings = new FakeSettings();
  const audit = new FakeAudit();
  const now = new Date(clock.now()).toISOString();
  await rooms.createRoom(
    { roomId: ROOM, name: 'lobby', visibility: 'public', ownerId: 'olga', createdAt: now },
    { roomId: ROOM, userId: 'olga', displayName: 'Olga', role: 'owner', joinedAt: now },
  );
  for (const [userId, role] of [
    ['mo', 'moderator'],
    ['sam', 'member'],
    ['mia', 'member'],
  ] as const) {
    await rooms.putMembership({ roomId: ROOM, userId, displayName: userId, role, joinedAt: now });
  }
  for (const userId of ['olga', 'mo', 'sam', 'mia']) {
    await connections.saveConnection({ connectionId: `c-${userId}`, userId, displayName: userId, connectedAt: now }, [ROOM]);
  }
  const deps = { rooms, connections, gateway, clock, messages, originals, settings, audit };
  const framesOf = (userId: string) => gateway.framesFor(`c-${userId}`) as Array<Record<string, unknown>>;
  return { ...deps, deps, framesOf };
}

let sequence = 0;
export const pendingMessage = (text: string, patch: Partial<ModeratedMessage> = {}): ModeratedMessage => {
  sequence += 1;
  return {
    roomId: ROOM,
    messageId: `01JD2Z8Q4M3V9X0K7F2B6C${String(sequence).padStart(4, '0')}`.slice(0, 26),
    senderId: 'sam',
    senderName: 'Sam',
    senderType: 'human',
    text,
    createdAt: '2026-11-21T12:00:00.000Z',
    moderation: 'pending',
    ...patch,
  };
};
