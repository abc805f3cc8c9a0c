import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoConnectionRepository } from '../../../../lambdas/adapters/dynamodb/connection-repository';
import type { Connection } from '../../../../lambdas/domain/types';
import { conditionalCheckFailed, documentClient } from '../../../support/dynamodb';

const TABLE = 'connections';
const NOW = Date.parse('2026-11-02T10:00:00.000Z');
const EXPIRES_AT = NOW / 1000 + 3 * 3600;
const ddb = mockClient(DynamoDBDocumentClient);
const repository = () =>
  new DynamoConnectionRepository(documentClient(), TABLE, { batchRetry: { maxAttempts: 3, baseDelayMs: 1 } });

const connection: Connection = {
  connectionId: 'c1',
  userId: 'alice',
  displayName: 'Alice',
  connectedAt: '2026-11-02T10:00:00.000Z',
};
const roomItem = (roomId: string, connectionId = 'c1', userId = 'alice') => ({
  pk: `ROOM#${roomId}`,
  sk: `CONN#${connectionId}`,
  entity: 'roomConnection',
  connectionId,
  userId,
  roomId,
  expiresAt: EXPIRES_AT,
});

/** Every write request sent in BatchWriteItem calls, in order. */
const batchRequests = () =>
  ddb.commandCalls(BatchWriteCommand).flatMap((call) => call.args[0].input.RequestItems?.[TABLE] ?? []);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
  expect(ddb).not.toHaveReceivedCommand(ScanCommand);
  ddb.reset();
});

describe('DynamoConnectionRepository.saveConnection', () => {
  it('writes the META, user and room items in one batch', async () => {
    ddb.on(BatchWriteCommand).resolves({});

    await repository().saveConnection(connection, ['r1', 'r2']);

    expect(ddb).toHaveReceivedCommandExactlyOnceWith(BatchWriteCommand, {
      RequestItems: {
        [TABLE]: [
          {
            PutRequest: {
              Item: {
                pk: 'CONN#c1',
                sk: 'META',
                entity: 'connection',
                ...connection,
                rooms: new Set(['r1', 'r2']),
                expiresAt: EXPIRES_AT,
              },
            },
          },
          {
            PutRequest: {
              Item: {
                pk: 'USER#alice',
                sk: 'CONN#c1',
                entity: 'userConnection',
                connectionId: 'c1',
                userId: 'alice',
                expiresAt: EXPIRES_AT,
              },
            },
          },
          { PutRequest: { Item: roomItem('r1') } },
          { PutRequest: { Item: roomItem('r2') } },
        ],
      },
    });
  });

  it('omits the rooms set when the user has no rooms', async () => {
    ddb.on(BatchWriteCommand).resolves({});

    await repository().saveConnection(connection, []);

    const meta = batchRequests()[0]?.PutRequest?.Item;
    expect(meta).toBeDefined();
    expect(meta).not.toHaveProperty('rooms');
    expect(batchRequests()).toHaveLength(2);
  });

  it('uses the configured TTL', async () => {
    ddb.on(BatchWriteCommand).resolves({});

    await new DynamoConnectionRepository(documentClient(), TABLE, { ttlSeconds: 60 }).saveConnection(connection, []);

    expect(batchRequests().map((r) => r.PutRequest?.Item?.expiresAt)).toEqual([NOW / 1000 + 60, NOW / 1000 + 60]);
  });

  it('splits more than 25 writes into batches of 25', async () => {
    ddb.on(BatchWriteCommand).resolves({});
    const rooms = Array.from({ length: 30 }, (_, i) => `r${i}`);

    await repository().saveConnection(connection, rooms);

    const sizes = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.[TABLE]?.length);
    expect(sizes).toEqual([25, 7]);
    expect(batchRequests().map((r) => r.PutRequest?.Item?.sk)).toEqual([
      'META',
      'CONN#c1',
      ...rooms.map(() => 'CONN#c1'),
    ]);
  });

  it('retries the items DynamoDB leaves unprocessed', async () => {
    const leftOver = [{ PutRequest: { Item: roomItem('r2') } }];
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { [TABLE]: leftOver } })
      .resolves({ UnprocessedItems: {} });

    await repository().saveConnection(connection, ['r1', 'r2']);

    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 2);
    expect(ddb).toHaveReceivedNthCommandWith(BatchWriteCommand, 2, { RequestItems: { [TABLE]: leftOver } });
  });

  it('gives up after a bounded number of attempts', async () => {
    ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: roomItem('r1') } }] } });

    await expect(repository().saveConnection(connection, ['r1'])).rejects.toThrow('1 requests unprocessed after 3 attempts');
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 3);
  });
});

