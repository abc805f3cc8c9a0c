import { BatchGetCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoReadStateRepository } from '../../../../lambdas/adapters/dynamodb/read-state-repository';
import { conditionalCheckFailed, documentClient } from '../../../support/dynamodb';

const TABLE = 'rooms';
const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new DynamoReadStateRepository(documentClient(), TABLE);
const mark = { roomId: 'r1', messageId: '01KBQ0000000000000000000000', readAt: '2026-12-06T12:00:00.000Z' };

afterEach(() => {
  ddb.reset();
});

describe('DynamoReadStateRepository', () => {
  it('moves the mark forward with one conditional update beside the membership', async () => {
    ddb.on(UpdateCommand).resolves({});

    expect(await repository().markRead('u-bob', mark)).toEqual({ moved: true, state: mark });
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(UpdateCommand, {
      TableName: TABLE,
      Key: { pk: 'ROOM#r1', sk: 'READ#u-bob' },
      ConditionExpression: 'attribute_not_exists(messageId) OR messageId < :messageId',
      ExpressionAttributeValues: expect.objectContaining({ ':messageId': mark.messageId, ':entity': 'readState' }),
    });
  });

  it('answers with the stored mark when it is already there or later', async () => {
    const stored = { ...mark, messageId: '01KBQ9999999999999999999999' };
    ddb.on(UpdateCommand).rejects(conditionalCheckFailed());
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [stored] } });

    expect(await repository().markRead('u-bob', mark)).toEqual({ moved: false, state: stored });
  });

  it("reads a member's marks for many rooms in one batch", async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [{ ...mark, pk: 'ROOM#r1', sk: 'READ#u-bob' }] } });

    expect(await repository().readStates('u-bob', ['r1', 'r2', 'r1'])).toEqual([mark]);
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(BatchGetCommand, {
      RequestItems: {
        [TABLE]: {
          Keys: [
            { pk: 'ROOM#r1', sk: 'READ#u-bob' },
            { pk: 'ROOM#r2', sk: 'READ#u-bob' },
          ],
          ProjectionExpression: 'roomId, messageId, readAt',
        },
      },
    });
  });
});
