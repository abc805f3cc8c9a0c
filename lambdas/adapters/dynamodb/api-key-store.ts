import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors';
import {
  API_KEY_SCOPES,
  MAX_KEYS_PER_ROOM,
  type ApiKeyRecord,
  type ApiKeyScope,
  type ApiKeyStore,
} from '../../domain/integrations/api-keys';
import { isConditionalCheckFailed } from './errors';
import { INTEGRATIONS_ENTITY, INTEGRATIONS_TABLE, integrationsKeys } from './integrations-schema';
import { optionalStringAttr, stringAttr, type Item } from './items';

const { partitionKey, sortKey, ttlAttribute } = INTEGRATIONS_TABLE;

const keyOf = (roomId: string, keyId: string) => ({ [partitionKey]: roomId, [sortKey]: integrationsKeys.apiKey(keyId) });

function recordOf(item: Item): ApiKeyRecord {
  const scopes = (Array.isArray(item['scopes']) ? item['scopes'] : [...((item['scopes'] as Set<string> | undefined) ?? [])]).filter(
    (s): s is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(String(s)),
  );
  const lastUsedAt = optionalStringAttr(item, 'lastUsedAt');
  const revokedAt = optionalStringAttr(item, 'revokedAt');
  return {
    roomId: stringAttr(item, partitionKey),
    keyId: stringAttr(item, 'keyId'),
    name: stringAttr(item, 'name'),
    scopes,
    ratePerMinute: Number(item['ratePerMinute']),
    ...(typeof item['dailyQuota'] === 'number' ? { dailyQuota: item['dailyQuota'] } : {}),
    secretHash: stringAttr(item, 'secretHash'),
    createdAt: stringAttr(item, 'createdAt'),
    createdBy: stringAttr(item, 'createdBy'),
    ...(lastUsedAt !== undefined ? { lastUsedAt } : {}),
    ...(revokedAt !== undefined ? { revokedAt } : {}),
  };
}

/**
 * API keys and their usage counters in the integrations table
 * (integrations-schema.ts): `KEY#<keyId>` holds a key, never its secret,
 * only the secret's hash; `USAGE#<keyId>#<window>` counts its requests in
 * one minute or one UTC day and expires after it.
 */
export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One strongly consistent GetItem: a key revoked a moment ago is refused at once. */
  async get(roomId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(roomId, keyId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : recordOf(Item);
  }

  async create(record: ApiKeyRecord): Promise<void> {
    const { roomId, ...rest } = record;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf(roomId, record.keyId), entity: INTEGRATIONS_ENTITY.apiKey, ...rest, scopes: [...record.scopes] },
          ConditionExpression: 'attribute_not_exists(#sk)',
          ExpressionAttributeNames: { '#sk': sortKey },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new ConflictError('An API key with this id exists already.', { cause: error });
      throw error;
    }
  }

  /** One Query on the room's partition, `KEY#` items only. */
  async list(roomId: string): Promise<ApiKeyRecord[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :room AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
        ExpressionAttributeValues: { ':room': roomId, ':prefix': integrationsKeys.apiKeyPrefix },
        // Revoked keys stay listed (with their revocation), so a room holds a bounded number in all.
        Limit: MAX_KEYS_PER_ROOM * 2,
        ConsistentRead: true,
      }),
    );
    return Items.map(recordOf);
  }

  async revoke(roomId: string, keyId: string, revokedAt: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(roomId, keyId),
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
          ConditionExpression: 'attribute_exists(#sk)',
          ExpressionAttributeNames: { '#sk': sortKey },
          ExpressionAttributeValues: { ':at': revokedAt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async touch(roomId: string, keyId: string, minute: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(roomId, keyId),
          UpdateExpression: 'SET lastUsedAt = :minute',
          // ISO-8601 times compare as strings; a key deleted meanwhile is not recreated.
          ConditionExpression: 'attribute_exists(#sk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :minute)',
          ExpressionAttributeNames: { '#sk': sortKey },
          ExpressionAttributeValues: { ':minute': minute },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async count(roomId: string, keyId: string, window: string, limit: number, expiresAtSeconds: number): Promise<number | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [partitionKey]: roomId, [sortKey]: integrationsKeys.usage(keyId, window) },
          UpdateExpression: 'SET entity = :entity, #ttl = :expiresAt ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'requests', '#ttl': ttlAttribute },
          ExpressionAttributeValues: { ':entity': INTEGRATIONS_ENTITY.usage, ':expiresAt': expiresAtSeconds, ':one': 1, ':limit': limit },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.['requests'] ?? 1);
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }
}
