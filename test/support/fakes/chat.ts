import type {
  Clock,
  ConnectionGateway,
  ConnectionRepository,
  HistoryQuery,
  MessageRepository,
  PageQuery,
  PostOutcome,
  RateLimiter,
  RoomRepository,
  SaveResult,
} from '../../../lambdas/domain/ports';
import type {
  Connection,
  Invitation,
  Membership,
  Page,
  Room,
  RoomConnection,
} from '../../../lambdas/domain/types';
import type {
  ModerationSettingsRepository,
  OriginalText,
  OriginalTextStore,
} from '../../../lambdas/domain/moderation/ports';
import type { ModerationSettings } from '../../../lambdas/domain/moderation/settings';
import type { ModeratedMessage } from '../../../lambdas/domain/message';
import type { RetentionPeriod } from '../../../lambdas/domain/retention/policy';
import type { RetentionLookup } from '../../../lambdas/domain/retention/ports';
import type { AuditEntry, AuditLog } from '../../../lambdas/domain/audit';
import { createIdGenerator } from '../../../lambdas/domain/ids';
import { memberCursor, publicRoomCursor, roomOfUserCursor } from '../../../lambdas/domain/cursors';
import type { RoomDeps } from '../../../lambdas/use-cases/room-deps';
import { FakePresence } from './presence';

/**
 * A page of `items` sorted by their cursors, as DynamoDB pages a key range:
 * after `cursor`, at most `limit`, and a next cursor whenever the page is full.
 */
export function pageOf<T>(
  items: readonly T[],
  cursorOf: (item: T) => string,
  query: PageQuery,
  order: 'ascending' | 'descending' = 'ascending',
): Page<T> {
  const sign = order === 'ascending' ? 1 : -1;
  const sorted = [...items].sort((a, b) => sign * cursorOf(a).localeCompare(cursorOf(b)));
  const rest = sorted.filter((item) => query.cursor === undefined || sign * cursorOf(item).localeCompare(query.cursor) > 0);
  const page = rest.slice(0, query.limit);
  return page.length === query.limit ? { items: page, nextCursor: cursorOf(page.at(-1)!) } : { items: page };
}

/** In-memory implementations of the ports, for use-case tests. */
export class FakeRooms implements RoomRepository {
  readonly rooms = new Map<string, Room>();
  readonly members = new Map<string, Membership>();
  readonly invitations = new Map<string, Invitation>();

  private key = (roomId: string, userId: string) => `${roomId}|${userId}`;

  async createRoom(room: Room, owner: Membership) {
    this.rooms.set(room.roomId, room);
    this.members.set(this.key(room.roomId, owner.userId), owner);
  }
  async getRoom(roomId: string) {
    return this.rooms.get(roomId);
  }
  async getMembership(roomId: string, userId: string) {
    return this.members.get(this.key(roomId, userId));
  }
  async putMembership(m: Membership) {
    this.members.set(this.key(m.roomId, m.userId), m);
    this.invitations.delete(this.key(m.roomId, m.userId));
  }
  async renameMember(roomId: string, userId: string, displayName: string) {
    const existing = this.members.get(this.key(roomId, userId));
    if (!existing) return undefined;
    const renamed = { ...existing, displayName };
    this.members.set(this.key(roomId, userId), renamed);
    return renamed;
  }
  async deleteMembership(roomId: string, userId: string) {
    this.members.delete(this.key(roomId, userId));
  }
  async listMembers(roomId: string) {
    return [...this.members.values()].filter((m) => m.roomId === roomId);
  }
  async listRoomsOfUser(userId: string) {
    return [...this.members.values()]
      .filter((m) => m.userId === userId)
      .map((membership) => ({ room: this.rooms.get(membership.roomId)!, membership }));
  }
  async pageMembers(roomId: string, page: PageQuery): Promise<Page<Membership>> {
    return pageOf(await this.listMembers(roomId), memberCursor, page);
  }
  async pageRoomsOfUser(userId: string, page: PageQuery) {
    return pageOf(await this.listRoomsOfUser(userId), ({ room }) => roomOfUserCursor(room), page);
  }
  async listPublicRooms(limit: number, cursor?: string): Promise<Page<Room>> {
    const all = [...this.rooms.values()].filter((r) => r.visibility === 'public');
    return pageOf(all, publicRoomCursor, { limit, ...(cursor !== undefined ? { cursor } : {}) }, 'descending');
  }
  async putInvitation(i: Invitation) {
    this.invitations.set(this.key(i.roomId, i.userId), i);
  }
  async getInvitation(roomId: string, userId: string) {
    return this.invitations.get(this.key(roomId, userId));
  }
}

