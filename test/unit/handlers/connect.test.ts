import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);

type Handler = (typeof import('../../../lambdas/handlers/connect'))['handler'];
let handler: Handler;

beforeAll(async () => {
  stubHandlerEnv();
  ({ handler } = await import('../../../lambdas/handlers/connect'));
});

beforeEach(() => {
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(PutCommand, { TableName: 'connections' }).resolves({});
  ddb.on(BatchWriteCommand).resolves({});
});

afterEach(() => ddb.reset());

const connect = async () =>
  (await handler(wsEvent({ routeKey: '$connect', eventType: 'CONNECT', connectionId: 'c-1' }), lambdaContext)) as { statusCode: number };

describe('connect handler: profiles', () => {
  it('creates the profile of someone connecting for the first time, from their token’s name', async () => {
    ddb.on(GetCommand, { TableName: 'rooms' }).resolves({});
    ddb.on(PutCommand, { TableName: 'rooms' }).resolves({});

    expect(await connect()).toEqual({ statusCode: 200 });

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'rooms',
      Item: expect.objectContaining({ pk: 'USER#u-alice', sk: 'PROFILE', displayName: 'Alice', gsi3pk: 'PERSON#a', gsi3sk: 'alice#u-alice' }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('writes no profile for someone who has one', async () => {
    ddb.on(GetCommand, { TableName: 'rooms' }).resolves({
      Item: { userId: 'u-alice', displayName: 'Alice Liddell', createdAt: '2026-11-01T00:00:00.000Z' },
    });

    expect(await connect()).toEqual({ statusCode: 200 });

    expect(ddb).not.toHaveReceivedCommandWith(PutCommand, { TableName: 'rooms' });
  });

  it('refuses the connection (500) when the profile cannot be read, as for any failure of $connect', async () => {
    ddb.on(GetCommand, { TableName: 'rooms' }).rejects(new Error('throttled'));

    expect(await connect()).toEqual({ statusCode: 500 });
  });
});
