import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { settleWithConcurrency } from '../../domain/concurrency';
import { ConflictError, NotFoundError, ParleyError, ValidationError } from '../../domain/errors';
import type { PageQuery, RoomRepository } from '../../domain/ports';
import { foldName, nameInitial } from '../../domain/names';
import { GUEST_ACCESS, ROLES, ROOM_MODES, VISIBILITIES } from '../../domain/types';
import type { Ban, Invitation, Membership, Page, Room } from '../../domain/types';
import { parseTimedCursor, publicRoomCursor, roomNameCursor } from '../../domain/cursors';
import { batchWriteAll } from './batch-write';
import { isConditionalCheckFailed, isTransactionConditionFailure } from './errors';
import { epochSeconds, oneOfAttr, optionalStringAttr, stringAttr, type Item } from './items';
import { queryAll } from './query-all';
import { ENTITY, readStateKey, ROOMS_TABLE } from './schema';

const PUBLIC_PARTITION = 'PUBLIC';

const roomPk = (roomId: string): string => `ROOM#${roomId}`;
/** The key of a room's own item. */
export const metaKey = (roomId: string) => ({ pk: roomPk(roomId), sk: 'META' });
export const memberKey = (roomId: string, userId: string) => ({ pk: roomPk(roomId), sk: `MEMBER#${userId}` });
const inviteKey = (roomId: string, userId: string) => ({ pk: roomPk(roomId), sk: `INVITE#${userId}` });
const banKey = (roomId: string, userId: string) => ({ pk: roomPk(roomId), sk: `${BAN_PREFIX}${userId}` });
const BAN_PREFIX = 'BAN#';

/** The byName index's partition of a room: its kind and the first character of its folded name (schema.ts). */
const nameIndexPartition = (folded: string): string => `ROOM#${nameInitial(folded)}`;

/**
 * Only public rooms enter the publicRooms and byName indexes (sparse
 * indexes): a private room is never listed nor found by name.
 */
const publicIndexKeys = (room: Room): Item =>
  room.visibility === 'public' && room.deletedAt === undefined
    ? {
        gsi2pk: PUBLIC_PARTITION,
        gsi2sk: publicRoomCursor(room),
        gsi3pk: nameIndexPartition(foldName(room.name)),
        gsi3sk: roomNameCursor(room),
      }
    : {};

const roomItem = (room: Room): Item => ({
  ...metaKey(room.roomId),
  entity: ENTITY.room,
  roomId: room.roomId,
  name: room.name,
  visibility: room.visibility,
  ownerId: room.ownerId,
  createdAt: room.createdAt,
  ...(room.mode !== undefined ? { mode: room.mode } : {}),
  ...(room.topic !== undefined ? { topic: room.topic } : {}),
  ...(room.preview !== undefined ? { preview: room.preview } : {}),
  ...(room.shareMessageTextInEvents !== undefined ? { shareMessageTextInEvents: room.shareMessageTextInEvents } : {}),
  ...(room.shareMessageTextInEventsSince !== undefined ? { shareMessageTextInEventsSince: room.shareMessageTextInEventsSince } : {}),
  ...(room.guestAccess !== undefined ? { guestAccess: room.guestAccess } : {}),
  ...(room.deletedAt !== undefined ? { deletedAt: room.deletedAt } : {}),
  ...publicIndexKeys(room),
});

/** How many membership copies are rewritten at once when a room's settings change. */
const COPY_CONCURRENCY = 16;

/**
 * A membership item carries a copy of its room's name, visibility, owner and
 * creation time, so listRoomsOfUser is one Query on the byUser index with no
 * read of each room. updateRoom and transferOwnership rewrite the copies
 * after the room itself (refreshCopies), so a copy may trail the room for
 * the moments that takes; the room item is the truth every check reads. The
 * room's mode is copied too and never refreshed: it cannot change.
 */
const memberItem = (membership: Membership, room: Room): Item => ({
  ...memberKey(membership.roomId, membership.userId),
  entity: ENTITY.membership,
  roomId: membership.roomId,
  userId: membership.userId,
  displayName: membership.displayName,
  role: membership.role,
  joinedAt: membership.joinedAt,
  gsi1pk: userPk(membership.userId),
  gsi1sk: roomPk(membership.roomId),
  roomName: room.name,
  roomVisibility: room.visibility,
  roomOwnerId: room.ownerId,
  roomCreatedAt: room.createdAt,
  ...(room.mode !== undefined ? { roomMode: room.mode } : {}),
  // The room list shows the owner this setting without reading each room.
  ...(room.shareMessageTextInEvents !== undefined ? { roomShareMessageTextInEvents: room.shareMessageTextInEvents } : {}),
  // A guest's membership is removed by TTL some time after the guest's token lapses.
  ...(membership.expiresAt !== undefined ? { expiresAt: epochSeconds(Date.parse(membership.expiresAt)) } : {}),
});

