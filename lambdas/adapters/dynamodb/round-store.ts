import {
  GetCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Round, RoundLine, RoundScore, RoundSeat } from '../../domain/games/imposter';
import type { AppendLineResult, CastVoteResult, RoundStore } from '../../domain/games/imposter-ports';
import type { RoundVote } from '../../domain/games/imposter-rules';
import { isTransactionConditionFailure } from './errors';
import { GAME_TEXT_TTL_DAYS, gamesKeys } from './games-schema';
import { epochSeconds, oneOfAttr, optionalStringAttr, stringAttr, type Item } from './items';
import { queryAll } from './query-all';

const SECONDS_PER_DAY = 86_400;

const numberAttr = (item: Item, name: string): number => {
  const value = item[name];
  return typeof value === 'number' ? value : 0;
};

const roundKey = (roomId: string, roundId: string) => ({ pk: gamesKeys.room(roomId), sk: gamesKeys.round(roundId) });
const openKey = (roomId: string) => ({ pk: gamesKeys.room(roomId), sk: gamesKeys.openRound });

function toRound(item: Item): Round {
  const endedAt = optionalStringAttr(item, 'endedAt');
  const endReason = optionalStringAttr(item, 'endReason');
  return {
    roomId: stringAttr(item, 'roomId'),
    roundId: stringAttr(item, 'roundId'),
    status: oneOfAttr(item, 'status', ['open', 'ended'] as const),
    startedBy: stringAttr(item, 'startedBy'),
    startedAt: stringAttr(item, 'startedAt'),
    endsAt: stringAttr(item, 'endsAt'),
    durationSeconds: numberAttr(item, 'durationSeconds'),
    seats: (item['seats'] as RoundSeat[] | undefined) ?? [],
    lines: numberAttr(item, 'lines'),
    votes: numberAttr(item, 'votes'),
    ...(endedAt !== undefined ? { endedAt } : {}),
    ...(endReason === 'time' || endReason === 'allVoted' ? { endReason } : {}),
  };
}

function toLine(item: Item): RoundLine {
  const clientLineId = optionalStringAttr(item, 'clientLineId');
  return {
    roundId: stringAttr(item, 'roundId'),
    seq: numberAttr(item, 'seq'),
    seat: numberAttr(item, 'seat'),
    alias: stringAttr(item, 'alias'),
    text: stringAttr(item, 'text'),
    at: stringAttr(item, 'at'),
    ...(clientLineId !== undefined ? { clientLineId } : {}),
  };
}

const toVote = (item: Item): RoundVote => ({
  voterId: stringAttr(item, 'voterId'),
  voterSeat: numberAttr(item, 'voterSeat'),
  votedSeat: numberAttr(item, 'votedSeat'),
  at: stringAttr(item, 'at'),
});

/**
 * Rounds, their lines and votes, and the leaderboards' points, in the games
 * table (games-schema.ts). Every change that must be atomic is one
 * TransactWriteItems: a round with its room's open marker, a line with the
 * round's line count, a vote with the vote count, and a round's end with
 * its marker's removal and every seat's points on both leaderboards.
 */
