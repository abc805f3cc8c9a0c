import { DynamoDBDocumentClient, GetCommand, UpdateCommand, type GetCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatApiKey, hashSecret, newSecret } from '../../../lambdas/domain/integrations/api-keys';
import type { HttpEvent } from '../../../lambdas/shared/http-action';
import { lambdaContext, stubHandlerEnv } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const secret = newSecret();
const KEY = formatApiKey({ roomId: 'r1', keyId: 'k1', secret });

type Handler = (typeof import('../../../lambdas/handlers/http-rooms'))['handler'];
let handler: Handler;

beforeAll(async () => {
  stubHandlerEnv({ INTEGRATIONS_TABLE: 'integrations', JWT_ISSUER: 'https://idp.example.test/pool', JWT_AUDIENCE: 'parley-client' });
  ({ handler } = await import('../../../lambdas/handlers/http-rooms'));
});

afterEach(() => {
  ddb.reset();
});

const event = (authorization?: string): HttpEvent =>
  ({
    version: '2.0',
    routeKey: 'GET /v1/rooms',
    rawPath: '/v1/rooms',
    rawQueryString: '',
    headers: authorization ? { authorization } : {},
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1', routeKey: 'GET /v1/rooms' },
  }) as unknown as HttpEvent;

describe('GET /v1/rooms', () => {
  it("answers an API key with its one room, with the key's rate in the headers", async () => {
    ddb.on(GetCommand).callsFake((input: GetCommandInput) =>
      input.TableName === 'integrations'
        ? {
            Item: {
              roomId: 'r1', sk: 'KEY#k1', keyId: 'k1', name: 'CI', scopes: ['read'], ratePerMinute: 60,
              secretHash: hashSecret(secret), createdAt: '2026-12-07T00:00:00.000Z', createdBy: 'u-alice',
            },
          }
        : { Item: { pk: 'ROOM#r1', sk: 'META', roomId: 'r1', name: 'ops', visibility: 'private', ownerId: 'u-alice', createdAt: '2026-12-01T00:00:00.000Z' } },
    );
    ddb.on(UpdateCommand).resolves({ Attributes: { requests: 1 } });

    const result = await handler(event(`Bearer ${KEY}`), lambdaContext);

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body))).toEqual({
      rooms: [{ roomId: 'r1', name: 'ops', visibility: 'private', ownerId: 'u-alice', createdAt: '2026-12-01T00:00:00.000Z' }],
    });
    expect(result.headers).toMatchObject({ 'ratelimit-limit': '60', 'ratelimit-remaining': '59' });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'integrations', Key: { roomId: 'r1', sk: 'KEY#k1' }, ConsistentRead: true });
  });

  it('answers 401 without credentials, and touches no table', async () => {
    const result = await handler(event(), lambdaContext);

    expect(result.statusCode).toBe(401);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 401 for a key whose secret does not match', async () => {
    ddb.on(GetCommand).resolves({
      Item: { roomId: 'r1', sk: 'KEY#k1', keyId: 'k1', name: 'CI', scopes: ['read'], ratePerMinute: 60, secretHash: hashSecret(newSecret()), createdAt: '', createdBy: '' },
    });

    const result = await handler(event(`Bearer ${KEY}`), lambdaContext);

    expect(result.statusCode).toBe(401);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });
});

