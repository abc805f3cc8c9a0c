import {
  DeleteCommand,
  GetCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  MODERATION_STATES,
  type FinalModerationState,
  type ModeratedMessage,
} from '../../domain/moderation/message';
import type { ApplyDecisionResult, Decision, ModeratedMessageStore } from '../../domain/moderation/ports';
import type { SenderType } from '../../domain/types';
import { isConditionalCheckFailed } from './errors';
import { oneOfAttr, optionalStringAttr, stringAttr, type Item } from './items';

const SENDER_TYPES: readonly SenderType[] = ['human', 'agent', 'system'];
const FINAL_STATES = MODERATION_STATES.filter((s): s is FinalModerationState => s !== 'pending');

const messageKey = (roomId: string, messageId: string) => ({ roomId, sk: `MSG#${messageId}` });

/**
 * A message item with its moderation attributes. An item without a
 * `moderation` attribute was stored before moderation existed: allowed.
 */
export function toModeratedMessage(item: Item): ModeratedMessage {
  const clientMessageId = optionalStringAttr(item, 'clientMessageId');
  const decision = optionalStringAttr(item, 'decision');
  const moderatedAt = optionalStringAttr(item, 'moderatedAt');
  const hiddenBy = optionalStringAttr(item, 'hiddenBy');
  const hiddenAt = optionalStringAttr(item, 'hiddenAt');
  const releasedBy = optionalStringAttr(item, 'releasedBy');
  const reasons = item['moderationReasons'];
  return {
    roomId: stringAttr(item, 'roomId'),
    messageId: stringAttr(item, 'messageId'),
    senderId: stringAttr(item, 'senderId'),
    senderName: stringAttr(item, 'senderName'),
    senderType: oneOfAttr(item, 'senderType', SENDER_TYPES),
    text: stringAttr(item, 'text'),
    ...(clientMessageId !== undefined ? { clientMessageId } : {}),
    createdAt: stringAttr(item, 'createdAt'),
    moderation: item['moderation'] === undefined ? 'allowed' : oneOfAttr(item, 'moderation', MODERATION_STATES),
    ...(decision !== undefined && (FINAL_STATES as string[]).includes(decision)
      ? { decision: decision as FinalModerationState }
      : {}),
    ...(Array.isArray(reasons) ? { reasons: reasons.filter((r): r is string => typeof r === 'string') } : {}),
    ...(moderatedAt !== undefined ? { moderatedAt } : {}),
    ...(item['redacted'] === true ? { redacted: true } : {}),
    ...(hiddenBy !== undefined && hiddenAt !== undefined ? { hidden: { by: hiddenBy, at: hiddenAt } } : {}),
    ...(releasedBy !== undefined ? { releasedBy } : {}),
  };
}

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
    return Item ? toModeratedMessage(Item) : undefined;
  }

  async applyDecision(roomId: string, messageId: string, decision: Decision): Promise<ApplyDecisionResult> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(roomId, messageId),
          UpdateExpression:
            'SET #moderation = :state, #decision = :state, #text = :text, #redacted = :redacted, #reasons = :reasons, #at = :at',
          ConditionExpression: '#moderation = :pending',
          ExpressionAttributeNames: {
            '#moderation': 'moderation',
            '#decision': 'decision',
            '#text': 'text',
            '#redacted': 'redacted',
            '#reasons': 'moderationReasons',
            '#at': 'moderatedAt',
          },
          ExpressionAttributeValues: {
            ':state': decision.state,
            ':text': decision.text,
            ':redacted': decision.redacted,
            ':reasons': [...decision.reasons],
            ':at': decision.decidedAt,
            ':pending': 'pending',
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { applied: true, message: toModeratedMessage(Attributes as Item) };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const current = itemOfFailure(error);
      return current ? { applied: false, current: toModeratedMessage(current) } : { applied: false };
    }
  }

  async setHidden(
    roomId: string,
    messageId: string,
    hidden: { by: string; at: string } | undefined,
  ): Promise<ModeratedMessage | undefined> {
    const change = hidden
      ? {
          UpdateExpression: 'SET hiddenBy = :by, hiddenAt = :at',
          ConditionExpression: 'attribute_exists(sk) AND attribute_not_exists(hiddenBy)',
          ExpressionAttributeValues: { ':by': hidden.by, ':at': hidden.at },
        }
      : { UpdateExpression: 'REMOVE hiddenBy, hiddenAt', ConditionExpression: 'attribute_exists(hiddenBy)' };
    return this.conditionalUpdate(roomId, messageId, change);
  }

  async release(
    roomId: string,
    messageId: string,
    to: 'allowed' | 'redacted',
    by: string,
  ): Promise<ModeratedMessage | undefined> {
    return this.conditionalUpdate(roomId, messageId, {
      UpdateExpression: 'SET #moderation = :to, releasedBy = :by',
      ConditionExpression: '#moderation = :quarantined',
      ExpressionAttributeNames: { '#moderation': 'moderation' },
      ExpressionAttributeValues: { ':to': to, ':by': by, ':quarantined': 'quarantined' },
    });
  }

  async delete(roomId: string, messageId: string): Promise<ModeratedMessage | undefined> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: messageKey(roomId, messageId), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes ? toModeratedMessage(Attributes) : undefined;
  }

  private async conditionalUpdate(
    roomId: string,
    messageId: string,
    change: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues?: Record<string, unknown>;
    },
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
      return toModeratedMessage(Attributes as Item);
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }
}