/** A room item as the room; the domain events publisher reads rooms with it too. */
export const toRoom = (item: Item): Room => {
  const topic = optionalStringAttr(item, 'topic');
  const deletedAt = optionalStringAttr(item, 'deletedAt');
  return {
    roomId: stringAttr(item, 'roomId'),
    name: stringAttr(item, 'name'),
    visibility: oneOfAttr(item, 'visibility', VISIBILITIES),
    ownerId: stringAttr(item, 'ownerId'),
    createdAt: stringAttr(item, 'createdAt'),
    ...(item['mode'] !== undefined ? { mode: oneOfAttr(item, 'mode', ROOM_MODES) } : {}),
    ...(topic !== undefined ? { topic } : {}),
    ...(typeof item['preview'] === 'boolean' ? { preview: item['preview'] } : {}),
    ...(typeof item['shareMessageTextInEvents'] === 'boolean' ? { shareMessageTextInEvents: item['shareMessageTextInEvents'] } : {}),
    ...(typeof item['shareMessageTextInEventsSince'] === 'string' ? { shareMessageTextInEventsSince: item['shareMessageTextInEventsSince'] } : {}),
    ...(typeof item['guestAccess'] === 'string' ? { guestAccess: oneOfAttr(item, 'guestAccess', GUEST_ACCESS) } : {}),
    ...(deletedAt !== undefined ? { deletedAt } : {}),
  };
};

const toBan = (item: Item): Ban => {
  const reason = optionalStringAttr(item, 'reason');
  const userName = optionalStringAttr(item, 'userName');
  return {
    roomId: stringAttr(item, 'roomId'),
    userId: stringAttr(item, 'userId'),
    bannedBy: stringAttr(item, 'bannedBy'),
    bannedAt: stringAttr(item, 'bannedAt'),
    ...(reason !== undefined ? { reason } : {}),
    ...(userName !== undefined ? { userName } : {}),
  };
};

export const toMembership = (item: Item): Membership => ({
  roomId: stringAttr(item, 'roomId'),
  userId: stringAttr(item, 'userId'),
  displayName: stringAttr(item, 'displayName'),
  role: oneOfAttr(item, 'role', ROLES),
  joinedAt: stringAttr(item, 'joinedAt'),
  ...(typeof item['expiresAt'] === 'number' ? { expiresAt: new Date(item['expiresAt'] * 1000).toISOString() } : {}),
});

/** The room as denormalised onto a membership item. */
const toRoomOfMembership = (item: Item): Room => ({
  roomId: stringAttr(item, 'roomId'),
  name: stringAttr(item, 'roomName'),
  visibility: oneOfAttr(item, 'roomVisibility', VISIBILITIES),
  ownerId: stringAttr(item, 'roomOwnerId'),
  createdAt: stringAttr(item, 'roomCreatedAt'),
  ...(item['roomMode'] !== undefined ? { mode: oneOfAttr(item, 'roomMode', ROOM_MODES) } : {}),
  ...(typeof item['roomShareMessageTextInEvents'] === 'boolean' ? { shareMessageTextInEvents: item['roomShareMessageTextInEvents'] } : {}),
});

const INVITABLE_ROLES = ROLES.filter((role): role is Invitation['role'] => role !== 'owner');

const userPk = (userId: string): string => `USER#${userId}`;
const INVITE_PREFIX = 'INVITE#';
const ROOM_PREFIX = 'ROOM#';

/**
 * An invitation item is also in the byUser index, under its invitee
 * (`INVITE#<roomId>`, beside the `ROOM#` keys of their memberships), and
 * carries the room's name and the inviter's, so listing a user's invitations
 * is one Query. `expiresAt` (epoch seconds) is the table's TTL attribute.
 */
