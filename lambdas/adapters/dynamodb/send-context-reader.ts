import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SendContext, SendContextReader } from '../../domain/send-context';
import { consistentBatchGet } from './consistent-batch-get';
import { moderationSettingsKey } from './moderation-schema';
import { roomModerationOf } from './moderation-settings-repository';
import { memberKey, toMembership } from './room-repository';

/**
 * Reads the sender's membership item and the room's moderation item (both
 * in the rooms table, under the room's partition key) with one consistent
 * BatchGetItem instead of two GetItems: one round trip, the same read units.
 * Each item is mapped by its owner (room-repository, moderation-settings-
 * repository).
 */
export class DynamoSendContextReader implements SendContextReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(roomId: string, userId: string): Promise<SendContext> {
    const member = memberKey(roomId, userId);
    const moderation = moderationSettingsKey(roomId);
    const found = await consistentBatchGet(this.client, this.tableName, [member, moderation]);
    const itemOf = (key: { sk: string }) => found.find((item) => item['sk'] === key.sk);
    const membership = itemOf(member);
    return {
      ...(membership ? { membership: toMembership(membership) } : {}),
      moderation: roomModerationOf(itemOf(moderation)),
    };
  }
}
