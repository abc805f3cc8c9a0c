import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RoomMemoryPurge, RoomPartitionPurge } from '../../domain/room-purge';
import { batchWriteAll } from './batch-write';
import { MEMORY_TABLE } from './memory-schema';

/**
 * Deletes a deleted room's partition of a feature table keyed by room (its
 * `partitionKey` is the room id) a page at a time: one keys-only Query,
 * then one BatchWriteItem. Deleting an item that is already gone succeeds,
 * so a page run twice is harmless.
 */
export class DynamoPartitionPurge implements RoomPartitionPurge {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly keys: { readonly partitionKey: string; readonly sortKey: string },
  ) {}

  async deletePage(roomId: string, limit: number): Promise<number> {
    const { partitionKey, sortKey } = this.keys;
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :room',
        ProjectionExpression: '#pk, #sk',
        ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
        ExpressionAttributeValues: { ':room': roomId },
        Limit: limit,
      }),
    );
    const keys = (Items ?? []).map((item) => ({ [partitionKey]: item[partitionKey], [sortKey]: item[sortKey] }));
    if (keys.length > 0) {
      await batchWriteAll(this.client, this.tableName, keys.map((Key) => ({ DeleteRequest: { Key } })));
    }
    return keys.length;
  }
}

/** A deleted room's memory (its cursor, markers, windows and summaries: the whole partition, see memory-schema.ts). */
export class DynamoMemoryPurge implements RoomMemoryPurge {
  private readonly partition: DynamoPartitionPurge;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.partition = new DynamoPartitionPurge(client, tableName, MEMORY_TABLE);
  }

  deleteMemoryPage(roomId: string, limit: number): Promise<number> {
    return this.partition.deletePage(roomId, limit);
  }
}
