import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PresenceRepository } from '../../domain/presence/ports';
import { isOnline, type PresenceState } from '../../domain/presence/presence';
import { batchGetAll } from './batch-get';
import { isConditionalCheckFailed } from './errors';
import { epochSeconds, stringAttr, type Item } from './items';
import { ENTITY } from './schema';

export interface PresenceRepositoryOptions {
  /**
   * How long a count is trusted after the last $connect (default 3 h, the
   * connections' own TTL): API Gateway closes a connection after 2 h, so a
   * count older than that is kept up only by a $disconnect that never came.
   */
  readonly ttlSeconds?: number;
}

/** Longer than a $connect may run (API Gateway's 29 s integration timeout). */
const SINCE_SLACK_MS = 30_000;

const presenceKey = (userId: string) => ({ pk: `PRESENCE#${userId}`, sk: 'PRESENCE' });

const numberAttr = (item: Item, name: string): number | undefined => {
  const value = item[name];
  return typeof value === 'number' ? value : undefined;
};

const toState = (item: Item): PresenceState => {
  const tat = numberAttr(item, 'tat');
  return {
    userId: stringAttr(item, 'userId'),
    connections: numberAttr(item, 'connections') ?? 0,
    version: numberAttr(item, 'version') ?? 0,
    announced: item['announced'] === true,
    ...(tat !== undefined ? { tat } : {}),
    expiresAtMs: (numberAttr(item, 'expiresAt') ?? 0) * 1000,
  };
};

/**
 * One presence item per user in the connections table
 * (`PRESENCE#<userId>` / `PRESENCE`, see schema.ts): the count of live
 * connections, a version bumped by every count change, the state last
 * announced with its GCRA `tat`, and the TTL `expiresAt`. Every change is
 * one atomic UpdateItem; nothing is read and written back.
 */
export class DynamoPresenceRepository implements PresenceRepository {
  private readonly ttlSeconds: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: PresenceRepositoryOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? 3 * 60 * 60;
  }

  async countConnection(userId: string, connectedAtMs: number, nowMs: number): Promise<PresenceState> {
    const nowSeconds = epochSeconds(nowMs);
    const expiresAt = nowSeconds + this.ttlSeconds;
    try {
      // A new, empty or expired count starts again at one. `since` marks the
      // restart, so the $disconnect of a connection counted before it takes
      // nothing; it reaches back over the longest a $connect can run (29 s),
      // so a connection opened just before this one still counts.
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: presenceKey(userId),
          UpdateExpression:
            'SET connections = :one, since = :since, version = if_not_exists(version, :zero) + :one, ' +
            'expiresAt = :expiresAt, entity = :entity, userId = :userId',
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSeconds OR connections <= :zero',
          ExpressionAttributeValues: {
            ':one': 1,
            ':zero': 0,
            ':since': connectedAtMs - SINCE_SLACK_MS,
            ':nowSeconds': nowSeconds,
            ':expiresAt': expiresAt,
            ':entity': ENTITY.presence,
            ':userId': userId,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toState(Attributes ?? {});
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: presenceKey(userId),
        UpdateExpression: 'SET expiresAt = :expiresAt ADD connections :one, version :one',
        ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAt },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toState(Attributes ?? {});
  }

  async uncountConnection(userId: string, connectedAtMs: number): Promise<PresenceState | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: presenceKey(userId),
          UpdateExpression: 'ADD connections :minusOne, version :one',
          ConditionExpression: 'connections > :zero AND since <= :connectedAt',
          ExpressionAttributeValues: { ':minusOne': -1, ':one': 1, ':zero': 0, ':connectedAt': connectedAtMs },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toState(Attributes ?? {});
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async claimAnnouncement(userId: string, version: number, online: boolean, tat: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: presenceKey(userId),
          UpdateExpression: 'SET announced = :online, tat = :tat',
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':online': online, ':tat': tat, ':version': version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async onlineUsers(userIds: readonly string[], nowMs: number): Promise<Set<string>> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return new Set();
    const items = await batchGetAll(
      this.client,
      this.tableName,
      unique.map(presenceKey),
      'userId, connections, expiresAt',
    );
    return new Set(items.map(toState).filter((state) => isOnline(state, nowMs)).map((state) => state.userId));
  }
}
