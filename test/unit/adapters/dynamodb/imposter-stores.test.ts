import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoLeaderboardStore } from '../../../../lambdas/adapters/dynamodb/leaderboard-store';
import { DynamoRoundStore } from '../../../../lambdas/adapters/dynamodb/round-store';
import type { Round, RoundScore } from '../../../../lambdas/domain/games/imposter';
import { documentClient, transactionCanceled } from '../../../support/dynamodb';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

const ROUND_ID = '01JZ0000000000000000000000';
const round: Round = {
  roomId: 'r1',
  roundId: ROUND_ID,
  status: 'open',
  startedBy: 'u-alice',
  startedAt: '2026-12-07T12:00:00.000Z',
  endsAt: '2026-12-07T12:01:00.000Z',
  durationSeconds: 60,
  seats: [
    { seat: 1, alias: 'Sam', kind: 'person', playerId: 'u-alice', displayName: 'Alice' },
    { seat: 2, alias: 'Kim', kind: 'agent', playerId: 'agent:imposter', displayName: 'AI' },
  ],
  lines: 0,
  votes: 0,
};
const store = () => new DynamoRoundStore(documentClient(), 'games');
const AT = '2026-12-07T12:00:10.000Z';
const AT_SECONDS = Date.parse(AT) / 1000;

describe('DynamoRoundStore', () => {
  it('creates a round with the room’s open marker in one transaction, refusing a second open round', async () => {
    ddb.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(transactionCanceled('None', 'ConditionalCheckFailed'));

    expect(await store().createRound(round)).toBe(true);
    expect(await store().createRound(round)).toBe(false);

    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        { Put: { TableName: 'games', Item: expect.objectContaining({ pk: 'ROOM#r1', sk: `ROUND#${ROUND_ID}`, status: 'open', seats: round.seats }), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: 'games', Item: { pk: 'ROOM#r1', sk: 'ROUND#OPEN', entity: 'openRound', roundId: ROUND_ID }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    });
  });

  it('reads the open round through its marker, consistently', async () => {
    ddb.on(GetCommand, { Key: { pk: 'ROOM#r1', sk: 'ROUND#OPEN' } }).resolves({ Item: { roundId: ROUND_ID } });
    ddb.on(GetCommand, { Key: { pk: 'ROOM#r1', sk: `ROUND#${ROUND_ID}` } }).resolves({ Item: { pk: 'ROOM#r1', ...round } });

    expect(await store().getOpenRound('r1')).toEqual(round);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { ConsistentRead: true });
  });

  it('finds the latest round past the open marker', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'ROUND#OPEN', roundId: ROUND_ID }, { sk: `ROUND#${ROUND_ID}`, ...round }] });

    expect(await store().getLatestRound('r1')).toEqual(round);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ScanIndexForward: false, Limit: 2, ExpressionAttributeValues: { ':pk': 'ROOM#r1', ':prefix': 'ROUND#' } });
  });

  it('writes a line with the round’s line count and its client id in one transaction, on the count it expects', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    const result = await store().appendLine(round, 3, { seat: 1, alias: 'Sam', text: 'hi', at: AT, clientLineId: 'c1', writerId: 'u-alice' }, undefined);

    expect(result).toEqual({ outcome: 'written', line: { roundId: ROUND_ID, seq: 4, seat: 1, alias: 'Sam', text: 'hi', at: AT, clientLineId: 'c1' } });
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Update).toMatchObject({ Key: { pk: 'ROOM#r1', sk: `ROUND#${ROUND_ID}` }, ConditionExpression: '#status = :open AND #lines = :after', ExpressionAttributeValues: { ':seq': 4, ':after': 3, ':open': 'open' } });
    expect(items[1]!.Put?.Item).toMatchObject({ pk: `ROUND#${ROUND_ID}`, sk: 'LINE#000004', writerId: 'u-alice', expiresAt: AT_SECONDS + 30 * 86_400 });
    expect(items[2]!.Put?.Item).toMatchObject({ pk: `ROUND#${ROUND_ID}`, sk: 'CLIENT#u-alice#c1', seq: 4 });
  });

  it('keeps a line no longer than its room keeps messages', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await store().appendLine(round, 0, { seat: 2, alias: 'Kim', text: 'hey', at: AT, writerId: 'agent:imposter' }, AT_SECONDS + 86_400);

    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(2);
    expect(items[1]!.Put?.Item).toMatchObject({ expiresAt: AT_SECONDS + 86_400 });
  });

  it('answers a retried client line id with the line written first, and a lost count as moved on', async () => {
    ddb.on(TransactWriteCommand)
      .rejectsOnce(transactionCanceled('ConditionalCheckFailed', 'None', 'ConditionalCheckFailed'))
      .rejectsOnce(transactionCanceled('ConditionalCheckFailed', 'None', 'None'));
    ddb.on(GetCommand, { Key: { pk: `ROUND#${ROUND_ID}`, sk: 'CLIENT#u-alice#c1' } }).resolves({ Item: { seq: 2 } });
    ddb.on(GetCommand, { Key: { pk: `ROUND#${ROUND_ID}`, sk: 'LINE#000002' } }).resolves({ Item: { roundId: ROUND_ID, seq: 2, seat: 1, alias: 'Sam', text: 'hi', at: AT, clientLineId: 'c1' } });
    const line = { seat: 1, alias: 'Sam', text: 'hi', at: AT, clientLineId: 'c1', writerId: 'u-alice' };

    expect(await store().appendLine(round, 3, line, undefined)).toMatchObject({ outcome: 'duplicate', line: { seq: 2 } });
    expect(await store().appendLine(round, 3, line, undefined)).toEqual({ outcome: 'movedOn' });
  });

  it('casts a vote with the round’s vote count while it is open, telling a second vote from a closed round', async () => {
    ddb.on(TransactWriteCommand)
      .resolvesOnce({})
      .rejectsOnce(transactionCanceled('None', 'ConditionalCheckFailed'))
      .rejectsOnce(transactionCanceled('ConditionalCheckFailed', 'None'));
    const vote = { voterId: 'u-alice', voterSeat: 1, votedSeat: 2, at: AT };

    expect(await store().castVote(round, vote)).toBe('cast');
    expect(await store().castVote(round, vote)).toBe('alreadyVoted');
    expect(await store().castVote(round, vote)).toBe('closed');
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Update).toMatchObject({ UpdateExpression: 'ADD votes :one', ConditionExpression: '#status = :open' });
    expect(items[1]!.Put).toMatchObject({ Item: { pk: `ROUND#${ROUND_ID}`, sk: 'VOTE#u-alice', ...vote }, ConditionExpression: 'attribute_not_exists(pk)' });
  });

  it('ends a round once, on the votes it read, with its marker and both leaderboards in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(transactionCanceled('ConditionalCheckFailed', 'None', 'None', 'None', 'None', 'None'));
    const ended: Round = { ...round, status: 'ended', endedAt: AT, endReason: 'allVoted', votes: 1 };
    const scores: RoundScore[] = [
      { playerId: 'u-alice', kind: 'person', displayName: 'Alice', points: 2, outcome: 'found' },
      { playerId: 'agent:imposter', kind: 'agent', displayName: 'AI', points: 0, outcome: 'detected' },
    ];

    expect(await store().endRound(ended, scores)).toBe(true);
    expect(await store().endRound(ended, scores)).toBe(false);

    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Update).toMatchObject({ ConditionExpression: '#status = :open AND votes = :votes', ExpressionAttributeValues: expect.objectContaining({ ':votes': 1, ':reason': 'allVoted' }) });
    expect(items[1]).toEqual({ Delete: { TableName: 'games', Key: { pk: 'ROOM#r1', sk: 'ROUND#OPEN' } } });
    expect(items.slice(2).map((i) => [i.Update?.Key, i.Update?.ExpressionAttributeValues?.[':board'], i.Update?.ExpressionAttributeValues?.[':points']])).toEqual([
      [{ pk: 'LB#r1', sk: 'PLAYER#u-alice' }, 'LB#r1', 2],
      [{ pk: 'LB#r1', sk: 'PLAYER#agent:imposter' }, 'LB#r1', 0],
      [{ pk: 'LB#ALL', sk: 'PLAYER#u-alice' }, 'LB#ALL', 2],
      [{ pk: 'LB#ALL', sk: 'PLAYER#agent:imposter' }, 'LB#ALL', 0],
    ]);
    expect(items[2]!.Update?.UpdateExpression).toContain('ADD points :points, rounds :one');
  });
});

