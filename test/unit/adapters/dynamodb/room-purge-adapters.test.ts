import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoMemoryPurge } from '../../../../lambdas/adapters/dynamodb/memory-purge';
import { DynamoMessageExpiries } from '../../../../lambdas/adapters/dynamodb/message-expiries';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());
const client = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));
const conditionFailed = () => Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

describe('DynamoMessageExpiries', () => {
  it('reads a page of the room’s message keys and expiries, and gives the last key as the cursor', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [{ sk: 'MSG#01a', expiresAt: 1_800_000_000 }, { sk: 'MSG#01b' }],
      LastEvaluatedKey: { roomId: 'r1', sk: 'MSG#01b' },
    });

    const page = await new DynamoMessageExpiries(client(), 'messages').pageMessages('r1', 2);

    expect(page).toEqual({ messages: [{ messageId: '01a', expiresAt: 1_800_000_000 }, { messageId: '01b' }], cursor: 'MSG#01b' });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'messages',
      KeyConditionExpression: '#pk = :room AND begins_with(#sk, :prefix)',
      ProjectionExpression: '#sk, #ttl',
      ExpressionAttributeValues: { ':room': 'r1', ':prefix': 'MSG#' },
      Limit: 2,
    });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.ExclusiveStartKey).toBeUndefined();
  });

  it('goes on from a cursor, and gives none after the last page', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ sk: 'MSG#01c' }] });

    const page = await new DynamoMessageExpiries(client(), 'messages').pageMessages('r1', 2, 'MSG#01b');

    expect(page).toEqual({ messages: [{ messageId: '01c' }] });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExclusiveStartKey: { roomId: 'r1', sk: 'MSG#01b' } });
  });

  it('refuses a cursor that is not a message key, reading nothing', async () => {
    await expect(new DynamoMessageExpiries(client(), 'messages').pageMessages('r1', 2, 'DEDUP#x')).rejects.toThrow(/cursor/);
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });

  it('moves an existing message’s expiry earlier, only ever earlier', async () => {
    ddb.on(UpdateCommand).resolves({});

    const changed = await new DynamoMessageExpiries(client(), 'messages').expireMessage('r1', '01a', 1_796_551_200);

    expect(changed).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'messages',
      Key: { roomId: 'r1', sk: 'MSG#01a' },
      UpdateExpression: 'SET #ttl = :at',
      ConditionExpression: 'attribute_exists(#sk) AND (attribute_not_exists(#ttl) OR #ttl > :at)',
      ExpressionAttributeNames: { '#sk': 'sk', '#ttl': 'expiresAt' },
      ExpressionAttributeValues: { ':at': 1_796_551_200 },
    });
  });

  it('answers false for a message gone or expiring earlier, and throws any other failure', async () => {
    const expiries = new DynamoMessageExpiries(client(), 'messages');
    ddb.on(UpdateCommand).rejectsOnce(conditionFailed()).rejectsOnce(new Error('throttled'));

    expect(await expiries.expireMessage('r1', '01a', 1)).toBe(false);
    await expect(expiries.expireMessage('r1', '01b', 1)).rejects.toThrow('throttled');
  });
});

describe('DynamoMemoryPurge', () => {
  it('deletes a page of the room’s memory items by key, in one BatchWriteItem', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ roomId: 'r1', sk: 'CURSOR' }, { roomId: 'r1', sk: 'CHUNK#000000000001' }] });
    ddb.on(BatchWriteCommand).resolves({});

    const removed = await new DynamoMemoryPurge(client(), 'memory').deleteMemoryPage('r1', 25);

    expect(removed).toBe(2);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'memory',
      KeyConditionExpression: '#pk = :room',
      ExpressionAttributeValues: { ':room': 'r1' },
      Limit: 25,
    });
    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: {
        memory: [
          { DeleteRequest: { Key: { roomId: 'r1', sk: 'CURSOR' } } },
          { DeleteRequest: { Key: { roomId: 'r1', sk: 'CHUNK#000000000001' } } },
        ],
      },
    });
  });

  it('writes nothing when the room has no memory left', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    expect(await new DynamoMemoryPurge(client(), 'memory').deleteMemoryPage('r1', 25)).toBe(0);
    expect(ddb).not.toHaveReceivedCommand(BatchWriteCommand);
  });
});
