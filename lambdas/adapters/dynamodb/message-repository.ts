import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors';
import type { ModeratedMessage } from '../../domain/message';
import type { HistoryQuery, MessageEdit, MessageRepository, SaveResult } from '../../domain/ports';
import { isConditionalCheckFailed } from './errors';
import type { Page } from '../../domain/types';
import { epochSeconds, stringAttr, type Item } from './items';
import {
  dedupeKey,
  editUpdate,
  MESSAGE_SK_PREFIX,
  messageIdOfSk,
  messageKey,
  toMessage,
  writeMessage,
} from './message-items';

export interface MessageRepositoryOptions {
  /** How long a retry with the same clientMessageId is recognised (default 24 h). */
  readonly dedupeTtlSeconds?: number;
}

/** A room's messages in the messages table (items: message-items.ts). */
export class DynamoMessageRepository implements MessageRepository {
  private readonly dedupeTtlSeconds: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: MessageRepositoryOptions = {},
  ) {
    this.dedupeTtlSeconds = options.dedupeTtlSeconds ?? 86_400;
  }

  /**
   * Writes the message and its idempotency marker in one transaction. When
   * the marker already exists the sender is retrying: the message stored
   * first is read back and returned instead.
   */
  async saveMessage(message: ModeratedMessage & { clientMessageId: string }, expiresAt?: number): Promise<SaveResult> {
    const written = await writeMessage(this.client, this.tableName, message, {
      dedupeTtlSeconds: this.dedupeTtlSeconds,
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    });
    if (written.stored) return { stored: true };
    return {
      stored: false,
      existing: await this.readDuplicate(dedupeKey(message.roomId, message.senderId, message.clientMessageId), written.cause),
    };
  }

  private async readDuplicate(markerKey: { roomId: string; sk: string }, cause: unknown): Promise<ModeratedMessage> {
    const marker = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: markerKey, ConsistentRead: true }),
    );
    // The marker expired between the failed write and this read: the caller may retry.
    if (!marker.Item) throw cause;
    const stored = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: messageKey(markerKey.roomId, stringAttr(marker.Item, 'messageId')),
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
  async getHistory(roomId: string, query: HistoryQuery): Promise<Page<ModeratedMessage>> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'roomId = :roomId AND begins_with(sk, :msg)',
        // DynamoDB deletes expired items late (often days after expiry); a
        // message past its room's retention must not show in the meantime.
        FilterExpression: 'attribute_not_exists(expiresAt) OR expiresAt > :now',
        ExpressionAttributeValues: { ':roomId': roomId, ':msg': MESSAGE_SK_PREFIX, ':now': epochSeconds(Date.now()) },
        ScanIndexForward: query.direction === 'forward',
        Limit: query.limit,
        ...(query.cursor !== undefined ? { ExclusiveStartKey: messageKey(roomId, query.cursor) } : {}),
      }),
    );
    const messages = (page.Items ?? []).map(toMessage);
    if (query.direction === 'backward') messages.reverse();
    const nextCursor = messageIdOfSk(page.LastEvaluatedKey?.['sk']);
    return { items: messages, ...(nextCursor !== undefined ? { nextCursor } : {}) };
  }

  async getMessage(roomId: string, messageId: string): Promise<ModeratedMessage | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: messageKey(roomId, messageId), ConsistentRead: true }),
    );
    return Item ? toMessage(Item) : undefined;
  }

  /** One conditional UpdateItem (see editUpdate); a failed condition changes nothing and resolves undefined. */
  async editMessage(edit: MessageEdit): Promise<ModeratedMessage | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(edit.roomId, edit.messageId),
          ...editUpdate(edit),
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
