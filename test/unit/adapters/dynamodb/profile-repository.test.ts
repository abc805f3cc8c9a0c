import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoProfileRepository } from '../../../../lambdas/adapters/dynamodb/profile-repository';
import { ValidationError } from '../../../../lambdas/domain/errors';
import { documentClient } from '../../../support/dynamodb';

const TABLE = 'rooms';
const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new DynamoProfileRepository(documentClient(), TABLE);

const bob = { userId: 'u-bob', displayName: 'Bób', createdAt: '2026-11-21T12:00:00.000Z' };
const bobItem = { pk: 'USER#u-bob', sk: 'PROFILE', entity: 'profile', ...bob, gsi3pk: 'PERSON#b', gsi3sk: 'bob#u-bob' };

afterEach(() => ddb.reset());

describe('DynamoProfileRepository', () => {
  it('creates a missing profile with its byName keys, on the condition that none exists', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});

    expect(await repository().ensureProfile(bob)).toEqual(bob);

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: bobItem,
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('returns an existing profile unchanged and writes nothing', async () => {
    ddb.on(GetCommand).resolves({ Item: bobItem });

    expect(await repository().ensureProfile({ ...bob, displayName: 'Robert' })).toEqual(bob);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('reads the winner back when another connection created the profile first', async () => {
    ddb.on(GetCommand).resolvesOnce({}).resolvesOnce({ Item: bobItem });
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

    expect(await repository().ensureProfile({ ...bob, displayName: 'Robert' })).toEqual(bob);
    expect(ddb).toHaveReceivedNthCommandWith(GetCommand, 2, { ConsistentRead: true });
  });

  it('stores a name that is only an email address without byName keys, so it cannot be searched', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});

    await repository().ensureProfile({ ...bob, displayName: 'bob@example.com' });

    const item = ddb.commandCalls(PutCommand)[0]!.args[0].input.Item!;
    expect(item).not.toHaveProperty('gsi3pk');
    expect(item).not.toHaveProperty('gsi3sk');
  });

  it('renames a profile and moves it in the byName index, creating it when missing', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ...bobItem, displayName: 'Robert' } });

    expect(await repository().renameProfile('u-bob', 'Robert', '2026-11-22T00:00:00.000Z')).toMatchObject({ displayName: 'Robert' });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'USER#u-bob', sk: 'PROFILE' },
      UpdateExpression:
        'SET entity = :entity, userId = :userId, displayName = :name, createdAt = if_not_exists(createdAt, :now), gsi3pk = :gsi3pk, gsi3sk = :gsi3sk',
      ExpressionAttributeValues: {
        ':entity': 'profile',
        ':userId': 'u-bob',
        ':name': 'Robert',
        ':now': '2026-11-22T00:00:00.000Z',
        ':gsi3pk': 'PERSON#r',
        ':gsi3sk': 'robert#u-bob',
      },
    });
  });

  it('removes the byName keys when a new name has nothing searchable', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ...bob, displayName: 'x@y.z' } });

    await repository().renameProfile('u-bob', 'x@y.z', '2026-11-22T00:00:00.000Z');

    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.UpdateExpression).toMatch(/ REMOVE gsi3pk, gsi3sk$/);
  });

  it('finds by prefix with one Query on the partition of its first letter, and continues after the last one', async () => {
    const last = { pk: 'USER#u-bob', sk: 'PROFILE', gsi3pk: 'PERSON#b', gsi3sk: 'bob#u-bob' };
    ddb.on(QueryCommand).resolvesOnce({ Items: [bobItem], LastEvaluatedKey: last }).resolvesOnce({ Items: [] });

    const first = await repository().findByName('bo', { limit: 1 });
    const second = await repository().findByName('bo', { limit: 1, cursor: first.nextCursor! });

    expect(first).toEqual({ items: [{ ...bob, foldedName: 'bob' }], nextCursor: 'bob#u-bob' });
    expect(second).toEqual({ items: [] });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 1, {
      TableName: TABLE,
      IndexName: 'byName',
      KeyConditionExpression: 'gsi3pk = :partition AND begins_with(gsi3sk, :prefix)',
      ExpressionAttributeValues: { ':partition': 'PERSON#b', ':prefix': 'bo' },
      Limit: 1,
    });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: last });
  });

  it('refuses a cursor that does not continue the same search', async () => {
    await expect(repository().findByName('bo', { limit: 1, cursor: 'carol#u-carol' })).rejects.toThrow(ValidationError);
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });
});
