import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoConnectionRepository } from '../../../../lambdas/adapters/dynamodb/connection-repository';
import { DynamoRoomRepository } from '../../../../lambdas/adapters/dynamodb/room-repository';
import { ConflictError, NotFoundError, ValidationError } from '../../../../lambdas/domain/errors';
import type { Membership, Room } from '../../../../lambdas/domain/types';
import { conditionalCheckFailed, documentClient, transactionCanceled } from '../../../support/dynamodb';

const TABLE = 'rooms';
const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new DynamoRoomRepository(documentClient(), TABLE);

const room: Room = { roomId: 'r1', name: 'General', visibility: 'public', ownerId: 'alice', createdAt: '2026-11-02T10:00:00.000Z' };
const alice: Membership = { roomId: 'r1', userId: 'alice', displayName: 'Alice', role: 'owner', joinedAt: '2026-11-02T10:00:00.000Z' };
const bob: Membership = { roomId: 'r1', userId: 'bob', displayName: 'Bob', role: 'member', joinedAt: '2026-11-02T10:05:00.000Z' };
const memberKeys = [
  { pk: 'ROOM#r1', sk: 'MEMBER#alice' },
  { pk: 'ROOM#r1', sk: 'MEMBER#bob' },
];

afterEach(() => {
  ddb.reset();
});

describe('DynamoRoomRepository.updateRoom', () => {
  it('rewrites the room with its index keys, then the copy on every membership', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: memberKeys });
    ddb.on(UpdateCommand).resolves({});
    const renamed: Room = { ...room, name: 'Ｇarden Club', topic: 'Plants' };

    await repository().updateRoom(renamed);

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: expect.objectContaining({
        pk: 'ROOM#r1',
        sk: 'META',
        name: 'Ｇarden Club',
        topic: 'Plants',
        gsi2pk: 'PUBLIC',
        gsi3pk: 'ROOM#g',
        gsi3sk: 'garden club#r1',
      }),
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
    });
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'ROOM#r1', sk: 'MEMBER#bob' },
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':name': 'Ｇarden Club', ':visibility': 'public', ':owner': 'alice' },
    });
  });

  it('keeps whether the room shares message text in events, on the room and on every membership’s copy', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: memberKeys });
    ddb.on(UpdateCommand).resolves({});

    await repository().updateRoom({ ...room, shareMessageTextInEvents: true });

    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ sk: 'META', shareMessageTextInEvents: true }) });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'ROOM#r1', sk: 'MEMBER#bob' },
      UpdateExpression: expect.stringContaining('roomShareMessageTextInEvents = :share'),
      ExpressionAttributeValues: expect.objectContaining({ ':share': true }),
    });
  });

  it('drops a room made private from the public and name indexes', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });

    await repository().updateRoom({ ...room, visibility: 'private' });

    const item = ddb.commandCalls(PutCommand)[0]!.args[0].input.Item!;
    expect(Object.keys(item).filter((key) => key.startsWith('gsi'))).toEqual([]);
  });

  it('reports a gone or deleted room as not found, and skips a membership that left meanwhile', async () => {
    ddb.on(PutCommand).rejectsOnce(conditionalCheckFailed()).resolves({});
    ddb.on(QueryCommand).resolves({ Items: memberKeys });
    ddb.on(UpdateCommand).rejectsOnce(conditionalCheckFailed()).resolves({});

    await expect(repository().updateRoom(room)).rejects.toThrow(NotFoundError);
    await expect(repository().updateRoom(room)).resolves.toBeUndefined();
  });
});

describe('DynamoRoomRepository.transferOwnership', () => {
  it('swaps the roles and the owner in one conditional transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: { pk: 'ROOM#r1', sk: 'META', ...room, ownerId: 'bob' } });
    ddb.on(QueryCommand).resolves({ Items: [] });

    const result = await repository().transferOwnership('r1', alice, bob);

    expect(result.ownerId).toBe('bob');
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.map((i) => [i.Update?.Key, i.Update?.ConditionExpression])).toEqual([
      [{ pk: 'ROOM#r1', sk: 'META' }, 'ownerId = :from AND attribute_not_exists(deletedAt)'],
      [{ pk: 'ROOM#r1', sk: 'MEMBER#alice' }, '#role = :owner'],
      [{ pk: 'ROOM#r1', sk: 'MEMBER#bob' }, '#role = :was'],
    ]);
  });

  it('reports a changed room or membership as a conflict', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('None', 'None', 'ConditionalCheckFailed'));

    await expect(repository().transferOwnership('r1', alice, bob)).rejects.toThrow(ConflictError);
  });
});

describe('DynamoRoomRepository deletion', () => {
  it('marks the room deleted and takes it out of every index, once', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).rejects(conditionalCheckFailed());

    await repository().markDeleted('r1', '2026-11-03T00:00:00.000Z');
    await expect(repository().markDeleted('r1', '2026-11-03T00:00:00.000Z')).rejects.toThrow(ConflictError);

    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'ROOM#r1', sk: 'META' },
      UpdateExpression: 'SET deletedAt = :at REMOVE gsi2pk, gsi2sk, gsi3pk, gsi3sk',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
    });
  });

  it('reads a tombstone back as a deleted room', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'ROOM#r1', sk: 'META', ...room, deletedAt: '2026-11-03T00:00:00.000Z' } });

    expect(await repository().getRoom('r1')).toEqual({ ...room, deletedAt: '2026-11-03T00:00:00.000Z' });
  });

  it('purges everything in the partition but the tombstone and the retention policy, 25 at a time', async () => {
    const members = Array.from({ length: 30 }, (_, i) => ({ pk: 'ROOM#r1', sk: `MEMBER#u${i}` }));
    ddb.on(QueryCommand).resolves({
      Items: [{ pk: 'ROOM#r1', sk: 'META' }, { pk: 'ROOM#r1', sk: 'RETENTION' }, { pk: 'ROOM#r1', sk: 'BAN#x' }, { pk: 'ROOM#r1', sk: 'AGENT#bot' }, ...members],
    });
    ddb.on(BatchWriteCommand).resolves({});

    expect(await repository().purgeRoom('r1')).toBe(32);

    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 2);
    const deleted = ddb
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => call.args[0].input.RequestItems![TABLE]!.map((r) => r.DeleteRequest!.Key!['sk']));
    expect(deleted).not.toContain('META');
    expect(deleted).not.toContain('RETENTION');
    expect(deleted).toContain('AGENT#bot');
  });
});