export class DynamoRoundStore implements RoundStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createRound(round: Round): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...roundKey(round.roomId, round.roundId), entity: 'round', ...round },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...openKey(round.roomId), entity: 'openRound', roundId: round.roundId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isTransactionConditionFailure(error, 1)) return false;
      throw error;
    }
  }

  async getRound(roomId: string, roundId: string): Promise<Round | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: roundKey(roomId, roundId), ConsistentRead: true }),
    );
    return Item ? toRound(Item) : undefined;
  }

  async getOpenRound(roomId: string): Promise<Round | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: openKey(roomId), ConsistentRead: true }),
    );
    return Item ? this.getRound(roomId, stringAttr(Item, 'roundId')) : undefined;
  }

  async getLatestRound(roomId: string): Promise<Round | undefined> {
    // The open marker (ROUND#OPEN) sorts after every round id, so two items hold the latest round.
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': gamesKeys.room(roomId), ':prefix': gamesKeys.roundsPrefix },
        ScanIndexForward: false,
        Limit: 2,
        ConsistentRead: true,
      }),
    );
    const item = Items.find((i) => i['sk'] !== gamesKeys.openRound);
    return item ? toRound(item) : undefined;
  }

  async appendLine(
    round: Pick<Round, 'roomId' | 'roundId'>,
    afterLines: number,
    line: Omit<RoundLine, 'seq' | 'roundId'> & { readonly writerId: string },
    expiresAt: number | undefined,
  ): Promise<AppendLineResult> {
    const seq = afterLines + 1;
    const longest = epochSeconds(Date.parse(line.at)) + GAME_TEXT_TTL_DAYS * SECONDS_PER_DAY;
    const stored: RoundLine = {
      roundId: round.roundId,
      seq,
      seat: line.seat,
      alias: line.alias,
      text: line.text,
      at: line.at,
      ...(line.clientLineId !== undefined ? { clientLineId: line.clientLineId } : {}),
    };
    const partition = gamesKeys.roundPartition(round.roundId);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: roundKey(round.roomId, round.roundId),
                UpdateExpression: 'SET #lines = :seq',
                ConditionExpression: '#status = :open AND #lines = :after',
                ExpressionAttributeNames: { '#lines': 'lines', '#status': 'status' },
                ExpressionAttributeValues: { ':seq': seq, ':open': 'open', ':after': afterLines },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk: partition,
                  sk: gamesKeys.line(seq),
                  entity: 'roundLine',
                  ...stored,
                  writerId: line.writerId,
                  expiresAt: Math.min(expiresAt ?? longest, longest),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...(line.clientLineId !== undefined
              ? [
                  {
                    Put: {
                      TableName: this.tableName,
                      Item: {
                        pk: partition,
                        sk: gamesKeys.clientLine(line.writerId, line.clientLineId),
                        entity: 'roundClientLine',
                        seq,
                        expiresAt: longest,
                      },
                      ConditionExpression: 'attribute_not_exists(pk)',
                    },
                  },
                ]
              : []),
          ],
        }),
      );
      return { outcome: 'written', line: stored };
    } catch (error) {
      if (line.clientLineId !== undefined && isTransactionConditionFailure(error, 2)) {
        const earlier = await this.lineOfClientId(round.roundId, line.writerId, line.clientLineId);
        if (earlier) return { outcome: 'duplicate', line: earlier };
      }
      if (isTransactionConditionFailure(error, 0) || isTransactionConditionFailure(error, 1)) return { outcome: 'movedOn' };
      throw error;
    }
  }

  private async lineOfClientId(roundId: string, writerId: string, clientLineId: string): Promise<RoundLine | undefined> {
    const partition = gamesKeys.roundPartition(roundId);
    const { Item: marker } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: partition, sk: gamesKeys.clientLine(writerId, clientLineId) }, ConsistentRead: true }),
    );
    if (!marker) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: partition, sk: gamesKeys.line(numberAttr(marker, 'seq')) }, ConsistentRead: true }),
    );
    return Item ? toLine(Item) : undefined;
  }

  async listLines(roundId: string): Promise<RoundLine[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': gamesKeys.roundPartition(roundId), ':prefix': gamesKeys.linesPrefix },
      ConsistentRead: true,
    });
    return items.map(toLine);
  }

  async castVote(round: Pick<Round, 'roomId' | 'roundId'>, vote: RoundVote): Promise<CastVoteResult> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: roundKey(round.roomId, round.roundId),
                UpdateExpression: 'ADD votes :one',
                ConditionExpression: '#status = :open',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':one': 1, ':open': 'open' },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: gamesKeys.roundPartition(round.roundId), sk: gamesKeys.vote(vote.voterId), entity: 'roundVote', ...vote },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return 'cast';
    } catch (error) {
      if (isTransactionConditionFailure(error, 1)) return 'alreadyVoted';
      if (isTransactionConditionFailure(error, 0)) return 'closed';
      throw error;
    }
  }

  async listVotes(roundId: string): Promise<RoundVote[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': gamesKeys.roundPartition(roundId), ':prefix': gamesKeys.votesPrefix },
      ConsistentRead: true,
    });
    return items.map(toVote);
  }

  async endRound(ended: Round, scores: readonly RoundScore[]): Promise<boolean> {
    const boards = [gamesKeys.roomBoard(ended.roomId), gamesKeys.overallBoard];
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: roundKey(ended.roomId, ended.roundId),
                UpdateExpression: 'SET #status = :ended, endedAt = :endedAt, endReason = :reason',
                ConditionExpression: '#status = :open AND votes = :votes',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':ended': 'ended',
                  ':open': 'open',
                  ':endedAt': ended.endedAt,
                  ':reason': ended.endReason,
                  ':votes': ended.votes,
                },
              },
            },
            { Delete: { TableName: this.tableName, Key: openKey(ended.roomId) } },
            ...boards.flatMap((board) =>
              scores.map((score) => ({
                Update: {
                  TableName: this.tableName,
                  Key: { pk: board, sk: gamesKeys.player(score.playerId) },
                  // `board` copies the partition key for the sparse byPoints index; the name is the latest seen.
                  UpdateExpression: 'ADD points :points, rounds :one SET board = :board, playerId = :player, displayName = :name, kind = :kind',
                  ExpressionAttributeValues: {
                    ':points': score.points,
                    ':one': 1,
                    ':board': board,
                    ':player': score.playerId,
                    ':name': score.displayName,
                    ':kind': score.kind,
                  },
                },
              })),
            ),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isTransactionConditionFailure(error, 0)) return false;
      throw error;
    }
  }
}
