import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HeldMarker, HeldQueue } from '../../domain/moderation/ports';
import type { Page } from '../../domain/types';
import { epochSeconds, type Item } from './items';
import { HELD_SK_PREFIX, heldKey, MODERATION_ENTITY, roomPk } from './moderation-schema';

const toMarker = (item: Item): HeldMarker | undefined => {
  const { roomId, messageId, expiresAt } = item;
  if (typeof roomId !== 'string' || typeof messageId !== 'string') return undefined;
  return { roomId, messageId, ...(typeof expiresAt === 'number' ? { expiresAt } : {}) };
};

/**
 * The review queue in the moderation table (moderation-schema.ts): one
 * small item per held message in its room's partition, so a page of the
 * queue is one Query, whatever the size of the history. Holding is a
 * PutItem and dropping a DeleteItem, both idempotent.
 */
export class DynamoHeldQueue implements HeldQueue {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async hold(marker: HeldMarker): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...heldKey(marker.roomId, marker.messageId),
          entity: MODERATION_ENTITY.held,
          roomId: marker.roomId,
          messageId: marker.messageId,
          ...(marker.expiresAt !== undefined ? { expiresAt: marker.expiresAt } : {}),
        },
      }),
    );
  }

  async drop(roomId: string, messageId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: heldKey(roomId, messageId) }));
  }

  async page(roomId: string, options: { limit: number; cursor?: string }): Promise<Page<HeldMarker>> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :held)',
        ExpressionAttributeValues: { ':pk': roomPk(roomId), ':held': HELD_SK_PREFIX },
        ScanIndexForward: true,
        Limit: options.limit,
        ...(options.cursor !== undefined ? { ExclusiveStartKey: heldKey(roomId, options.cursor) } : {}),
      }),
    );
    // TTL deletes lazily: a marker past its expiry names a message that is gone as far as anyone may know.
    const now = epochSeconds(this.now());
    const items = (result.Items ?? [])
      .map(toMarker)
      .filter((marker): marker is HeldMarker => marker !== undefined && (marker.expiresAt === undefined || marker.expiresAt >= now));
    const last = result.LastEvaluatedKey?.['sk'];
    const nextCursor = typeof last === 'string' && last.startsWith(HELD_SK_PREFIX) ? last.slice(HELD_SK_PREFIX.length) : undefined;
    return { items, ...(nextCursor !== undefined ? { nextCursor } : {}) };
  }
}
