import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReadStateRepository } from '../../domain/presence/ports';
import type { ReadState } from '../../domain/presence/read-state';
import { batchGetAll } from './batch-get';
import { isConditionalCheckFailed } from './errors';
import { stringAttr, type Item } from './items';
import { ENTITY, readStateKey } from './schema';

const toReadState = (item: Item): ReadState => ({
  roomId: stringAttr(item, 'roomId'),
  messageId: stringAttr(item, 'messageId'),
  readAt: stringAttr(item, 'readAt'),
});

/**
 * Members' last-read messages in the rooms table (`ROOM#<roomId>` /
 * `READ#<userId>`, see schema.ts), an item of its own beside the
 * membership so that rewriting a membership never loses it. Message ids
 * sort by time, so "never backwards" is one conditional update.
 */
export class DynamoReadStateRepository implements ReadStateRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async markRead(userId: string, state: ReadState): Promise<{ moved: boolean; state: ReadState }> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: readStateKey(state.roomId, userId),
          UpdateExpression: 'SET messageId = :messageId, readAt = :readAt, entity = :entity, roomId = :roomId, userId = :userId',
          ConditionExpression: 'attribute_not_exists(messageId) OR messageId < :messageId',
          ExpressionAttributeValues: {
            ':messageId': state.messageId,
            ':readAt': state.readAt,
            ':entity': ENTITY.readState,
            ':roomId': state.roomId,
            ':userId': userId,
          },
        }),
      );
      return { moved: true, state };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const [stored] = await this.readStates(userId, [state.roomId]);
    return { moved: false, state: stored ?? state };
  }

  async readStates(userId: string, roomIds: readonly string[]): Promise<ReadState[]> {
    const keys = [...new Set(roomIds)].map((roomId) => readStateKey(roomId, userId));
    if (keys.length === 0) return [];
    const items = await batchGetAll(this.client, this.tableName, keys, 'roomId, messageId, readAt');
    return items.map(toReadState);
  }
}
