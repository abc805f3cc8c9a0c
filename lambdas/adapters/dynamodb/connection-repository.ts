import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { settleWithConcurrency } from '../../domain/concurrency';
import type { ConnectionRepository } from '../../domain/ports';
import type { Connection, RoomConnection } from '../../domain/types';
import { batchWriteAll, type BatchRetryOptions, type WriteRequest } from './batch-write';
import { isConditionalCheckFailed } from './errors';
import { epochSeconds, stringAttr, type Item } from './items';
import { queryAll } from './query-all';
import { ENTITY } from './schema';

export interface ConnectionRepositoryOptions {
  /**
   * Lifetime of the items (default 3 h). API Gateway closes a connection
   * after 2 h at most and $disconnect removes it; the TTL only sweeps the
   * ghosts of a missed $disconnect.
   */
  readonly ttlSeconds?: number;
  readonly batchRetry?: BatchRetryOptions;
}

const CONN_PREFIX = 'CONN#';

const metaKey = (connectionId: string) => ({ pk: `${CONN_PREFIX}${connectionId}`, sk: 'META' });
const userConnKey = (userId: string, connectionId: string) => ({
  pk: `USER#${userId}`,
  sk: `${CONN_PREFIX}${connectionId}`,
});
const roomConnKey = (roomId: string, connectionId: string) => ({
  pk: `ROOM#${roomId}`,
  sk: `${CONN_PREFIX}${connectionId}`,
});

const toConnection = (item: Item): Connection => ({
  connectionId: stringAttr(item, 'connectionId'),
  userId: stringAttr(item, 'userId'),
  displayName: stringAttr(item, 'displayName'),
  connectedAt: stringAttr(item, 'connectedAt'),
});

/** The room ids in a META item's `rooms` string set (absent when empty). */
const roomsOf = (item: Item): string[] => {
  const rooms = item.rooms;
  return rooms instanceof Set ? [...rooms].filter((r): r is string => typeof r === 'string') : [];
};

/**
 * Live connections in the connections table (see schema.ts). Each connection
 * has a META item holding the set of rooms it receives, an item under its
 * user (to subscribe all of a user's connections to a room) and one item
 * under each room (so a fan-out is one Query of the room's partition).
 */
