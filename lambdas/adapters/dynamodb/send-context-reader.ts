import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SendContext, SendContextReader } from '../../domain/send-context';
import { batchGetAll, CONSISTENT_READ } from './batch-get';
import { moderationSettingsKey } from './moderation-schema';
import { roomModerationOf } from './moderation-settings-repository';
import { retentionKey, toRoomRetention } from './retention-repository';
import { memberKey, toMembership } from './room-repository';

/**
 * Reads the sender's membership item, the room's moderation item and, when
 * asked, its retention policy item (all in the rooms table, under the
 * room's partition key) with one consistent BatchGetItem instead of two or
 * three GetItems: one round trip, the same read units. Each item is mapped
 * by its owner (room-repository, moderation-settings-repository,
 * retention-repository).
 */
export class DynamoSendContextReader implements SendContextReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(roomId: string, userId: string, options: { readonly withRetention?: boolean } = {}): Promise<SendContext> {
    const member = memberKey(roomId, userId);
    const moderation = moderationSettingsKey(roomId);
    const retention = retentionKey(roomId);
    const keys = options.withRetention ? [member, moderation, retention] : [member, moderation];
    const found = await batchGetAll(this.client, this.tableName, keys, undefined, CONSISTENT_READ);
    const itemOf = (key: { sk: string }) => found.find((item) => item['sk'] === key.sk);
    const membership = itemOf(member);
    const policy = options.withRetention ? itemOf(retention) : undefined;
    return {
      ...(membership ? { membership: toMembership(membership) } : {}),
      moderation: roomModerationOf(itemOf(moderation)),
      ...(options.withRetention ? { retention: policy ? { policy: toRoomRetention(policy) } : {} } : {}),
    };
  }
}