const invitationItem = (invitation: Invitation): Item => ({
  ...inviteKey(invitation.roomId, invitation.userId),
  entity: ENTITY.invitation,
  roomId: invitation.roomId,
  userId: invitation.userId,
  role: invitation.role,
  invitedBy: invitation.invitedBy,
  invitedByName: invitation.invitedByName,
  inviteeName: invitation.inviteeName,
  invitedAt: invitation.invitedAt,
  roomName: invitation.roomName,
  ...(invitation.roomMode !== undefined ? { roomMode: invitation.roomMode } : {}),
  expiresAtIso: invitation.expiresAt,
  [ROOMS_TABLE.ttlAttribute]: epochSeconds(Date.parse(invitation.expiresAt)),
  gsi1pk: userPk(invitation.userId),
  gsi1sk: `${INVITE_PREFIX}${invitation.roomId}`,
});

/**
 * Invitations stored before they carried names and an expiry read with the
 * ids in place of the names and as already expired, so they are refused and
 * not listed rather than lasting forever.
 */
const toInvitation = (item: Item): Invitation => ({
  roomId: stringAttr(item, 'roomId'),
  userId: stringAttr(item, 'userId'),
  role: oneOfAttr(item, 'role', INVITABLE_ROLES),
  invitedBy: stringAttr(item, 'invitedBy'),
  invitedAt: stringAttr(item, 'invitedAt'),
  invitedByName: optionalStringAttr(item, 'invitedByName') ?? stringAttr(item, 'invitedBy'),
  inviteeName: optionalStringAttr(item, 'inviteeName') ?? stringAttr(item, 'userId'),
  roomName: optionalStringAttr(item, 'roomName') ?? stringAttr(item, 'roomId'),
  ...(item['roomMode'] !== undefined ? { roomMode: oneOfAttr(item, 'roomMode', ROOM_MODES) } : {}),
  expiresAt: optionalStringAttr(item, 'expiresAtIso') ?? stringAttr(item, 'invitedAt'),
});

const invalidCursor = () => new ValidationError('The cursor is not one Parley issued.');

/**
 * The ExclusiveStartKey of a public-rooms cursor (cursors.ts). Only keys of
 * a room's META item in the PUBLIC partition come out, so a client cannot
 * steer the query elsewhere in the table.
 */
function publicRoomsStartKey(cursor: string): Record<string, string> {
  const parsed = parseTimedCursor(cursor);
  if (!parsed) throw invalidCursor();
  return { ...metaKey(parsed.id), gsi2pk: PUBLIC_PARTITION, gsi2sk: cursor };
}

const MEMBER_PREFIX = 'MEMBER#';
/**
 * What a deleted room's partition keeps: the tombstone, and the retention
 * policy (retention-repository.ts), which still decides whether the room's
 * messages are archived as they expire. Memberships, invitations, bans,
 * agents and any other setting go.
 */
const KEPT_AFTER_DELETION = new Set(['META', 'RETENTION']);
const afterPrefix = (value: unknown, prefix: string): string | undefined =>
  typeof value === 'string' && value.startsWith(prefix) ? value.slice(prefix.length) : undefined;

