import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ParleyError } from '../../domain/errors';
import type { SendContext, SendContextReader } from '../../domain/send-context';
import type { Item } from './items';
import { moderationSettingsKey } from './moderation-schema';
import { roomModerationOf } from './moderation-settings-repository';
import { memberKey, toMembership } from './room-repository';

/** Tries of a read DynamoDB leaves (partly) unprocessed under throttling, the first included. */
const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 25;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads the sender's membership item and the room's moderation item (both
 * in the rooms table, under the room's partition key) with one consistent
 * BatchGetItem instead of two GetItems: one round trip, the same read units.
 * Each item is mapped by its owner (room-repository, moderation-settings-
 * repository). Keys DynamoDB leaves unprocessed are asked for again, with
 * jittered backoff, a few times.
 */
export class DynamoSendContextReader implements SendContextReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(roomId: string, userId: string): Promise<SendContext> {
    const member = memberKey(roomId, userId);
    const moderation = moderationSettingsKey(roomId);
    const found: Item[] = [];
    let pending: Item[] = [member, moderation];
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const result = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...((result.Responses?.[this.tableName] ?? []) as Item[]));
      pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Item[];
      if (pending.length === 0) break;
      if (attempt >= MAX_ATTEMPTS) {
        throw new ParleyError(`BatchGetItem left ${pending.length} keys unprocessed after ${MAX_ATTEMPTS} attempts.`);
      }
      await sleep(Math.random() * BASE_DELAY_MS * 2 ** attempt);
    }
    const itemOf = (key: { sk: string }) => found.find((item) => item['sk'] === key.sk);
    const membership = itemOf(member);
    return {
      ...(membership ? { membership: toMembership(membership) } : {}),
      moderation: roomModerationOf(itemOf(moderation)),
    };
  }
}
