import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RoomMemoryPurge } from '../../domain/room-purge';
import { batchWriteAll } from './batch-write';
import { MEMORY_TABLE } from './memory-schema';

/**
 * Deletes a deleted room's memory (its cursor, markers, windows and
 * summaries: the whole partition, see memory-schema.ts) a page at a time:
 * one keys-only Query, then one BatchWriteItem. Deleting an item that is
 * already gone succeeds, so a page run twice is harmless.
 */
export class DynamoMemoryPurge implements RoomMemoryPurge {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async deleteMemoryPage(roomId: string, limit: number): Promise<number> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :room',
        ProjectionExpression: '#pk, #sk',
        ExpressionAttributeNames: { '#pk': MEMORY_TABLE.partitionKey, '#sk': MEMORY_TABLE.sortKey },
        ExpressionAttributeValues: { ':room': roomId },
        Limit: limit,
      }),
    );
    const keys = (Items ?? []).map((item) => ({
      [MEMORY_TABLE.partitionKey]: item[MEMORY_TABLE.partitionKey],
      [MEMORY_TABLE.sortKey]: item[MEMORY_TABLE.sortKey],
    }));
    if (keys.length > 0) {
      await batchWriteAll(this.client, this.tableName, keys.map((Key) => ({ DeleteRequest: { Key } })));
    }
    return keys.length;
  }
}