/** Rooms, memberships and invitations in the rooms table (see schema.ts). */
export class DynamoRoomRepository implements RoomRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createRoom(room: Room, owner: Membership): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: roomItem(room),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: memberItem(owner, room) } },
          ],
        }),
      );
    } catch (error) {
      if (isTransactionConditionFailure(error, 0)) {
        throw new ConflictError(`Room "${room.roomId}" already exists.`, { cause: error });
      }
      throw error;
    }
  }

  async getRoom(roomId: string): Promise<Room | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: metaKey(roomId), ConsistentRead: true }),
    );
    return Item ? toRoom(Item) : undefined;
  }

  async getMembership(roomId: string, userId: string): Promise<Membership | undefined> {
    // Consistent: permission checks must see a role change or removal at once.
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: memberKey(roomId, userId), ConsistentRead: true }),
    );
    return Item ? toMembership(Item) : undefined;
  }

  /**
   * Reads the room first: the membership item carries a copy of the room's
   * fields (see memberItem), and the port passes only the membership.
   */
  async putMembership(membership: Membership): Promise<void> {
    const room = await this.getRoom(membership.roomId);
    if (!room) throw new NotFoundError(`Room "${membership.roomId}" not found.`);
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: memberItem(membership, room) } },
          { Delete: { TableName: this.tableName, Key: inviteKey(membership.roomId, membership.userId) } },
        ],
      }),
    );
  }

  /** Conditional on the membership existing, so a rename racing a leave never brings the membership back. */
  async renameMember(roomId: string, userId: string, displayName: string): Promise<Membership | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: memberKey(roomId, userId),
          UpdateExpression: 'SET displayName = :name',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':name': displayName },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? toMembership(Attributes) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  /**
   * Deletes the membership and the member's read mark. Two deletes rather
   * than a transaction: each is idempotent, a retry finishes what a failure
   * left, and a stray mark without a membership is never read.
   */
  async deleteMembership(roomId: string, userId: string): Promise<void> {
    await Promise.all([
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: memberKey(roomId, userId) })),
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: readStateKey(roomId, userId) })),
    ]);
  }

  async listMembers(roomId: string): Promise<Membership[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: { ':pk': roomPk(roomId), ':member': 'MEMBER#' },
    });
    return items.map(toMembership);
  }

  /** One Query on the room's partition; the cursor is the last member's user id. */
  async pageMembers(roomId: string, page: PageQuery): Promise<Page<Membership>> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
        ExpressionAttributeValues: { ':pk': roomPk(roomId), ':member': MEMBER_PREFIX },
        Limit: page.limit,
        ...(page.cursor !== undefined ? { ExclusiveStartKey: memberKey(roomId, page.cursor) } : {}),
      }),
    );
    const nextCursor = afterPrefix(result.LastEvaluatedKey?.['sk'], MEMBER_PREFIX);
    return { items: (result.Items ?? []).map(toMembership), ...(nextCursor !== undefined ? { nextCursor } : {}) };
  }

  /** One Query on the byUser index; the cursor is the last room's id. */
  async pageRoomsOfUser(userId: string, page: PageQuery): Promise<Page<{ room: Room; membership: Membership }>> {
    const { name, partitionKey, sortKey } = ROOMS_TABLE.byUserIndex;
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: name,
        // Invitations share the index under INVITE# keys: read memberships only.
        KeyConditionExpression: `${partitionKey} = :user AND begins_with(${sortKey}, :room)`,
        ExpressionAttributeValues: { ':user': userPk(userId), ':room': ROOM_PREFIX },
        Limit: page.limit,
        ...(page.cursor !== undefined
          ? { ExclusiveStartKey: { ...memberKey(page.cursor, userId), gsi1pk: userPk(userId), gsi1sk: roomPk(page.cursor) } }
          : {}),
      }),
    );
    const nextCursor = afterPrefix(result.LastEvaluatedKey?.['gsi1sk'], ROOM_PREFIX);
    return {
      items: (result.Items ?? []).map((item) => ({ room: toRoomOfMembership(item), membership: toMembership(item) })),
      ...(nextCursor !== undefined ? { nextCursor } : {}),
    };
  }

  async listRoomsOfUser(userId: string): Promise<Array<{ room: Room; membership: Membership }>> {
    const { name, partitionKey, sortKey } = ROOMS_TABLE.byUserIndex;
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: name,
      // Invitations share the index under INVITE# keys: read memberships only.
      KeyConditionExpression: `${partitionKey} = :user AND begins_with(${sortKey}, :room)`,
      ExpressionAttributeValues: { ':user': userPk(userId), ':room': ROOM_PREFIX },
    });
    return items.map((item) => ({ room: toRoomOfMembership(item), membership: toMembership(item) }));
  }

  /** Public rooms, newest first. */
  async listPublicRooms(limit: number, cursor?: string): Promise<Page<Room>> {
    const startKey = cursor === undefined ? undefined : publicRoomsStartKey(cursor);
    const { name, partitionKey } = ROOMS_TABLE.publicRoomsIndex;
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: name,
        KeyConditionExpression: `${partitionKey} = :public`,
        ExpressionAttributeValues: { ':public': PUBLIC_PARTITION },
        ScanIndexForward: false,
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const last = page.LastEvaluatedKey;
    return {
      items: (page.Items ?? []).map(toRoom),
      // The index's sort key is the cursor itself (see roomItem).
      ...(last ? { nextCursor: String(last['gsi2sk']) } : {}),
    };
  }

  async putInvitation(invitation: Invitation): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: invitationItem(invitation) }));
  }

  async deleteInvitation(roomId: string, userId: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: inviteKey(roomId, userId), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }

  /** One Query on the byUser index, `INVITE#` keys only; the cursor is the last invitation's room id. */
  async pageInvitationsOfUser(userId: string, page: PageQuery): Promise<Page<Invitation>> {
    const { name, partitionKey, sortKey } = ROOMS_TABLE.byUserIndex;
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: name,
        KeyConditionExpression: `${partitionKey} = :user AND begins_with(${sortKey}, :invite)`,
        ExpressionAttributeValues: { ':user': userPk(userId), ':invite': INVITE_PREFIX },
        Limit: page.limit,
        ...(page.cursor !== undefined
          ? {
              ExclusiveStartKey: {
                ...inviteKey(page.cursor, userId),
                gsi1pk: userPk(userId),
                gsi1sk: `${INVITE_PREFIX}${page.cursor}`,
              },
            }
          : {}),
      }),
    );
    const nextCursor = afterPrefix(result.LastEvaluatedKey?.['gsi1sk'], INVITE_PREFIX);
    return { items: (result.Items ?? []).map(toInvitation), ...(nextCursor !== undefined ? { nextCursor } : {}) };
  }

  /** One Query on the room's partition, `INVITE#` keys only; the cursor is the last invitee's user id. */
  async pageInvitationsOfRoom(roomId: string, page: PageQuery): Promise<Page<Invitation>> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :invite)',
        ExpressionAttributeValues: { ':pk': roomPk(roomId), ':invite': INVITE_PREFIX },
        Limit: page.limit,
        ...(page.cursor !== undefined ? { ExclusiveStartKey: inviteKey(roomId, page.cursor) } : {}),
      }),
    );
    const nextCursor = afterPrefix(result.LastEvaluatedKey?.['sk'], INVITE_PREFIX);
    return { items: (result.Items ?? []).map(toInvitation), ...(nextCursor !== undefined ? { nextCursor } : {}) };
  }

  async getInvitation(roomId: string, userId: string): Promise<Invitation | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: inviteKey(roomId, userId), ConsistentRead: true }),
    );
    return Item ? toInvitation(Item) : undefined;
  }

  /**
   * Rewrites the room item (its index keys follow its name and visibility),
   * on condition that it exists and is not deleted, then the copies on its
   * memberships.
   */
  async updateRoom(room: Room): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: roomItem(room),
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new NotFoundError(`Room "${room.roomId}" not found.`);
      throw error;
    }
    await this.refreshCopies(room);
  }

  async transferOwnership(roomId: string, from: Membership, to: Membership): Promise<Room> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: metaKey(roomId),
                UpdateExpression: 'SET ownerId = :to',
                ConditionExpression: 'ownerId = :from AND attribute_not_exists(deletedAt)',
                ExpressionAttributeValues: { ':to': to.userId, ':from': from.userId },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: memberKey(roomId, from.userId),
                UpdateExpression: 'SET #role = :moderator',
                ConditionExpression: '#role = :owner',
                ExpressionAttributeNames: { '#role': 'role' },
                ExpressionAttributeValues: { ':moderator': 'moderator', ':owner': 'owner' },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: memberKey(roomId, to.userId),
                UpdateExpression: 'SET #role = :owner',
                ConditionExpression: '#role = :was',
                ExpressionAttributeNames: { '#role': 'role' },
                ExpressionAttributeValues: { ':owner': 'owner', ':was': to.role },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if ([0, 1, 2].some((index) => isTransactionConditionFailure(error, index))) {
        throw new ConflictError('The room or its members changed meanwhile; try again.', { cause: error });
      }
      throw error;
    }
    const room = await this.getRoom(roomId);
    if (!room) throw new ParleyError(`Room "${roomId}" vanished after its ownership changed.`);
    await this.refreshCopies(room);
    return room;
  }

  /** Drops the index keys with the rest of the room's settings kept, so the tombstone still names what was deleted. */
  async markDeleted(roomId: string, deletedAt: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: metaKey(roomId),
          UpdateExpression: 'SET deletedAt = :at REMOVE gsi2pk, gsi2sk, gsi3pk, gsi3sk',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
          ExpressionAttributeValues: { ':at': deletedAt },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new ConflictError(`Room "${roomId}" is already deleted.`, { cause: error });
      throw error;
    }
  }

  /** Keys only, then BatchWriteItem 25 at a time (KEPT_AFTER_DELETION stays). */
  async purgeRoom(roomId: string): Promise<number> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': roomPk(roomId) },
      ProjectionExpression: 'pk, sk',
    });
    const doomed = items.filter((item) => !KEPT_AFTER_DELETION.has(String(item['sk'])));
    await batchWriteAll(
      this.client,
      this.tableName,
      doomed.map((item) => ({ DeleteRequest: { Key: { pk: item['pk'], sk: item['sk'] } } })),
    );
    return doomed.length;
  }

  /** A Query with Select COUNT reads the membership items but returns none of them. */
  async countMembers(roomId: string): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
          ExpressionAttributeValues: { ':pk': roomPk(roomId), ':member': MEMBER_PREFIX },
          Select: 'COUNT',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }

  async banMember(ban: Ban): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...banKey(ban.roomId, ban.userId),
                entity: ENTITY.ban,
                roomId: ban.roomId,
                userId: ban.userId,
                bannedBy: ban.bannedBy,
                bannedAt: ban.bannedAt,
                ...(ban.reason !== undefined ? { reason: ban.reason } : {}),
                ...(ban.userName !== undefined ? { userName: ban.userName } : {}),
              },
            },
          },
          { Delete: { TableName: this.tableName, Key: memberKey(ban.roomId, ban.userId) } },
          { Delete: { TableName: this.tableName, Key: inviteKey(ban.roomId, ban.userId) } },
          { Delete: { TableName: this.tableName, Key: readStateKey(ban.roomId, ban.userId) } },
        ],
      }),
    );
  }

  async getBan(roomId: string, userId: string): Promise<Ban | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: banKey(roomId, userId), ConsistentRead: true }),
    );
    return Item ? toBan(Item) : undefined;
  }

  async deleteBan(roomId: string, userId: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: banKey(roomId, userId), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }

  /** One Query on the room's partition; the cursor is the last banned user's id. */
  async pageBans(roomId: string, page: PageQuery): Promise<Page<Ban>> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ban)',
        ExpressionAttributeValues: { ':pk': roomPk(roomId), ':ban': BAN_PREFIX },
        Limit: page.limit,
        ...(page.cursor !== undefined ? { ExclusiveStartKey: banKey(roomId, page.cursor) } : {}),
      }),
    );
    const nextCursor = afterPrefix(result.LastEvaluatedKey?.['sk'], BAN_PREFIX);
    return { items: (result.Items ?? []).map(toBan), ...(nextCursor !== undefined ? { nextCursor } : {}) };
  }

  /**
   * One Query on the byName index: the partition of the prefix's first
   * character, sort keys beginning with the folded prefix. A cursor is
   * accepted only when it lies in that range, so a client cannot steer the
   * query elsewhere.
   */
  async searchPublicRooms(prefix: string, page: PageQuery): Promise<Page<Room>> {
    const folded = foldName(prefix);
    const partition = nameIndexPartition(folded);
    const { name, partitionKey, sortKey } = ROOMS_TABLE.nameIndex;
    let startKey: Item | undefined;
    if (page.cursor !== undefined) {
      const hash = page.cursor.lastIndexOf('#');
      if (!page.cursor.startsWith(folded) || hash < folded.length) throw invalidCursor();
      startKey = { ...metaKey(page.cursor.slice(hash + 1)), [partitionKey]: partition, [sortKey]: page.cursor };
    }
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: name,
        KeyConditionExpression: `${partitionKey} = :partition AND begins_with(${sortKey}, :prefix)`,
        ExpressionAttributeValues: { ':partition': partition, ':prefix': folded },
        Limit: page.limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const last = result.LastEvaluatedKey?.[sortKey];
    return {
      items: (result.Items ?? []).map(toRoom),
      ...(typeof last === 'string' ? { nextCursor: last } : {}),
    };
  }

  /**
   * Rewrites the room fields each membership carries, a bounded number at a
   * time; a membership that left meanwhile is not brought back.
   */
  private async refreshCopies(room: Room): Promise<void> {
    const share = room.shareMessageTextInEvents;
    const members = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: { ':pk': roomPk(room.roomId), ':member': MEMBER_PREFIX },
      ProjectionExpression: 'pk, sk',
    });
    const outcomes = await settleWithConcurrency(members, COPY_CONCURRENCY, async (item) => {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: item['pk'], sk: item['sk'] },
            UpdateExpression: `SET roomName = :name, roomVisibility = :visibility, roomOwnerId = :owner${share === undefined ? '' : ', roomShareMessageTextInEvents = :share'}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: {
              ':name': room.name,
              ':visibility': room.visibility,
              ':owner': room.ownerId,
              ...(share === undefined ? {} : { ':share': share }),
            },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    });
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw new ParleyError(`Some memberships of room "${room.roomId}" kept the old room settings.`, { cause: failed.reason });
  }
}