describe('DynamoRoomRepository bans', () => {
  it('stores the ban and removes membership and invitation in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await repository().banMember({ roomId: 'r1', userId: 'bob', bannedBy: 'alice', bannedAt: '2026-11-03T00:00:00.000Z', reason: 'spam', userName: 'Bob' });

    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: {
            TableName: TABLE,
            Item: {
              pk: 'ROOM#r1',
              sk: 'BAN#bob',
              entity: 'ban',
              roomId: 'r1',
              userId: 'bob',
              bannedBy: 'alice',
              bannedAt: '2026-11-03T00:00:00.000Z',
              reason: 'spam',
              userName: 'Bob',
            },
          },
        },
        { Delete: { TableName: TABLE, Key: { pk: 'ROOM#r1', sk: 'MEMBER#bob' } } },
        { Delete: { TableName: TABLE, Key: { pk: 'ROOM#r1', sk: 'INVITE#bob' } } },
        { Delete: { TableName: TABLE, Key: { pk: 'ROOM#r1', sk: 'READ#bob' } } },
      ],
    });
  });

  it('tells whether there was a ban to lift', async () => {
    ddb.on(DeleteCommand).resolvesOnce({ Attributes: { pk: 'ROOM#r1' } }).resolves({});

    expect(await repository().deleteBan('r1', 'bob')).toBe(true);
    expect(await repository().deleteBan('r1', 'bob')).toBe(false);
  });

  it('pages bans by user id', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [{ roomId: 'r1', userId: 'bob', bannedBy: 'alice', bannedAt: '2026-11-03T00:00:00.000Z' }],
      LastEvaluatedKey: { pk: 'ROOM#r1', sk: 'BAN#bob' },
    });

    const page = await repository().pageBans('r1', { limit: 1, cursor: 'alan' });

    expect(page).toEqual({ items: [{ roomId: 'r1', userId: 'bob', bannedBy: 'alice', bannedAt: '2026-11-03T00:00:00.000Z' }], nextCursor: 'bob' });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExclusiveStartKey: { pk: 'ROOM#r1', sk: 'BAN#alan' } });
  });
});

describe('DynamoRoomRepository.countMembers', () => {
  it('counts the membership items of every page without reading them back', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Count: 3, LastEvaluatedKey: { pk: 'ROOM#r1', sk: 'MEMBER#c' } }).resolves({ Count: 2 });

    expect(await repository().countMembers('r1')).toBe(5);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { Select: 'COUNT' });
  });
});

describe('DynamoRoomRepository.searchPublicRooms', () => {
  it('queries one partition of the byName index with the folded prefix', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [{ pk: 'ROOM#r1', sk: 'META', ...room }],
      LastEvaluatedKey: { pk: 'ROOM#r1', sk: 'META', gsi3pk: 'ROOM#g', gsi3sk: 'general#r1' },
    });

    const page = await repository().searchPublicRooms(' ＧEN ', { limit: 1 });

    expect(page).toEqual({ items: [room], nextCursor: 'general#r1' });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byName',
      KeyConditionExpression: 'gsi3pk = :partition AND begins_with(gsi3sk, :prefix)',
      ExpressionAttributeValues: { ':partition': 'ROOM#g', ':prefix': 'gen' },
      Limit: 1,
    });
  });

  it('resumes from its cursor and refuses one outside the prefix', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    await repository().searchPublicRooms('gen', { limit: 1, cursor: 'general#r1' });
    await expect(repository().searchPublicRooms('gen', { limit: 1, cursor: 'other#r9' })).rejects.toThrow(ValidationError);

    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ExclusiveStartKey: { pk: 'ROOM#r1', sk: 'META', gsi3pk: 'ROOM#g', gsi3sk: 'general#r1' },
    });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
  });
});

describe('DynamoConnectionRepository.unsubscribeRoom', () => {
  it('deletes the room’s connection items in batches and takes the room off each connection', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ connectionId: 'c1', userId: 'alice' }, { connectionId: 'c2', userId: 'bob' }] });
    ddb.on(BatchWriteCommand).resolves({});
    ddb.on(UpdateCommand).rejectsOnce(conditionalCheckFailed()).resolves({});

    const count = await new DynamoConnectionRepository(documentClient(), 'connections').unsubscribeRoom('r1');

    expect(count).toBe(2);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExpressionAttributeValues: { ':pk': 'ROOM#r1', ':conn': 'CONN#' } });
    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: {
        connections: [
          { DeleteRequest: { Key: { pk: 'ROOM#r1', sk: 'CONN#c1' } } },
          { DeleteRequest: { Key: { pk: 'ROOM#r1', sk: 'CONN#c2' } } },
        ],
      },
    });
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { Key: { pk: 'CONN#c2', sk: 'META' }, UpdateExpression: 'DELETE rooms :room' });
  });
});
