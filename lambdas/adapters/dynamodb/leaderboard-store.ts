import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Board, LeaderboardReader, Standing } from '../../domain/games/imposter-ports';
import { BY_POINTS_INDEX, gamesKeys } from './games-schema';
import { oneOfAttr, stringAttr, type Item } from './items';

const boardKey = (board: Board): string => (board.scope === 'room' ? gamesKeys.roomBoard(board.roomId) : gamesKeys.overallBoard);

const toStanding = (item: Item): Standing => ({
  playerId: stringAttr(item, 'playerId'),
  kind: oneOfAttr(item, 'kind', ['person', 'agent'] as const),
  displayName: stringAttr(item, 'displayName'),
  points: typeof item['points'] === 'number' ? item['points'] : 0,
  rounds: typeof item['rounds'] === 'number' ? item['rounds'] : 0,
});

/**
 * The leaderboards, read through the sparse byPoints index (leaderboard
 * items only, sorted by points): the top N is one descending Query, a
 * player's rank one COUNT Query of the points above theirs. Points are
 * written by DynamoRoundStore.endRound, atomically with the round's end.
 */
export class DynamoLeaderboardStore implements LeaderboardReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async top(board: Board, limit: number): Promise<Standing[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: BY_POINTS_INDEX.name,
        KeyConditionExpression: '#board = :board',
        ExpressionAttributeNames: { '#board': BY_POINTS_INDEX.partitionKey },
        ExpressionAttributeValues: { ':board': boardKey(board) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map(toStanding);
  }

  async standing(board: Board, playerId: string): Promise<Standing | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: boardKey(board), sk: gamesKeys.player(playerId) } }),
    );
    return Item ? toStanding(Item) : undefined;
  }

  async countAbove(board: Board, points: number): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_POINTS_INDEX.name,
          KeyConditionExpression: '#board = :board AND #points > :points',
          ExpressionAttributeNames: { '#board': BY_POINTS_INDEX.partitionKey, '#points': BY_POINTS_INDEX.sortKey },
          ExpressionAttributeValues: { ':board': boardKey(board), ':points': points },
          Select: 'COUNT',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }
}
