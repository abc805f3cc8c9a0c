import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ParleyError } from '../../domain/errors';
import { isRetentionPeriod, type RetentionPeriod, type RoomRetention } from '../../domain/retention/policy';
import type { RetentionRepository } from '../../domain/retention/ports';
import { stringAttr, type Item } from './items';

/** The `entity` of retention policy items (see schema.ts for the others). */
export const RETENTION_ENTITY = 'retentionPolicy';

/**
 * A room's retention policy: one item beside the room in the rooms table,
 * `ROOM#<roomId>` / `RETENTION`. `days` is a number, or the string `forever`.
 */
export const retentionKey = (roomId: string) => ({ pk: `ROOM#${roomId}`, sk: 'RETENTION' });

const daysOf = (item: Item): RetentionPeriod => {
  const days = item['days'];
  if (!isRetentionPeriod(days)) throw new ParleyError('Stored retention policy has an unexpected "days".');
  return days;
};

/** A retention policy item as the room's policy. */
export const toRoomRetention = (item: Item): RoomRetention => ({
  roomId: stringAttr(item, 'roomId'),
  days: daysOf(item),
  archiveDeletions: item['archiveDeletions'] === true,
  updatedAt: stringAttr(item, 'updatedAt'),
  updatedBy: stringAttr(item, 'updatedBy'),
});

/** Rooms' retention policies in the rooms table. */
export class DynamoRetentionRepository implements RetentionRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getRetention(roomId: string): Promise<RoomRetention | undefined> {
    // Consistent: an owner reading back the policy just set must see it.
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: retentionKey(roomId), ConsistentRead: true }),
    );
    return Item ? toRoomRetention(Item) : undefined;
  }

  async putRetention(retention: RoomRetention): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...retentionKey(retention.roomId),
          entity: RETENTION_ENTITY,
          roomId: retention.roomId,
          days: retention.days,
          archiveDeletions: retention.archiveDeletions,
          updatedAt: retention.updatedAt,
          updatedBy: retention.updatedBy,
        },
      }),
    );
  }
}
