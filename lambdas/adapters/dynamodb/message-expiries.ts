import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ParleyError } from '../../domain/errors';
import type { MessageExpiryPage, RoomMessageExpiries } from '../../domain/room-purge';
import { isConditionalCheckFailed } from './errors';
import { MESSAGE_SK_PREFIX, messageIdOfSk, messageKey } from './message-items';
import { MESSAGES_TABLE } from './schema';

/**
 * A room's message expiries, for a deleted room's purge: pages of message
 * keys with their `expiresAt` (keys only, so a page of a hundred messages
 * reads a few kilobytes), and a conditional UpdateItem that moves a
 * message's expiry earlier. The cursor is the last sort key read, which is
 * all DynamoDB needs to go on within the room's partition.
 */
export class DynamoMessageExpiries implements RoomMessageExpiries {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async pageMessages(roomId: string, limit: number, cursor?: string): Promise<MessageExpiryPage> {
    if (cursor !== undefined && messageIdOfSk(cursor) === undefined) {
      throw new ParleyError('A purge cursor names a message key.');
    }
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :room AND begins_with(#sk, :prefix)',
        ProjectionExpression: '#sk, #ttl',
        ExpressionAttributeNames: {
          '#pk': MESSAGES_TABLE.partitionKey,
          '#sk': MESSAGES_TABLE.sortKey,
          '#ttl': MESSAGES_TABLE.ttlAttribute,
        },
        ExpressionAttributeValues: { ':room': roomId, ':prefix': MESSAGE_SK_PREFIX },
        Limit: limit,
        ...(cursor === undefined ? {} : { ExclusiveStartKey: { [MESSAGES_TABLE.partitionKey]: roomId, [MESSAGES_TABLE.sortKey]: cursor } }),
      }),
    );
    const messages = (result.Items ?? []).flatMap((item) => {
      const messageId = messageIdOfSk(item[MESSAGES_TABLE.sortKey]);
      const expiresAt = item[MESSAGES_TABLE.ttlAttribute];
      if (messageId === undefined) return [];
      return [typeof expiresAt === 'number' ? { messageId, expiresAt } : { messageId }];
    });
    const last = result.LastEvaluatedKey?.[MESSAGES_TABLE.sortKey];
    return typeof last === 'string' ? { messages, cursor: last } : { messages };
  }

  async expireMessage(roomId: string, messageId: string, expiresAt: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(roomId, messageId),
          UpdateExpression: 'SET #ttl = :at',
          // Only an existing message (an update must not create an item), and only ever earlier.
          ConditionExpression: 'attribute_exists(#sk) AND (attribute_not_exists(#ttl) OR #ttl > :at)',
          ExpressionAttributeNames: { '#sk': MESSAGES_TABLE.sortKey, '#ttl': MESSAGES_TABLE.ttlAttribute },
          ExpressionAttributeValues: { ':at': expiresAt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