describe('DynamoLeaderboardStore', () => {
  const entry = { pk: 'LB#r1', sk: 'PLAYER#u-alice', board: 'LB#r1', playerId: 'u-alice', kind: 'person', displayName: 'Alice', points: 4, rounds: 2 };

  it('reads the top of a board from the byPoints index, most points first', async () => {
    ddb.on(QueryCommand).resolves({ Items: [entry] });

    const top = await new DynamoLeaderboardStore(documentClient(), 'games').top({ scope: 'room', roomId: 'r1' }, 10);

    expect(top).toEqual([{ playerId: 'u-alice', kind: 'person', displayName: 'Alice', points: 4, rounds: 2 }]);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byPoints',
      ExpressionAttributeValues: { ':board': 'LB#r1' },
      ScanIndexForward: false,
      Limit: 10,
    });
  });

  it('counts the players above a score over every page of the index', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Count: 3, LastEvaluatedKey: { pk: 'x' } }).resolvesOnce({ Count: 2 });

    expect(await new DynamoLeaderboardStore(documentClient(), 'games').countAbove({ scope: 'overall' }, 4)).toBe(5);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: '#board = :board AND #points > :points',
      ExpressionAttributeValues: { ':board': 'LB#ALL', ':points': 4 },
      Select: 'COUNT',
    });
  });

  it('reads one player’s standing by key', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await new DynamoLeaderboardStore(documentClient(), 'games').standing({ scope: 'overall' }, 'u-bob')).toBeUndefined();
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: { pk: 'LB#ALL', sk: 'PLAYER#u-bob' } });
  });
});
