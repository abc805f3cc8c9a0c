import { BatchGetCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoPresenceRepository } from '../../../../lambdas/adapters/dynamodb/presence-repository';
import { conditionalCheckFailed, documentClient } from '../../../support/dynamodb';

const TABLE = 'connections';
const NOW = Date.UTC(2026, 11, 6, 12);
const NOW_S = Math.floor(NOW / 1000);
const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new DynamoPresenceRepository(documentClient(), TABLE, { ttlSeconds: 3600 });

afterEach(() => {
  ddb.reset();
});

describe('DynamoPresenceRepository', () => {
  it('starts a new, empty or expired count at one, reaching back over a $connect', async () => {
    ddb.on(UpdateCommand).resolves({
      Attributes: { userId: 'u-bob', connections: 1, version: 1, expiresAt: NOW_S + 3600 },
    });

    const state = await repository().countConnection('u-bob', NOW - 50, NOW);

    expect(state).toEqual({ userId: 'u-bob', connections: 1, version: 1, announced: false, expiresAtMs: (NOW_S + 3600) * 1000 });
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(UpdateCommand, {
      TableName: TABLE,
      Key: { pk: 'PRESENCE#u-bob', sk: 'PRESENCE' },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSeconds OR connections <= :zero',
      ExpressionAttributeValues: expect.objectContaining({ ':since': NOW - 50 - 30_000, ':expiresAt': NOW_S + 3600, ':entity': 'presence' }),
      ReturnValues: 'ALL_NEW',
    });
  });

  it('adds to a live count atomically when it cannot restart it', async () => {
    ddb
      .on(UpdateCommand)
      .rejectsOnce(conditionalCheckFailed())
      .resolves({ Attributes: { userId: 'u-bob', connections: 2, version: 5, announced: true, tat: NOW, expiresAt: NOW_S + 3600 } });

    const state = await repository().countConnection('u-bob', NOW, NOW);

    expect(state).toMatchObject({ connections: 2, version: 5, announced: true, tat: NOW });
    expect(ddb).toHaveReceivedNthCommandWith(UpdateCommand, 2, {
      UpdateExpression: 'SET expiresAt = :expiresAt ADD connections :one, version :one',
      ExpressionAttributeValues: { ':one': 1, ':expiresAt': NOW_S + 3600 },
    });
  });

  it('takes a closed connection off only when the count holds it', async () => {
    ddb.on(UpdateCommand).resolvesOnce({ Attributes: { userId: 'u-bob', connections: 0, version: 6, expiresAt: NOW_S } }).rejects(conditionalCheckFailed());

    expect(await repository().uncountConnection('u-bob', NOW - 1000)).toMatchObject({ connections: 0, version: 6 });
    expect(await repository().uncountConnection('u-bob', NOW - 1000)).toBeUndefined();
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'ADD connections :minusOne, version :one',
      ConditionExpression: 'connections > :zero AND since <= :connectedAt',
      ExpressionAttributeValues: { ':minusOne': -1, ':one': 1, ':zero': 0, ':connectedAt': NOW - 1000 },
    });
  });

  it('claims an announcement against the version it was decided on', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).rejects(conditionalCheckFailed());

    expect(await repository().claimAnnouncement('u-bob', 6, false, NOW)).toBe(true);
    expect(await repository().claimAnnouncement('u-bob', 6, false, NOW)).toBe(false);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'SET announced = :online, tat = :tat',
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':online': false, ':tat': NOW, ':version': 6 },
    });
  });

  it('reads the presence of a page of users in one batch and counts an expired count as offline', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [
          { userId: 'u-alice', connections: 1, expiresAt: NOW_S + 60 },
          { userId: 'u-bob', connections: 0, expiresAt: NOW_S + 60 },
          { userId: 'u-carol', connections: 2, expiresAt: NOW_S - 60 },
        ],
      },
    });

    const online = await repository().onlineUsers(['u-alice', 'u-bob', 'u-carol', 'u-dave', 'u-alice'], NOW);

    expect(online).toEqual(new Set(['u-alice']));
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(BatchGetCommand, {
      RequestItems: {
        [TABLE]: {
          Keys: ['u-alice', 'u-bob', 'u-carol', 'u-dave'].map((id) => ({ pk: `PRESENCE#${id}`, sk: 'PRESENCE' })),
          ProjectionExpression: 'userId, connections, expiresAt',
        },
      },
    });
  });

  it('retries the keys a batch leaves unprocessed, and reads nothing for no users', async () => {
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: [{ pk: 'PRESENCE#u-bob', sk: 'PRESENCE' }] } } })
      .resolves({ Responses: { [TABLE]: [{ userId: 'u-bob', connections: 1, expiresAt: NOW_S + 60 }] } });

    expect(await repository().onlineUsers(['u-bob'], NOW)).toEqual(new Set(['u-bob']));
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
    expect(await repository().onlineUsers([], NOW)).toEqual(new Set());
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
  });
});
