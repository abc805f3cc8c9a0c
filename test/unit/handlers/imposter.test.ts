import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const management = mockClient(ApiGatewayManagementApiClient);

type Handler = (typeof import('../../../lambdas/handlers/imposter'))['handler'];
type Worker = (typeof import('../../../lambdas/handlers/imposter-worker'))['handler'];
let handler: Handler;
let worker: Worker;

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/1/imposter-jobs';
const ROUND_ID = '01JZ0000000000000000000000';

beforeAll(async () => {
  stubHandlerEnv({ AUDIT_TABLE: 'audit', GAMES_TABLE: 'games', IMPOSTER_JOBS_QUEUE_URL: QUEUE });
  ({ handler } = await import('../../../lambdas/handlers/imposter'));
  ({ handler: worker } = await import('../../../lambdas/handlers/imposter-worker'));
});

const room = (roomId: string, mode?: string) => ({
  pk: `ROOM#${roomId}`,
  sk: 'META',
  roomId,
  name: roomId,
  visibility: 'public',
  ownerId: 'u-alice',
  createdAt: '2026-11-21T09:00:00.000Z',
  ...(mode ? { mode } : {}),
});
const member = (roomId: string) => ({
  pk: `ROOM#${roomId}`,
  sk: 'MEMBER#u-alice',
  entity: 'membership',
  roomId,
  userId: 'u-alice',
  displayName: 'Alice',
  role: 'owner',
  joinedAt: '2026-11-21T10:00:00.000Z',
});
const endedRound = {
  pk: 'ROOM#game',
  sk: `ROUND#${ROUND_ID}`,
  roomId: 'game',
  roundId: ROUND_ID,
  status: 'ended',
  startedBy: 'u-alice',
  startedAt: '2026-11-21T12:00:00.000Z',
  endsAt: '2026-11-21T12:01:00.000Z',
  durationSeconds: 60,
  seats: [
    { seat: 1, alias: 'Sam', kind: 'person', playerId: 'u-alice', displayName: 'Alice' },
    { seat: 2, alias: 'Kim', kind: 'agent', playerId: 'agent:imposter', displayName: 'AI' },
  ],
  lines: 0,
  votes: 0,
};

beforeEach(() => {
  ddb.on(GetCommand).resolves({});
  for (const [id, mode] of [['game', 'imposter'], ['chat', undefined]] as const) {
    ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: `ROOM#${id}`, sk: 'META' } }).resolves({ Item: room(id, mode) });
    ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: `ROOM#${id}`, sk: 'MEMBER#u-alice' } }).resolves({ Item: member(id) });
  }
  ddb.on(UpdateCommand).resolves({ Attributes: { tokens: 10 } });
  ddb.on(TransactWriteCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({});
  management.on(PostToConnectionCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  sqs.reset();
  management.reset();
});

const call = async (body: object) => JSON.parse(((await handler(wsEvent({ body }), lambdaContext)) as { body: string }).body);

describe('imposter handler', () => {
  it('refuses a malformed round id before reading anything', async () => {
    const frame = await call({ action: 'getRound', requestId: 'q1', roomId: 'game', roundId: 'nope' });

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST', requestId: 'q1' });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('refuses a game action in a chat room', async () => {
    const frame = await call({ action: 'getRound', requestId: 'q1', roomId: 'chat' });
    expect(frame).toMatchObject({ type: 'error', code: 'CONFLICT' });
    expect(frame.message).toMatch(/imposter mode/);
  });

  it('answers the leaderboard with ranks from the byPoints index', async () => {
    ddb.on(QueryCommand, { IndexName: 'byPoints' }).resolves({
      Items: [
        { playerId: 'u-bob', kind: 'person', displayName: 'Bob', points: 4, rounds: 2 },
        { playerId: 'u-alice', kind: 'person', displayName: 'Alice', points: 4, rounds: 2 },
      ],
    });

    const frame = await call({ action: 'getLeaderboard', requestId: 'q1', roomId: 'game' });

    expect(frame, JSON.stringify(frame)).toMatchObject({ type: 'ack', action: 'getLeaderboard' });
    expect(frame.data.leaderboard.entries.map((e: { rank: number }) => e.rank)).toEqual([1, 1]);
    expect(frame.data.leaderboard.you).toMatchObject({ playerId: 'u-alice', rank: 1 });
  });
});

const sqsEvent = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, index) => ({ messageId: `m${index}`, body }) as SQSEvent['Records'][number]),
});

describe('imposter worker', () => {
  it('leaves an ended round alone and reports an unreadable job as failed', async () => {
    ddb.on(GetCommand, { TableName: 'games', Key: { pk: 'ROOM#game', sk: `ROUND#${ROUND_ID}` } }).resolves({ Item: endedRound });

    const result = await worker(
      sqsEvent(JSON.stringify({ kind: 'roundTimer', roomId: 'game', roundId: ROUND_ID }), '{"kind":"bogus"}'),
      lambdaContext,
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('requeues a timer that fired before its round’s end with the time remaining', async () => {
    const endsAt = new Date(Date.now() + 120_000).toISOString();
    ddb.on(GetCommand, { TableName: 'games', Key: { pk: 'ROOM#game', sk: `ROUND#${ROUND_ID}` } }).resolves({ Item: { ...endedRound, status: 'open', endsAt } });

    const result = await worker(sqsEvent(JSON.stringify({ kind: 'roundTimer', roomId: 'game', roundId: ROUND_ID })), lambdaContext);

    expect(result.batchItemFailures).toEqual([]);
    const delay = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.DelaySeconds!;
    expect(delay).toBeGreaterThan(100);
    expect(delay).toBeLessThanOrEqual(120);
  });

  it('reports a job whose round cannot be read, so it is retried', async () => {
    ddb.on(GetCommand, { TableName: 'games' }).rejects(new Error('throttled'));

    const result = await worker(sqsEvent(JSON.stringify({ kind: 'imposterLine', roomId: 'game', roundId: ROUND_ID, afterLines: 0 })), lambdaContext);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
  });
});
