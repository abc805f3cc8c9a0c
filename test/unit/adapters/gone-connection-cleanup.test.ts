import {
  ApiGatewayManagementApiClient,
  ForbiddenException,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagementApiGateway } from '../../../lambdas/adapters/apigateway/connection-gateway';
import { DynamoConnectionRepository } from '../../../lambdas/adapters/dynamodb/connection-repository';
import type { Frame } from '../../../lambdas/domain/protocol';
import { deliverToRoom } from '../../../lambdas/use-cases/delivery/deliver-to-room';
import { documentClient } from '../../support/dynamodb';

const TABLE = 'connections';
const ddb = mockClient(DynamoDBDocumentClient);
const api = mockClient(ApiGatewayManagementApiClient);

afterEach(() => {
  ddb.reset();
  api.reset();
});

describe('deliverToRoom over the DynamoDB and management API adapters', () => {
  it('removes a stale connection on 410 and still delivers to the others', async () => {
    // Alice (the sender) on c-alice, Bob on a stale c-bob-old and a live c-bob.
    ddb.on(QueryCommand).resolves({
      Items: [
        { connectionId: 'c-alice', userId: 'alice' },
        { connectionId: 'c-bob-old', userId: 'bob' },
        { connectionId: 'c-bob', userId: 'bob' },
      ],
    });
    ddb.on(DeleteCommand, { Key: { pk: 'CONN#c-bob-old', sk: 'META' } }).resolves({
      Attributes: { pk: 'CONN#c-bob-old', sk: 'META', connectionId: 'c-bob-old', userId: 'bob', rooms: new Set(['r1', 'r2']) },
    });
    ddb.on(BatchWriteCommand).resolves({});
    api.on(PostToConnectionCommand).resolves({});
    api
      .on(PostToConnectionCommand, { ConnectionId: 'c-bob-old' })
      .rejects(new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } }));
    const deps = {
      connections: new DynamoConnectionRepository(documentClient(), TABLE),
      gateway: new ManagementApiGateway(new ApiGatewayManagementApiClient({ region: 'eu-west-1' })),
    };
    const frame: Frame = {
      type: 'roomEvent',
      roomId: 'r1',
      event: { kind: 'memberLeft', userId: 'carol' },
    };

    const report = await deliverToRoom(deps, 'r1', frame);

    expect(report).toEqual({ recipients: 3, delivered: 2, gone: 1, failed: 0, failures: [] });
    const payload = JSON.stringify(frame);
    for (const connectionId of ['c-alice', 'c-bob']) {
      expect(api).toHaveReceivedCommandWith(PostToConnectionCommand, { ConnectionId: connectionId, Data: payload });
    }
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(DeleteCommand, {
      TableName: TABLE,
      Key: { pk: 'CONN#c-bob-old', sk: 'META' },
      ReturnValues: 'ALL_OLD',
    });
    expect(ddb).toHaveReceivedCommandTimes(DeleteCommand, 1);
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(BatchWriteCommand, {
      RequestItems: {
        [TABLE]: [
          { DeleteRequest: { Key: { pk: 'USER#bob', sk: 'CONN#c-bob-old' } } },
          { DeleteRequest: { Key: { pk: 'ROOM#r1', sk: 'CONN#c-bob-old' } } },
          { DeleteRequest: { Key: { pk: 'ROOM#r2', sk: 'CONN#c-bob-old' } } },
        ],
      },
    });
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 1);
    expect(ddb).not.toHaveReceivedCommand(ScanCommand);
  });

  it('reports a refused post with its status and error name, and keeps the connection', async () => {
    // What every post gets when the function lacks execute-api:ManageConnections.
    ddb.on(QueryCommand).resolves({
      Items: [
        { connectionId: 'c-alice', userId: 'alice' },
        { connectionId: 'c-bob', userId: 'bob' },
      ],
    });
    api.on(PostToConnectionCommand).rejects(new ForbiddenException({ message: 'denied', $metadata: { httpStatusCode: 403 } }));
    const deps = {
      connections: new DynamoConnectionRepository(documentClient(), TABLE),
      gateway: new ManagementApiGateway(new ApiGatewayManagementApiClient({ region: 'eu-west-1' })),
    };

    const report = await deliverToRoom(deps, 'r1', { type: 'roomEvent', roomId: 'r1', event: { kind: 'memberLeft', userId: 'carol' } });

    expect(report).toEqual({
      recipients: 2,
      delivered: 0,
      gone: 0,
      failed: 2,
      failures: [
        { connectionId: 'c-alice', status: 403, error: 'ForbiddenException' },
        { connectionId: 'c-bob', status: 403, error: 'ForbiddenException' },
      ],
    });
    expect(ddb).not.toHaveReceivedCommand(DeleteCommand);
  });
});
