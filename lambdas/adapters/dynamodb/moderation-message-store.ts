import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ModeratedMessage } from '../../domain/message';
import type { ApplyDecisionResult, Decision, ModeratedMessageStore } from '../../domain/moderation/ports';
import { batchGetAll } from './batch-get';
import { isConditionalCheckFailed } from './errors';
import type { Item } from './items';
import { decisionUpdate, hiddenUpdate, isMessageItem, messageKey, releaseUpdate, toMessage, type MessageUpdate } from './message-items';

/** The item a failed condition returned (ReturnValuesOnConditionCheckFailure), if any. */
const itemOfFailure = (error: unknown): Item | undefined => {
  const item = (error as { Item?: Record<string, unknown> }).Item;
  return item ? (unmarshall(item as Parameters<typeof unmarshall>[0]) as Item) : undefined;
};

/**
 * The moderation side of the messages table. Every change is one
 * conditional UpdateItem (or DeleteItem), so a redelivered stream record or
 * a repeated moderator action finds the condition false and changes nothing.
 */
export class DynamoModeratedMessageStore implements ModeratedMessageStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(roomId: string, messageId: string): Promise<ModeratedMessage | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: messageKey(roomId, messageId), ConsistentRead: true }),
    );
    return Item ? toMessage(Item) : undefined;
  }

  async applyDecision(roomId: string, messageId: string, decision: Decision): Promise<ApplyDecisionResult> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(roomId, messageId),
          ...decisionUpdate(decision),
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { applied: true, message: toMessage(Attributes as Item) };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const current = itemOfFailure(error);
      return current ? { applied: false, current: toMessage(current) } : { applied: false };
    }
  }

  /** One BatchGetItem per 100 ids: the review queue reads the messages its page of markers names. */
  async getMany(roomId: string, messageIds: readonly string[]): Promise<ModeratedMessage[]> {
    const items = await batchGetAll(this.client, this.tableName, messageIds.map((id) => messageKey(roomId, id)), undefined);
    return items.filter(isMessageItem).map((item) => toMessage(item));
  }

  async setHidden(
    roomId: string,
    messageId: string,
    hidden: { by: string; at: string } | undefined,
  ): Promise<ModeratedMessage | undefined> {
    return this.conditionalUpdate(roomId, messageId, hiddenUpdate(hidden));
  }

  async release(
    roomId: string,
    messageId: string,
    to: 'allowed' | 'redacted',
    by: string,
  ): Promise<ModeratedMessage | undefined> {
    return this.conditionalUpdate(roomId, messageId, releaseUpdate(to, by));
  }

  async delete(roomId: string, messageId: string): Promise<ModeratedMessage | undefined> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: messageKey(roomId, messageId), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes ? toMessage(Attributes) : undefined;
  }

  private async conditionalUpdate(
    roomId: string,
    messageId: string,
    change: MessageUpdate,
  ): Promise<ModeratedMessage | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(roomId, messageId),
          ...change,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toMessage(Attributes as Item);
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }
}
