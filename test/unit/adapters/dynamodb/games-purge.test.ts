import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, type BatchWriteCommandInput, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoGamesPurge } from '../../../../lambdas/adapters/dynamodb/games-purge';
import { gamesKeys } from '../../../../lambdas/adapters/dynamodb/games-schema';

const ddb = mockClient(DynamoDBDocumentClient);
const client = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = 'games';

/** The games table as the mock answers it: keys by partition, sorted, as DynamoDB keeps them. */
let table: Map<string, string[]>;
const add = (pk: string, ...sks: string[]) => table.set(pk, [...new Set([...(table.get(pk) ?? []), ...sks])].sort());
const left = () => Object.fromEntries([...table.entries()].filter(([, sks]) => sks.length > 0).map(([pk, sks]) => [pk, sks.length]));
/** The order the purge deleted items in, as `pk sk`. */
let deleted: string[];

beforeEach(() => {
  table = new Map();
  deleted = [];
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const pk = String(input.ExpressionAttributeValues?.[':pk']);
    const items = (table.get(pk) ?? []).slice(0, input.Limit).map((sk) => ({ pk, sk }));
    return { Items: items };
  });
  ddb.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => {
    for (const request of input.RequestItems?.[TABLE] ?? []) {
      const key = request.DeleteRequest!.Key!;
      const pk = String(key['pk']);
      table.set(pk, (table.get(pk) ?? []).filter((sk) => sk !== key['sk']));
      deleted.push(`${pk} ${String(key['sk'])}`);
    }
    return { UnprocessedItems: {} };
  });
});
afterEach(() => ddb.reset());

const purge = () => new DynamoGamesPurge(client(), TABLE);
/** Pages until a page comes back short, as the purge use case does. */
const purgeAll = async (roomId: string, limit: number) => {
  const pages: number[] = [];
  for (;;) {
    const removed = await purge().deletePage(roomId, limit);
    pages.push(removed);
    if (removed < limit) return pages;
  }
};

/** A room with two rounds (lines, votes), the open round, a scenario, a dialogue (turns), the active dialogue and a leaderboard. */
function seedRoom(roomId: string) {
  const [rd1, rd2, dl1] = [`${roomId}-rd1`, `${roomId}-rd2`, `${roomId}-dl1`];
  add(gamesKeys.room(roomId), gamesKeys.round(rd1), gamesKeys.round(rd2), gamesKeys.openRound, gamesKeys.scenario('sc1'));
  add(gamesKeys.room(roomId), gamesKeys.dialogue(dl1), gamesKeys.activeDialogue);
  add(gamesKeys.roundPartition(rd1), ...[1, 2, 3].map(gamesKeys.line), gamesKeys.vote('u-a'), gamesKeys.vote('u-b'));
  add(gamesKeys.roundPartition(rd2), gamesKeys.line(1));
  add(gamesKeys.dialoguePartition(dl1), ...[1, 2, 3, 4].map(gamesKeys.turn));
  add(gamesKeys.roomBoard(roomId), gamesKeys.player('u-a'), gamesKeys.player('u-b'));
  add(gamesKeys.overallBoard, gamesKeys.player('u-a'), gamesKeys.player('u-b'));
}
/** Items seedRoom gives a room, besides the overall leaderboard: 6 in its partition, 5 + 1 in its rounds', 4 in its dialogue's, 2 on its board. */
const ROOM_ITEMS = 18;

describe('DynamoGamesPurge', () => {
  it('deletes the room’s partition, each round’s and dialogue’s partition and the room’s leaderboard, but not the overall one', async () => {
    seedRoom('r1');
    seedRoom('r2');

    const pages = await purgeAll('r1', 25);

    expect(pages).toEqual([ROOM_ITEMS]);
    expect(left()).toEqual({
      'ROOM#r2': 6,
      'ROUND#r2-rd1': 5,
      'ROUND#r2-rd2': 1,
      'DIALOGUE#r2-dl1': 4,
      'LB#r2': 2,
      // The overall board: both rooms' players, once each.
      'LB#ALL': 2,
    });
  });

  it('deletes a round’s lines and votes before the round, so an interrupted page leaves the round to find them by', async () => {
    seedRoom('r1');

    await purgeAll('r1', 25);

    const at = (item: string) => deleted.indexOf(item);
    expect(at('ROUND#r1-rd1 VOTE#u-b')).toBeGreaterThanOrEqual(0);
    expect(at('ROUND#r1-rd1 VOTE#u-b')).toBeLessThan(at('ROOM#r1 ROUND#r1-rd1'));
    expect(at('DIALOGUE#r1-dl1 TURN#0004')).toBeLessThan(at('ROOM#r1 DIALOGUE#r1-dl1'));
  });

  it('stays within the page size, a short page meaning nothing is left, and leaves a round until its partition is empty', async () => {
    seedRoom('r1');

    const pages = await purgeAll('r1', 4);

    // 18 items: four full pages, then two.
    expect(pages).toEqual([4, 4, 4, 4, 2]);
    expect(left()).toEqual({ 'LB#ALL': 2 });
    // The first page: the active-dialogue marker, then three of the dialogue's four turns, keeping the dialogue for the next page.
    expect(deleted.slice(0, 4)).toEqual(['DIALOGUE#r1-dl1 TURN#0001', 'DIALOGUE#r1-dl1 TURN#0002', 'DIALOGUE#r1-dl1 TURN#0003', 'ROOM#r1 DIALOGUE#ACTIVE']);
    expect(deleted[4]).toBe('DIALOGUE#r1-dl1 TURN#0004');
  });

  it('answers 0 for a room with no game data, and reads only its two partitions', async () => {
    expect(await purge().deletePage('r-none', 25)).toBe(0);

    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      KeyConditionExpression: '#pk = :pk',
      ProjectionExpression: '#pk, #sk',
      ExpressionAttributeValues: { ':pk': 'ROOM#r-none' },
      Limit: 25,
    });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExpressionAttributeValues: { ':pk': 'LB#r-none' } });
    expect(ddb).not.toHaveReceivedCommand(BatchWriteCommand);
  });

  it('is harmless when run again after a page was done', async () => {
    seedRoom('r1');
    await purgeAll('r1', 25);

    expect(await purge().deletePage('r1', 25)).toBe(0);
    expect(left()).toEqual({ 'LB#ALL': 2 });
  });
});