export class DynamoConnectionRepository implements ConnectionRepository {
  private readonly ttlSeconds: number;
  private readonly batchRetry: BatchRetryOptions;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: ConnectionRepositoryOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? 3 * 60 * 60;
    this.batchRetry = options.batchRetry ?? {};
  }

  private expiresAt(): number {
    return epochSeconds(Date.now()) + this.ttlSeconds;
  }

  private roomConnItem(roomId: string, connectionId: string, userId: string, expiresAt: number): Item {
    return {
      ...roomConnKey(roomId, connectionId),
      entity: ENTITY.roomConnection,
      connectionId,
      userId,
      roomId,
      expiresAt,
    };
  }

  async saveConnection(connection: Connection, roomIds: readonly string[]): Promise<void> {
    const expiresAt = this.expiresAt();
    const { connectionId, userId } = connection;
    const rooms = [...new Set(roomIds)];
    const items: Item[] = [
      {
        ...metaKey(connectionId),
        entity: ENTITY.connection,
        connectionId,
        userId,
        displayName: connection.displayName,
        connectedAt: connection.connectedAt,
        // DynamoDB rejects empty sets: no rooms means no attribute.
        ...(rooms.length > 0 ? { rooms: new Set(rooms) } : {}),
        expiresAt,
      },
      { ...userConnKey(userId, connectionId), entity: ENTITY.userConnection, connectionId, userId, expiresAt },
      ...rooms.map((roomId) => this.roomConnItem(roomId, connectionId, userId, expiresAt)),
    ];
    await this.batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  }

  async getConnection(connectionId: string): Promise<Connection | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: metaKey(connectionId) }),
    );
    return Item ? toConnection(Item) : undefined;
  }

  /**
   * Deletes the META item first and reads its final room set from the same
   * call (ReturnValues ALL_OLD), then the user and room items. Once META is
   * gone a concurrent subscribeUser cannot add a room (its update is
   * conditional on META) and removes what it wrote, so no room item is left
   * behind. A second call finds no META and does nothing.
   */
  async removeConnection(connectionId: string): Promise<void> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: metaKey(connectionId), ReturnValues: 'ALL_OLD' }),
    );
    await this.removeSubscriptions(connectionId, Attributes);
  }

  /**
   * As removeConnection, with the META delete conditional on the connection
   * having opened before `openedBefore` (ISO strings order as time does), so
   * a connection still in its $connect keeps everything.
   */
  async removeGoneConnection(connectionId: string, openedBefore: string): Promise<boolean> {
    try {
      const { Attributes } = await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: metaKey(connectionId),
          ConditionExpression: 'attribute_exists(pk) AND connectedAt < :before',
          ExpressionAttributeValues: { ':before': openedBefore },
          ReturnValues: 'ALL_OLD',
        }),
      );
      await this.removeSubscriptions(connectionId, Attributes);
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      return false;
    }
  }

  private async removeSubscriptions(connectionId: string, Attributes: Record<string, unknown> | undefined): Promise<void> {
    if (!Attributes) return;
    const userId = stringAttr(Attributes, 'userId');
    const keys = [
      userConnKey(userId, connectionId),
      ...roomsOf(Attributes).map((roomId) => roomConnKey(roomId, connectionId)),
    ];
    await this.batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
  }

  async listRoomConnections(roomId: string): Promise<RoomConnection[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :conn)',
      ExpressionAttributeValues: { ':pk': `ROOM#${roomId}`, ':conn': CONN_PREFIX },
      ProjectionExpression: 'connectionId, userId',
    });
    return items.map((item) => ({
      connectionId: stringAttr(item, 'connectionId'),
      userId: stringAttr(item, 'userId'),
    }));
  }

  async listUserConnections(userId: string): Promise<RoomConnection[]> {
    const connectionIds = await this.userConnectionIds(userId);
    return connectionIds.map((connectionId) => ({ connectionId, userId }));
  }

  async subscribeUser(roomId: string, userId: string): Promise<void> {
    const connectionIds = await this.userConnectionIds(userId);
    const expiresAt = this.expiresAt();
    await Promise.all(
      connectionIds.map(async (connectionId) => {
        // The room item first: once META lists the room, removeConnection deletes it.
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: this.roomConnItem(roomId, connectionId, userId, expiresAt),
          }),
        );
        try {
          await this.client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: metaKey(connectionId),
              UpdateExpression: 'ADD rooms :room',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':room': new Set([roomId]) },
            }),
          );
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
          // The connection closed meanwhile: do not leave a room item for it.
          await this.client.send(
            new DeleteCommand({ TableName: this.tableName, Key: roomConnKey(roomId, connectionId) }),
          );
        }
      }),
    );
  }

  async renameUser(userId: string, displayName: string): Promise<void> {
    const connectionIds = await this.userConnectionIds(userId);
    await Promise.all(
      connectionIds.map(async (connectionId) => {
        try {
          await this.client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: metaKey(connectionId),
              UpdateExpression: 'SET displayName = :name',
              // A connection that closed meanwhile is not recreated as a bare key.
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':name': displayName },
            }),
          );
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
        }
      }),
    );
  }

  async unsubscribeUser(roomId: string, userId: string): Promise<void> {
    const connectionIds = await this.userConnectionIds(userId);
    await Promise.all(
      connectionIds.map(async (connectionId) => {
        await this.client.send(
          new DeleteCommand({ TableName: this.tableName, Key: roomConnKey(roomId, connectionId) }),
        );
        try {
          await this.client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: metaKey(connectionId),
              UpdateExpression: 'DELETE rooms :room',
              // Without it, updating a vanished META would recreate it as a bare key.
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':room': new Set([roomId]) },
            }),
          );
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
        }
      }),
    );
  }

  /**
   * One Query for the room's connections, their room items deleted by
   * BatchWriteItem (25 per call), then each connection's room set updated,
   * a few at a time: about 1 + n/25 + n requests, against 3n when
   * unsubscribing member by member.
   */
  async unsubscribeRoom(roomId: string): Promise<number> {
    const subscribed = await this.listRoomConnections(roomId);
    await this.batchWrite(subscribed.map(({ connectionId }) => ({ DeleteRequest: { Key: roomConnKey(roomId, connectionId) } })));
    const outcomes = await settleWithConcurrency(subscribed, 16, async ({ connectionId }) => {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: metaKey(connectionId),
            UpdateExpression: 'DELETE rooms :room',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':room': new Set([roomId]) },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    });
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    return subscribed.length;
  }

  private async userConnectionIds(userId: string): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :conn)',
      ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':conn': CONN_PREFIX },
      ProjectionExpression: 'connectionId',
    });
    return items.map((item) => stringAttr(item, 'connectionId'));
  }

  private batchWrite(requests: WriteRequest[]): Promise<void> {
    return batchWriteAll(this.client, this.tableName, requests, this.batchRetry);
  }
}
