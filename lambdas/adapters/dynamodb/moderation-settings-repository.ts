import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ModerationSettingsRepository, RoomModeration } from '../../domain/moderation/ports';
import { settingsFromStored, type ModerationSettings } from '../../domain/moderation/settings';
import { AGENT_COUNT_ATTRIBUTE, MODERATION_ENTITY, moderationSettingsKey } from './moderation-schema';

/** The settings and agents flag a room's moderation item holds (none: the defaults, no agents). */
export const roomModerationOf = (item: Record<string, unknown> | undefined): RoomModeration => {
  const count = item?.[AGENT_COUNT_ATTRIBUTE];
  return {
    // An item holding only the agent count means the room kept the default settings.
    ...(item?.['settings'] !== undefined ? { settings: settingsFromStored(item['settings']) } : {}),
    hasAgents: typeof count === 'number' && count > 0,
  };
};

/**
 * A room's moderation settings: one item beside the room in the rooms table.
 * The item also carries the room's agent count, written by the agents'
 * repository, so settings are saved with an update that leaves it alone.
 */
export class DynamoModerationSettingsRepository implements ModerationSettingsRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(roomId: string): Promise<ModerationSettings | undefined> {
    return (await this.getForCheck(roomId)).settings;
  }

  async getForCheck(roomId: string): Promise<RoomModeration> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: moderationSettingsKey(roomId), ConsistentRead: true }),
    );
    return roomModerationOf(Item);
  }

  async put(roomId: string, settings: ModerationSettings, change: { updatedBy: string; updatedAt: string }) {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: moderationSettingsKey(roomId),
        UpdateExpression: 'SET entity = :entity, roomId = :roomId, settings = :settings, updatedBy = :by, updatedAt = :at',
        ExpressionAttributeValues: {
          ':entity': MODERATION_ENTITY.settings,
          ':roomId': roomId,
          ':settings': settings,
          ':by': change.updatedBy,
          ':at': change.updatedAt,
        },
      }),
    );
  }
}
