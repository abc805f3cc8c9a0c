import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ModerationSettingsRepository } from '../../domain/moderation/ports';
import { settingsFromStored, type ModerationSettings } from '../../domain/moderation/settings';
import { MODERATION_ENTITY, roomPk } from './moderation-schema';

const settingsKey = (roomId: string) => ({ pk: roomPk(roomId), sk: 'MODERATION' });

/** A room's moderation settings: one item beside the room in the rooms table. */
export class DynamoModerationSettingsRepository implements ModerationSettingsRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(roomId: string): Promise<ModerationSettings | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: settingsKey(roomId), ConsistentRead: true }),
    );
    return Item ? settingsFromStored(Item['settings']) : undefined;
  }

  async put(roomId: string, settings: ModerationSettings, change: { updatedBy: string; updatedAt: string }) {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...settingsKey(roomId),
          entity: MODERATION_ENTITY.settings,
          roomId,
          settings,
          updatedBy: change.updatedBy,
          updatedAt: change.updatedAt,
        },
      }),
    );
  }
}
