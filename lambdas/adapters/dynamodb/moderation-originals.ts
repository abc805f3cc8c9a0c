import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OriginalText, OriginalTextStore } from '../../domain/moderation/ports';
import { epochSeconds, stringAttr } from './items';
import { MODERATION_ENTITY, roomPk } from './moderation-schema';

const originalKey = (roomId: string, messageId: string) => ({ pk: roomPk(roomId), sk: `ORIGINAL#${messageId}` });

/**
 * Originals in the moderation table, which is encrypted with the content key
 * and granted only to the moderation functions. Each expires after the
 * retention period (DynamoDB TTL), so a kept original is not kept forever.
 */
export class DynamoOriginalTextStore implements OriginalTextStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
  ) {}

  async put(original: OriginalText): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...originalKey(original.roomId, original.messageId),
          entity: MODERATION_ENTITY.original,
          roomId: original.roomId,
          messageId: original.messageId,
          senderId: original.senderId,
          text: original.text,
          ...(original.previousText !== undefined ? { previousText: original.previousText } : {}),
          reasons: [...original.reasons],
          keptAt: original.keptAt,
          expiresAt: epochSeconds(Date.parse(original.keptAt)) + this.retentionDays * 86_400,
        },
      }),
    );
  }

  async get(roomId: string, messageId: string): Promise<OriginalText | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: originalKey(roomId, messageId), ConsistentRead: true }),
    );
    // TTL deletes lazily: an original past its expiry is gone as far as anyone may know.
    if (!Item || (typeof Item['expiresAt'] === 'number' && Item['expiresAt'] < epochSeconds(Date.now()))) {
      return undefined;
    }
    return {
      roomId: stringAttr(Item, 'roomId'),
      messageId: stringAttr(Item, 'messageId'),
      senderId: stringAttr(Item, 'senderId'),
      text: stringAttr(Item, 'text'),
      ...(typeof Item['previousText'] === 'string' ? { previousText: Item['previousText'] } : {}),
      reasons: Array.isArray(Item['reasons']) ? (Item['reasons'] as string[]) : [],
      keptAt: stringAttr(Item, 'keptAt'),
    };
  }

  async delete(roomId: string, messageId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: originalKey(roomId, messageId) }));
  }
}