export class FakeMessages implements MessageRepository {
  readonly messages: ModeratedMessage[] = [];
  /** The expiry each stored message was given, by message id. */
  readonly expiries = new Map<string, number | undefined>();
  private readonly dedupe = new Map<string, ModeratedMessage>();

  async saveMessage(message: ModeratedMessage & { clientMessageId: string }, expiresAt?: number): Promise<SaveResult> {
    const key = `${message.roomId}|${message.senderId}|${message.clientMessageId}`;
    const existing = this.dedupe.get(key);
    if (existing) return { stored: false, existing };
    this.dedupe.set(key, message);
    this.messages.push(message);
    this.expiries.set(message.messageId, expiresAt);
    return { stored: true };
  }
  async getHistory(roomId: string, query: HistoryQuery): Promise<Page<ModeratedMessage>> {
    const sorted = this.messages
      .filter((m) => m.roomId === roomId)
      .sort((a, b) => a.messageId.localeCompare(b.messageId));
    if (query.direction === 'forward') {
      const rest = sorted.filter((m) => query.cursor === undefined || m.messageId > query.cursor);
      const items = rest.slice(0, query.limit);
      return rest.length > query.limit ? { items, nextCursor: items.at(-1)!.messageId } : { items };
    }
    const older = sorted.filter((m) => query.cursor === undefined || m.messageId < query.cursor);
    const items = older.slice(-query.limit);
    return older.length > query.limit ? { items, nextCursor: items[0]!.messageId } : { items };
  }
}

export class FakeConnections implements ConnectionRepository {
  readonly connections = new Map<string, Connection>();
  readonly subscriptions = new Map<string, Set<string>>(); // roomId -> connectionIds
  readonly removed: string[] = [];

  async saveConnection(connection: Connection, roomIds: readonly string[]) {
    this.connections.set(connection.connectionId, connection);
    for (const roomId of roomIds) this.subscribe(roomId, connection.connectionId);
  }
  async getConnection(connectionId: string) {
    return this.connections.get(connectionId);
  }
  async removeConnection(connectionId: string) {
    this.removed.push(connectionId);
    this.connections.delete(connectionId);
    for (const subs of this.subscriptions.values()) subs.delete(connectionId);
  }
  async listRoomConnections(roomId: string): Promise<RoomConnection[]> {
    return [...(this.subscriptions.get(roomId) ?? [])].map((connectionId) => ({
      connectionId,
      userId: this.connections.get(connectionId)?.userId ?? 'unknown',
    }));
  }
  async listUserConnections(userId: string): Promise<RoomConnection[]> {
    return [...this.connections.values()]
      .filter((c) => c.userId === userId)
      .map((c) => ({ connectionId: c.connectionId, userId }));
  }
  async subscribeUser(roomId: string, userId: string) {
    for (const c of this.connections.values()) if (c.userId === userId) this.subscribe(roomId, c.connectionId);
  }
  async renameUser(userId: string, displayName: string) {
    for (const c of this.connections.values()) {
      if (c.userId === userId) this.connections.set(c.connectionId, { ...c, displayName });
    }
  }
  async unsubscribeUser(roomId: string, userId: string) {
    for (const c of this.connections.values()) {
      if (c.userId === userId) this.subscriptions.get(roomId)?.delete(c.connectionId);
    }
  }
  private subscribe(roomId: string, connectionId: string) {
    const subs = this.subscriptions.get(roomId) ?? new Set<string>();
    subs.add(connectionId);
    this.subscriptions.set(roomId, subs);
  }
}

/** Records posts; connections listed in `gone` answer 410, in `failing` throw as the SDK does on a throttled post (429). */
export class FakeGateway implements ConnectionGateway {
  readonly posts: Array<{ connectionId: string; frame: unknown }> = [];
  readonly gone = new Set<string>();
  readonly failing = new Set<string>();

