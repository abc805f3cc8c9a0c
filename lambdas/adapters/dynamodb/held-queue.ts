import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HeldMarker, HeldQueue } from '../../domain/moderation/ports';
import type { Page } from '../../domain/types';
import { isConditionalCheckFailed } from './errors';
import { epochSeconds, type Item } from './items';
import { HELD_SK_PREFIX, heldKey, MODERATION_ENTITY, roomPk } from './moderation-schema';

const toMarker = (item: Item): HeldMarker | undefined => {
  const { roomId, messageId, expiresAt, version } = item;
  if (typeof roomId !== 'string' || typeof messageId !== 'string') return undefined;
  return { roomId, messageId, ...(typeof expiresAt === 'number' ? { expiresAt } : {}), ...(typeof version === 'string' ? { version } : {}) };
};

/**
 * The review queue in the moderation table (moderation-schema.ts): one
 * small item per held message in its room's partition, so a page of the
 * queue is one Query, whatever the size of the history. Holding is a
 * PutItem and dropping a DeleteItem, both idempotent. Each hold writes a
 * new `version`, so a reader's clean-up (dropIfUnchanged) is a DeleteItem
 * conditioned on the version it read, and loses to a hold written since.
 */
export class DynamoHeldQueue implements HeldQueue {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
    private readonly newVersion: () => string = randomUUID,
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
          version: this.newVersion(),
        },
      }),
    );
  }

  async drop(roomId: string, messageId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: heldKey(roomId, messageId) }));
  }

  async dropIfUnchanged(marker: HeldMarker): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: heldKey(marker.roomId, marker.messageId),
          // A marker from before versions has none; one written since the read has another.
          ...(marker.version === undefined
            ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#version)', ExpressionAttributeNames: { '#version': 'version' } }
            : {
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': marker.version },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
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