describe('DynamoConnectionRepository.getConnection', () => {
  it('reads the META item as a connection', async () => {
    ddb.on(GetCommand).resolves({
      Item: { pk: 'CONN#c1', sk: 'META', entity: 'connection', ...connection, rooms: new Set(['r1']), expiresAt: 1 },
    });

    const found = await repository().getConnection('c1');

    expect(found).toStrictEqual(connection);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: { pk: 'CONN#c1', sk: 'META' } });
  });

  it('returns undefined for an unknown connection', async () => {
    ddb.on(GetCommand).resolves({});

    expect(await repository().getConnection('gone')).toBeUndefined();
  });
});

describe('DynamoConnectionRepository.removeConnection', () => {
  it('deletes META, then the user item and one item per subscribed room', async () => {
    ddb.on(DeleteCommand).resolves({
      Attributes: { pk: 'CONN#c1', sk: 'META', ...connection, rooms: new Set(['r1', 'r2']) },
    });
    ddb.on(BatchWriteCommand).resolves({});

    await repository().removeConnection('c1');

    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: TABLE,
      Key: { pk: 'CONN#c1', sk: 'META' },
      ReturnValues: 'ALL_OLD',
    });
    expect(batchRequests()).toEqual([
      { DeleteRequest: { Key: { pk: 'USER#alice', sk: 'CONN#c1' } } },
      { DeleteRequest: { Key: { pk: 'ROOM#r1', sk: 'CONN#c1' } } },
      { DeleteRequest: { Key: { pk: 'ROOM#r2', sk: 'CONN#c1' } } },
    ]);
  });

  it('deletes only the user item for a connection without rooms', async () => {
    ddb.on(DeleteCommand).resolves({ Attributes: { pk: 'CONN#c1', sk: 'META', ...connection } });
    ddb.on(BatchWriteCommand).resolves({});

    await repository().removeConnection('c1');

    expect(batchRequests()).toEqual([{ DeleteRequest: { Key: { pk: 'USER#alice', sk: 'CONN#c1' } } }]);
  });

  it('does nothing more when the connection is already gone', async () => {
    ddb.on(DeleteCommand).resolves({});

    await repository().removeConnection('c1');

    expect(ddb).toHaveReceivedCommandTimes(DeleteCommand, 1);
    expect(ddb).not.toHaveReceivedCommand(BatchWriteCommand);
  });
});

describe('DynamoConnectionRepository.removeGoneConnection', () => {
  it('deletes META only if the connection opened before the cutoff, then its other items', async () => {
    ddb.on(DeleteCommand).resolves({ Attributes: { pk: 'CONN#c1', sk: 'META', ...connection, rooms: new Set(['r1']) } });
    ddb.on(BatchWriteCommand).resolves({});

    expect(await repository().removeGoneConnection('c1', '2026-11-21T12:00:00.000Z')).toBe(true);

    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: TABLE,
      Key: { pk: 'CONN#c1', sk: 'META' },
      ConditionExpression: 'attribute_exists(pk) AND connectedAt < :before',
      ExpressionAttributeValues: { ':before': '2026-11-21T12:00:00.000Z' },
      ReturnValues: 'ALL_OLD',
    });
    expect(batchRequests()).toEqual([
      { DeleteRequest: { Key: { pk: 'USER#alice', sk: 'CONN#c1' } } },
      { DeleteRequest: { Key: { pk: 'ROOM#r1', sk: 'CONN#c1' } } },
    ]);
  });

  it('keeps everything of a connection that opened since (it may still be in its $connect)', async () => {
    ddb.on(DeleteCommand).rejects(conditionalCheckFailed());

    expect(await repository().removeGoneConnection('c1', '2026-11-21T12:00:00.000Z')).toBe(false);

    expect(ddb).not.toHaveReceivedCommand(BatchWriteCommand);
  });
});

