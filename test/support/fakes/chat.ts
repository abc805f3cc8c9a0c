import type {
  Clock,
  ConnectionGateway,
  ConnectionRepository,
  HistoryQuery,
  MessageEdit,
  MessageRepository,
  PageQuery,
  PostOutcome,
  RateLimiter,
  RoomRepository,
  SaveResult,
} from '../../../lambdas/domain/ports';
import type {
  Ban,
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
import type { SendContextReader } from '../../../lambdas/domain/send-context';
import { isReadable, type ModeratedMessage } from '../../../lambdas/domain/message';
import type { EffectiveRetention, RetentionPeriod, RoomRetention } from '../../../lambdas/domain/retention/policy';
import type { RetentionCache } from '../../../lambdas/domain/retention/ports';
import type { AuditEntry, AuditLog } from '../../../lambdas/domain/audit';
import { createIdGenerator } from '../../../lambdas/domain/ids';
import type { PeopleDeps } from '../../../lambdas/use-cases/people/people-deps';
import { DAY_MS } from '../../../lambdas/domain/people/invitation';
import { FakeProfiles } from './people';
import { banCursor, memberCursor, publicRoomCursor, roomNameCursor, roomOfUserCursor } from '../../../lambdas/domain/cursors';
import { ConflictError, NotFoundError } from '../../../lambdas/domain/errors';
import { foldName } from '../../../lambdas/domain/names';
import type { RoomDeps } from '../../../lambdas/use-cases/room-deps';
import { FakePresence } from './presence';
import { FakeRoomPurgeQueue } from './room-purge';

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
  readonly bans = new Map<string, Ban>();

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
    const all = [...this.rooms.values()].filter((r) => r.visibility === 'public' && r.deletedAt === undefined);
    return pageOf(all, publicRoomCursor, { limit, ...(cursor !== undefined ? { cursor } : {}) }, 'descending');
  }
  async updateRoom(room: Room) {
    const stored = this.rooms.get(room.roomId);
    if (!stored || stored.deletedAt !== undefined) throw new NotFoundError(`Room "${room.roomId}" not found.`);
    this.rooms.set(room.roomId, room);
  }
  async transferOwnership(roomId: string, from: Membership, to: Membership) {
    const room = this.rooms.get(roomId);
    const [nowFrom, nowTo] = [this.members.get(this.key(roomId, from.userId)), this.members.get(this.key(roomId, to.userId))];
    if (!room || room.ownerId !== from.userId || nowFrom?.role !== 'owner' || nowTo?.role !== to.role) {
      throw new ConflictError('The room or its members changed meanwhile; try again.');
    }
    this.members.set(this.key(roomId, from.userId), { ...nowFrom, role: 'moderator' });
    this.members.set(this.key(roomId, to.userId), { ...nowTo, role: 'owner' });
    const updated = { ...room, ownerId: to.userId };
    this.rooms.set(roomId, updated);
    return updated;
  }
  async markDeleted(roomId: string, deletedAt: string) {
    const room = this.rooms.get(roomId);
    if (!room || room.deletedAt !== undefined) throw new ConflictError(`Room "${roomId}" is already deleted.`);
    this.rooms.set(roomId, { ...room, deletedAt });
  }
  async purgeRoom(roomId: string) {
    let purged = 0;
    for (const map of [this.members, this.invitations, this.bans] as Array<Map<string, { roomId: string }>>) {
      for (const [key, value] of map) {
        if (value.roomId === roomId) {
          map.delete(key);
          purged += 1;
        }
      }
    }
    return purged;
  }
  async countMembers(roomId: string) {
    return (await this.listMembers(roomId)).length;
  }
  async banMember(ban: Ban) {
    const key = this.key(ban.roomId, ban.userId);
    this.bans.set(key, ban);
    this.members.delete(key);
    this.invitations.delete(key);
  }
  async getBan(roomId: string, userId: string) {
    return this.bans.get(this.key(roomId, userId));
  }
  async deleteBan(roomId: string, userId: string) {
    return this.bans.delete(this.key(roomId, userId));
  }
  async pageBans(roomId: string, page: PageQuery): Promise<Page<Ban>> {
    return pageOf([...this.bans.values()].filter((b) => b.roomId === roomId), banCursor, page);
  }
  async searchPublicRooms(prefix: string, page: PageQuery): Promise<Page<Room>> {
    const folded = foldName(prefix);
    const found = [...this.rooms.values()].filter(
      (r) => r.visibility === 'public' && r.deletedAt === undefined && foldName(r.name).startsWith(folded),
    );
    return pageOf(found, roomNameCursor, page);
  }
  async putInvitation(i: Invitation) {
    this.invitations.set(this.key(i.roomId, i.userId), i);
  }
  async getInvitation(roomId: string, userId: string) {
    return this.invitations.get(this.key(roomId, userId));
  }
  async deleteInvitation(roomId: string, userId: string) {
    return this.invitations.delete(this.key(roomId, userId));
  }
  async pageInvitationsOfUser(userId: string, page: PageQuery): Promise<Page<Invitation>> {
    const mine = [...this.invitations.values()].filter((i) => i.userId === userId);
    return pageOf(mine, (i) => i.roomId, page);
  }
  async pageInvitationsOfRoom(roomId: string, page: PageQuery): Promise<Page<Invitation>> {
    const theirs = [...this.invitations.values()].filter((i) => i.roomId === roomId);
    return pageOf(theirs, (i) => i.userId, page);
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
  async getMessage(roomId: string, messageId: string) {
    return this.messages.find((m) => m.roomId === roomId && m.messageId === messageId);
  }
  /** Applies an edit under the conditions the DynamoDB adapter writes (editUpdate). */
  async editMessage(edit: MessageEdit): Promise<ModeratedMessage | undefined> {
    const index = this.messages.findIndex((m) => m.roomId === edit.roomId && m.messageId === edit.messageId);
    const current = this.messages[index];
    if (!current || current.senderId !== edit.senderId || !isReadable(current) || current.editedAt !== edit.previousEditedAt) {
      return undefined;
    }
    const { mentions: _previous, ...rest } = current;
    const edited: ModeratedMessage = {
      ...rest,
      text: edit.text,
      editedAt: edit.editedAt,
      moderation: edit.moderation,
      decision: edit.moderation,
      reasons: edit.reasons,
      moderatedAt: edit.editedAt,
      ...(edit.redacted ? { redacted: true } : {}),
      ...(edit.mentions.length > 0 ? { mentions: edit.mentions } : {}),
    };
    if (!edit.redacted) delete (edited as { redacted?: boolean }).redacted;
    this.messages[index] = edited;
    return edited;
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
  async removeGoneConnection(connectionId: string, openedBefore: string) {
    const connection = this.connections.get(connectionId);
    // A connection the fake never saw (posts set up by hand) counts as old.
    if (connection && connection.connectedAt >= openedBefore) return false;
    await this.removeConnection(connectionId);
    return true;
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
  async unsubscribeRoom(roomId: string) {
    const count = this.subscriptions.get(roomId)?.size ?? 0;
    this.subscriptions.delete(roomId);
    return count;
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

/** The membership and moderation settings the fakes hold, read together; `reads` counts the calls. */
export class FakeSendContext implements SendContextReader {
  reads = 0;
  constructor(
    private readonly rooms: FakeRooms,
    private readonly settings: FakeSettings,
    private readonly retention: FakeRetention,
  ) {}
  async read(roomId: string, userId: string, options: { readonly withRetention?: boolean } = {}) {
    this.reads += 1;
    const membership = await this.rooms.getMembership(roomId, userId);
    const policy = options.withRetention ? await this.retention.stored(roomId) : undefined;
    return {
      ...(membership ? { membership } : {}),
      moderation: await this.settings.getForCheck(roomId),
      ...(options.withRetention ? { retention: policy ? { policy } : {} } : {}),
    };
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
export class FakeRetention implements RetentionCache {
  readonly days = new Map<string, RetentionPeriod>();
  readonly failingRooms = new Set<string>();
  async retentionOf(roomId: string) {
    return this.keep(roomId, await this.stored(roomId));
  }
  /** Holds nothing unless a test says otherwise: every send asks for the policy with its context. */
  held(_roomId: string): EffectiveRetention | undefined {
    return undefined;
  }
  keep(_roomId: string, stored: RoomRetention | undefined) {
    return stored === undefined
      ? { days: 'forever' as const, archiveDeletions: false, source: 'default' as const }
      : { days: stored.days, archiveDeletions: stored.archiveDeletions, source: 'room' as const };
  }
  /** The policy as stored; reading a room in `failingRooms` fails. */
  async stored(roomId: string): Promise<RoomRetention | undefined> {
    if (this.failingRooms.has(roomId)) throw new Error('retention unavailable');
    const days = this.days.get(roomId);
    return days === undefined ? undefined : { roomId, days, archiveDeletions: false, updatedAt: '', updatedBy: '' };
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
  const profiles = new FakeProfiles();
  // Room and people deps are one: the handlers that invite and rename wire profiles in too.
  const purges = new FakeRoomPurgeQueue();
  const roomDeps: PeopleDeps & { purges: FakeRoomPurgeQueue } = {
    purges,
    rooms,
    connections,
    gateway,
    clock,
    nextId,
    audit,
    profiles,
    invitationLifetimeMs: 7 * DAY_MS,
    peopleSearch: 'everyone',
  };
  const settings = new FakeSettings();
  const originals = new FakeOriginals();
  const retention = new FakeRetention();
  const presence = new FakePresence();
  const context = new FakeSendContext(rooms, settings, retention);
  const sendDeps = { context, rooms, messages, retention, connections, gateway, settings, originals, rateLimiter, clock, nextId, maxTextBytes: 4096 };
  return { context, rooms, messages, retention, connections, gateway, settings, originals, rateLimiter, clock, nextId, audit, profiles, roomDeps, sendDeps, presence, purges };
}

export const alice = { userId: 'u-alice', displayName: 'Alice' };
export const bob = { userId: 'u-bob', displayName: 'Bob' };
export const carol = { userId: 'u-carol', displayName: 'Carol' };