  async post(connectionId: string, payload: string): Promise<PostOutcome> {
    if (this.failing.has(connectionId)) {
      throw Object.assign(new Error('throttled'), { name: 'LimitExceededException', $metadata: { httpStatusCode: 429 } });
    }
    if (this.gone.has(connectionId)) return 'gone';
    this.posts.push({ connectionId, frame: JSON.parse(payload) });
    return 'delivered';
  }
  framesFor(connectionId: string): unknown[] {
    return this.posts.filter((p) => p.connectionId === connectionId).map((p) => p.frame);
  }
}

export class FakeRateLimiter implements RateLimiter {
  constructor(public allow = true) {}
  readonly calls: string[] = [];
  async tryAcquire(key: string) {
    this.calls.push(key);
    return this.allow;
  }
}

export class FakeClock implements Clock {
  constructor(public ms = Date.UTC(2026, 10, 21, 12, 0, 0)) {}
  now() {
    return this.ms;
  }
  advance(ms: number) {
    this.ms += ms;
  }
}

/** Originals kept for moderators, in memory. */
export class FakeOriginals implements OriginalTextStore {
  readonly items = new Map<string, OriginalText>();
  async put(original: OriginalText) {
    this.items.set(`${original.roomId}|${original.messageId}`, original);
  }
  async get(roomId: string, messageId: string) {
    return this.items.get(`${roomId}|${messageId}`);
  }
  async delete(roomId: string, messageId: string) {
    this.items.delete(`${roomId}|${messageId}`);
  }
}

/** Rooms' moderation settings; a room without an entry uses the defaults. */
export class FakeSettings implements ModerationSettingsRepository {
  readonly items = new Map<string, ModerationSettings>();
  /** Rooms counted as having agents (the count the agents' repository keeps on the settings item). */
  readonly roomsWithAgents = new Set<string>();
  async get(roomId: string) {
    return this.items.get(roomId);
  }
  async getForCheck(roomId: string) {
    const settings = this.items.get(roomId);
    return { ...(settings ? { settings } : {}), hasAgents: this.roomsWithAgents.has(roomId) };
  }
  async put(roomId: string, settings: ModerationSettings) {
    this.items.set(roomId, settings);
  }
}

/** Keeps one entry per (room, idempotency key), like the DynamoDB audit log. */
export class FakeAudit implements AuditLog {
  readonly entries: AuditEntry[] = [];
  async record(entry: AuditEntry) {
    if (this.entries.some((e) => e.roomId === entry.roomId && e.idempotencyKey === entry.idempotencyKey)) return;
    this.entries.push(entry);
  }
}

/** Rooms' retention policies: `days` by room, kept forever otherwise; rooms in `failingRooms` cannot be read. */
export class FakeRetention implements RetentionLookup {
  readonly days = new Map<string, RetentionPeriod>();
  readonly failingRooms = new Set<string>();
  async retentionOf(roomId: string) {
    if (this.failingRooms.has(roomId)) throw new Error('retention unavailable');
    const days = this.days.get(roomId);
    return days === undefined
      ? { days: 'forever' as const, archiveDeletions: false, source: 'default' as const }
      : { days, archiveDeletions: false, source: 'room' as const };
  }
}

/** A world of fakes wired the way the handlers wire the adapters. */
export function fakeWorld() {
  const rooms = new FakeRooms();
  const messages = new FakeMessages();
  const connections = new FakeConnections();
  const gateway = new FakeGateway();
  const rateLimiter = new FakeRateLimiter();
  const clock = new FakeClock();
  const nextId = createIdGenerator();
  const audit = new FakeAudit();
  const roomDeps: RoomDeps = { rooms, connections, gateway, clock, nextId, audit };
  const settings = new FakeSettings();
  const originals = new FakeOriginals();
  const retention = new FakeRetention();
  const presence = new FakePresence();
  const sendDeps = { rooms, messages, retention, connections, gateway, settings, originals, rateLimiter, clock, nextId, maxTextBytes: 4096 };
  return { rooms, messages, retention, connections, gateway, settings, originals, rateLimiter, clock, nextId, audit, roomDeps, sendDeps, presence };
}

export const alice = { userId: 'u-alice', displayName: 'Alice' };
export const bob = { userId: 'u-bob', displayName: 'Bob' };
export const carol = { userId: 'u-carol', displayName: 'Carol' };