describe('DynamoConnectionRepository.listRoomConnections', () => {
  it('queries the room partition with a projection and follows every page', async () => {
    const lastKey = { pk: 'ROOM#r1', sk: 'CONN#c1' };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ connectionId: 'c1', userId: 'alice' }], LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: [{ connectionId: 'c2', userId: 'bob' }] });

    const found = await repository().listRoomConnections('r1');

    expect(found).toEqual([
      { connectionId: 'c1', userId: 'alice' },
      { connectionId: 'c2', userId: 'bob' },
    ]);
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 1, {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :conn)',
      ExpressionAttributeValues: { ':pk': 'ROOM#r1', ':conn': 'CONN#' },
      ProjectionExpression: 'connectionId, userId',
    });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: lastKey });
  });
});

describe('DynamoConnectionRepository.listUserConnections', () => {
  it('reads the user partition for every live connection of the user, following pages', async () => {
    const lastKey = { pk: 'USER#alice', sk: 'CONN#c1' };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ connectionId: 'c1' }], LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: [{ connectionId: 'c2' }] });

    const found = await repository().listUserConnections('alice');

    expect(found).toEqual([
      { connectionId: 'c1', userId: 'alice' },
      { connectionId: 'c2', userId: 'alice' },
    ]);
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 1, {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :conn)',
      ExpressionAttributeValues: { ':pk': 'USER#alice', ':conn': 'CONN#' },
    });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: lastKey });
  });
});

describe('DynamoConnectionRepository.subscribeUser', () => {
  const userConnections = { Items: [{ connectionId: 'c1' }, { connectionId: 'c2' }] };

  it('adds a room item and the room to META for each of the user’s connections', async () => {
    ddb.on(QueryCommand).resolves(userConnections);
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});

    await repository().subscribeUser('r9', 'alice');

    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :conn)',
      ExpressionAttributeValues: { ':pk': 'USER#alice', ':conn': 'CONN#' },
      ProjectionExpression: 'connectionId',
    });
    for (const connectionId of ['c1', 'c2']) {
      expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: TABLE, Item: roomItem('r9', connectionId) });
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
        TableName: TABLE,
        Key: { pk: `CONN#${connectionId}`, sk: 'META' },
        UpdateExpression: 'ADD rooms :room',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':room': new Set(['r9']) },
      });
    }
    expect(ddb).not.toHaveReceivedCommand(DeleteCommand);
  });

  it('removes the room item of a connection that closed meanwhile, and only that one', async () => {
    ddb.on(QueryCommand).resolves(userConnections);
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    ddb.on(UpdateCommand, { Key: { pk: 'CONN#c2', sk: 'META' } }).rejects(conditionalCheckFailed());
    ddb.on(DeleteCommand).resolves({});

    await repository().subscribeUser('r9', 'alice');

    expect(ddb).toHaveReceivedCommandExactlyOnceWith(DeleteCommand, {
      TableName: TABLE,
      Key: { pk: 'ROOM#r9', sk: 'CONN#c2' },
    });
    expect(ddb).toHaveReceivedCommandTimes(DeleteCommand, 1);
  });

  it('rethrows a failure other than the vanished connection', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ connectionId: 'c1' }] });
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).rejects(new Error('network down'));

    await expect(repository().subscribeUser('r9', 'alice')).rejects.toThrow('network down');
    expect(ddb).not.toHaveReceivedCommand(DeleteCommand);
  });

  it('writes nothing for a user with no live connection', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    await repository().subscribeUser('r9', 'alice');

    expect(ddb).not.toHaveReceivedCommand(PutCommand);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });
});

describe('DynamoConnectionRepository.unsubscribeUser', () => {
  it('deletes the room items and removes the room from each META', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ connectionId: 'c1' }, { connectionId: 'c2' }] });
    ddb.on(DeleteCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});

    await repository().unsubscribeUser('r9', 'alice');

    for (const connectionId of ['c1', 'c2']) {
      expect(ddb).toHaveReceivedCommandWith(DeleteCommand, {
        TableName: TABLE,
        Key: { pk: 'ROOM#r9', sk: `CONN#${connectionId}` },
      });
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
        TableName: TABLE,
        Key: { pk: `CONN#${connectionId}`, sk: 'META' },
        UpdateExpression: 'DELETE rooms :room',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':room': new Set(['r9']) },
      });
    }
  });

  it('tolerates a connection that closed meanwhile', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ connectionId: 'c1' }] });
    ddb.on(DeleteCommand).resolves({});
    ddb.on(UpdateCommand).rejects(conditionalCheckFailed());

    await expect(repository().unsubscribeUser('r9', 'alice')).resolves.toBeUndefined();
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
  });
});
