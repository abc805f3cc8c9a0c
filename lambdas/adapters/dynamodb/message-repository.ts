import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors';
import type { ModerationInfo } from '../../domain/moderation/message';
import type { HistoryQuery, MessageRepository, SaveResult } from '../../domain/ports';
import type { Message, Page } from '../../domain/types';
import { isTransactionConditionFailure } from './errors';
import { epochSeconds, stringAttr, type Item } from './items';
import { toModeratedMessage } from './moderation-message-store';
import { ENTITY } from './schema';

export interface MessageRepositoryOptions {
  /** How long a retry with the same clientMessageId is recognised (default 24 h). */
  readonly dedupeTtlSeconds?: number;
  /**
   * When a message should expire, in epoch seconds; `undefined` keeps it.
   * Returning a number sets the table's TTL attribute on the message item.
   */
  readonly expiresAt?: (message: Message) => number | undefined;
}

const MSG_PREFIX = 'MSG#';

const messageSk = (messageId: string): string => `${MSG_PREFIX}${messageId}`;
const dedupeSk = (senderId: string, clientMessageId: string): string =>
  `DEDUP#${senderId}#${clientMessageId}`;

/** A stored message with its moderation state, which history uses to decide who may see it. */
const toMessage = (item: Item): Message => {
  const message = toModeratedMessage(item);
  if (item['moderation'] !== undefined) return message;
  // Stored before moderation existed: a plain message, which counts as allowed.
  const { moderation: _allowed, ...plain } = message;
  return plain;
};

/**
 * The moderation attributes of a new message item. A message moderated
 * before it is stored (a person's, see sendMessage) gets the attributes the
 * moderation consumer's decision writes (see DynamoModeratedMessageStore), so
 * history and moderator actions read the same item either way. One without a
 * decision is stored `pending`: nobody but its sender sees it until the
 * moderation consumer decides, and agents and memory only take moderated text.
 */
const moderationAttributes = (message: Partial<ModerationInfo>): Item =>
  message.moderation !== undefined && message.moderation !== 'pending' && message.decision !== undefined
    ? {
        moderation: message.moderation,
        decision: message.decision,
        redacted: message.redacted === true,
        moderationReasons: [...(message.reasons ?? [])],
        ...(message.moderatedAt !== undefined ? { moderatedAt: message.moderatedAt } : {}),
      }
    : { moderation: 'pending' };

/** A room's messages in the messages table (see schema.ts). */
export class DynamoMessageRepository implements MessageRepository {
  private readonly dedupeTtlSeconds: number;
  private readonly expiresAt: (message: Message) => number | undefined;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: MessageRepositoryOptions = {},
  ) {
    this.dedupeTtlSeconds = options.dedupeTtlSeconds ?? 86_400;
    this.expiresAt = options.expiresAt ?? (() => undefined);
  }

  /**
   * Writes the message and its idempotency marker in one transaction. When
   * the marker already exists the sender is retrying: the message stored
   * first is read back and returned instead.
   */
  async saveMessage(message: Message & { clientMessageId: string }): Promise<SaveResult> {
    const nowSeconds = epochSeconds(Date.now());
    const expiresAt = this.expiresAt(message);
    const markerKey = { roomId: message.roomId, sk: dedupeSk(message.senderId, message.clientMessageId) };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  roomId: message.roomId,
                  sk: messageSk(message.messageId),
                  entity: ENTITY.message,
                  messageId: message.messageId,
                  senderId: message.senderId,
                  senderName: message.senderName,
                  senderType: message.senderType,
                  text: message.text,
                  clientMessageId: message.clientMessageId,
                  createdAt: message.createdAt,
                  // The message may carry its moderation (a person's is moderated before it is stored).
                  ...moderationAttributes(message as Partial<ModerationInfo>),
                  ...(expiresAt !== undefined ? { expiresAt } : {}),
                },
                ConditionExpression: 'attribute_not_exists(sk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...markerKey,
                  entity: ENTITY.dedupe,
                  messageId: message.messageId,
                  expiresAt: nowSeconds + this.dedupeTtlSeconds,
                },
                // TTL deletes lazily, so a marker past its expiry counts as absent.
                ConditionExpression: 'attribute_not_exists(sk) OR expiresAt < :now',
                ExpressionAttributeValues: { ':now': nowSeconds },
              },
            },
          ],
        }),
      );
      return { stored: true };
    } catch (error) {
      if (!isTransactionConditionFailure(error, 1)) throw error;
      return { stored: false, existing: await this.readDuplicate(markerKey, error) };
    }
  }

  private async readDuplicate(markerKey: { roomId: string; sk: string }, cause: unknown): Promise<Message> {
    const marker = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: markerKey, ConsistentRead: true }),
    );
    // The marker expired between the failed write and this read: the caller may retry.
    if (!marker.Item) throw cause;
    const messageId = stringAttr(marker.Item, 'messageId');
    const stored = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { roomId: markerKey.roomId, sk: messageSk(messageId) },
        ConsistentRead: true,
      }),
    );
    if (!stored.Item) {
      // The first message has expired under a retention policy; its id is spent all the same.
      throw new ConflictError('A message with this clientMessageId was already sent.', { cause });
    }
    return toMessage(stored.Item);
  }

  /**
   * One Query per page. Backward reads newest first from the cursor and
   * reverses the page; forward reads oldest first after the cursor. The
   * next cursor is the id of the last message DynamoDB evaluated.
   */
  async getHistory(roomId: string, query: HistoryQuery): Promise<Page<Message>> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'roomId = :roomId AND begins_with(sk, :msg)',
        // DynamoDB deletes expired items late (often days after expiry); a
        // message past its room's retention must not show in the meantime.
        FilterExpression: 'attribute_not_exists(expiresAt) OR expiresAt > :now',
        ExpressionAttributeValues: { ':roomId': roomId, ':msg': MSG_PREFIX, ':now': epochSeconds(Date.now()) },
        ScanIndexForward: query.direction === 'forward',
        Limit: query.limit,
        ...(query.cursor !== undefined
          ? { ExclusiveStartKey: { roomId, sk: messageSk(query.cursor) } }
          : {}),
      }),
    );
    const messages = (page.Items ?? []).map(toMessage);
    if (query.direction === 'backward') messages.reverse();
    const lastSk = page.LastEvaluatedKey?.sk;
    return {
      items: messages,
      ...(typeof lastSk === 'string' && lastSk.startsWith(MSG_PREFIX)
        ? { nextCursor: lastSk.slice(MSG_PREFIX.length) }
        : {}),
    };
  }
}
