import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventRooms } from '../../domain/events/ports';
import type { Room } from '../../domain/types';
import { batchGetAll } from './batch-get';
import { metaKey, toRoom } from './room-repository';

/** The rooms a batch of domain events needs, read with one BatchGetItem (per 100 rooms). */
export class DynamoEventRooms implements EventRooms {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async roomsById(roomIds: readonly string[]): Promise<ReadonlyMap<string, Room>> {
    const items = await batchGetAll(this.client, this.tableName, [...new Set(roomIds)].map(metaKey), undefined);
    return new Map(items.map((item) => [String(item['roomId']), toRoom(item)]));
  }
}
