import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RoomPartitionPurge } from '../../domain/room-purge';
import { batchWriteAll } from './batch-write';
import { GAMES_TABLE, gamesKeys } from './games-schema';
import type { Item } from './items';

type Key = Record<string, unknown>;

/**
 * The partition an item of a room's partition owns, if any: a round's lines
 * and votes live under `ROUND#<roundId>`, a dialogue's turns under
 * `DIALOGUE#<dialogueId>` (games-schema.ts). The markers `ROUND#OPEN` and
 * `DIALOGUE#ACTIVE` own nothing.
 */
function childPartitionOf(sk: string): string | undefined {
  if (sk === gamesKeys.openRound || sk === gamesKeys.activeDialogue) return undefined;
  if (sk.startsWith(gamesKeys.roundsPrefix)) return gamesKeys.roundPartition(sk.slice(gamesKeys.roundsPrefix.length));
  if (sk.startsWith('DIALOGUE#')) return gamesKeys.dialoguePartition(sk.slice('DIALOGUE#'.length));
  return undefined;
}

/**
 * Deletes a deleted room's game data a page at a time: its partition
 * (`ROOM#<roomId>`: rounds, the open round, scenarios, dialogues, the active
 * dialogue), each round's and dialogue's own partition (lines, votes,
 * turns), found from the room partition's items, and its leaderboard
 * (`LB#<roomId>`). A round or dialogue item is deleted only once its own
 * partition is empty, so an interrupted page leaves it there and the next
 * page finds what remains through it. The overall leaderboard (`LB#ALL`) keeps the
 * points players earned in the room: they were won, and a room's deletion
 * does not take them back (docs/architecture.md).
 *
 * A page deletes at most `limit` items, children first, and fewer than
 * `limit` only when nothing is left; deleting an item already gone succeeds,
 * so a page run twice is harmless.
 */
export class DynamoGamesPurge implements RoomPartitionPurge {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async deletePage(roomId: string, limit: number): Promise<number> {
    const parents = await this.keysOf(gamesKeys.room(roomId), limit);
    const children: Key[] = [];
    const done: Key[] = [];
    let budget = limit;
    for (const parent of parents) {
      if (budget === 0) break;
      const child = childPartitionOf(String(parent[GAMES_TABLE.sortKey]));
      if (child !== undefined) {
        const owned = await this.keysOf(child, budget);
        children.push(...owned);
        budget -= owned.length;
        // A full page of children may not be all of them: the parent stays, to be found again.
        if (budget === 0) break;
      }
      done.push(parent);
      budget -= 1;
    }
    if (budget > 0 && parents.length < limit) done.push(...(await this.keysOf(gamesKeys.roomBoard(roomId), budget)));
    // Children before their parents: a failure between the two leaves the parent to find them by.
    await this.delete(children);
    await this.delete(done);
    return children.length + done.length;
  }

  private async keysOf(partition: string, limit: number): Promise<Key[]> {
    const { partitionKey, sortKey } = GAMES_TABLE;
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ProjectionExpression: '#pk, #sk',
        ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
        ExpressionAttributeValues: { ':pk': partition },
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item: Item) => ({ [partitionKey]: item[partitionKey], [sortKey]: item[sortKey] }));
  }

  private async delete(keys: readonly Key[]): Promise<void> {
    if (keys.length > 0) await batchWriteAll(this.client, this.tableName, keys.map((Key) => ({ DeleteRequest: { Key } })));
  }
}
