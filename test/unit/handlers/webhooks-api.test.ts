import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stubHandlerEnv } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);

let serveHttp: (typeof import('../../../lambdas/shared/http-action'))['serveHttp'];
let routes: (typeof import('../../../lambdas/handlers/webhooks-api'))['webhookRoutes'];

const OWNER = { userId: 'u-alice', displayName: 'Alice' };
const MEMBER = { userId: 'u-bob', displayName: 'Bob' };
const membership = (userId: string, role: string) => ({
  pk: 'ROOM#r1',
  sk: `MEMBER#${userId}`,
  roomId: 'r1',
  userId,
  displayName: userId,
  role,
  joinedAt: '2026-12-01T00:00:00.000Z',
});

const request = (routeKey: string, options: { pathParameters?: Record<string, string>; body?: unknown; query?: Record<string, string> } = {}) =>
  ({
    version: '2.0',
    routeKey,
    rawPath: '/',
    rawQueryString: '',
    headers: { authorization: 'Bearer token', 'content-type': 'application/json' },
    queryStringParameters: options.query,
    pathParameters: options.pathParameters ?? { roomId: 'r1' },
    requestContext: { requestId: 'req-1', http: { method: routeKey.split(' ')[0] } },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

const as = (identity: typeof OWNER) => ({
  verifyUserToken: async () => ({ identity, expiresAt: Date.now() + 60_000 }),
  actionLimiter: { tryAcquire: async () => true },
});

beforeAll(async () => {
  stubHandlerEnv({ INTEGRATIONS_TABLE: 'integrations', AUDIT_TABLE: 'audit' });
  ({ serveHttp } = await import('../../../lambdas/shared/http-action'));
  ({ webhookRoutes: routes } = await import('../../../lambdas/handlers/webhooks-api'));
});

beforeEach(() => {
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { Key: { pk: 'ROOM#r1', sk: 'MEMBER#u-alice' } }).resolves({ Item: membership('u-alice', 'owner') });
  ddb.on(GetCommand, { Key: { pk: 'ROOM#r1', sk: 'MEMBER#u-bob' } }).resolves({ Item: membership('u-bob', 'member') });
  ddb.on(GetCommand, { Key: { pk: 'ROOM#r1', sk: 'META' } }).resolves({
    Item: { pk: 'ROOM#r1', sk: 'META', roomId: 'r1', name: 'Lobby', visibility: 'public', ownerId: 'u-alice', createdAt: '2026-12-01T00:00:00.000Z' },
  });
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
});
afterEach(() => ddb.reset());

describe('webhooks HTTP routes', () => {
  it('creates a webhook for the owner and answers 201 with its secret', async () => {
    const result = await serveHttp(
      routes,
      request('POST /v1/rooms/{roomId}/webhooks', { body: { url: 'https://93.184.216.34/hook', events: ['member.joined'] } }),
      as(OWNER),
    );

    expect(result.statusCode).toBe(201);
    const body = JSON.parse(result.body!);
    expect(body).toMatchObject({ webhook: { roomId: 'r1', url: 'https://93.184.216.34/hook', events: ['member.joined'] }, secret: expect.stringMatching(/^whsec_/) });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'integrations' });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'audit' });
  });

  it('answers 400 WEBHOOK_TARGET_INVALID for the metadata address, writing nothing', async () => {
    const result = await serveHttp(
      routes,
      request('POST /v1/rooms/{roomId}/webhooks', { body: { url: 'https://169.254.169.254/latest' } }),
      as(OWNER),
    );

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body!)).toEqual({ error: { code: 'WEBHOOK_TARGET_INVALID', message: expect.stringContaining('linkLocal') } });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 400 VALIDATION for an unknown field or event type, before any read', async () => {
    for (const body of [{ url: 'https://93.184.216.34/', secret: 'mine' }, { url: 'https://93.184.216.34/', events: ['room.exploded'] }]) {
      const result = await serveHttp(routes, request('POST /v1/rooms/{roomId}/webhooks', { body }), as(OWNER));

      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body!).error.code).toBe('VALIDATION');
    }
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });

  it('answers 403 to a member who is not the owner', async () => {
    const result = await serveHttp(routes, request('GET /v1/rooms/{roomId}/webhooks'), as(MEMBER));

    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body!).error.code).toBe('FORBIDDEN');
  });

  it('answers 404 when deleting a webhook that does not exist, and 400 for a malformed id', async () => {
    const missing = await serveHttp(
      routes,
      request('DELETE /v1/rooms/{roomId}/webhooks/{webhookId}', { pathParameters: { roomId: 'r1', webhookId: '01JD2Z8Q4M3V9X0K7F2B6C1N8R' } }),
      as(OWNER),
    );
    const malformed = await serveHttp(
      routes,
      request('DELETE /v1/rooms/{roomId}/webhooks/{webhookId}', { pathParameters: { roomId: 'r1', webhookId: '../etc' } }),
      as(OWNER),
    );

    expect(missing.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(400);
  });
});

describe('webhook descriptions', () => {
  it('keep emoji sequences but refuse control characters and bidirectional overrides', async () => {
    const create = (description: string) =>
      serveHttp(routes, request('POST /v1/rooms/{roomId}/webhooks', { body: { url: 'https://93.184.216.34/', description } }), as(OWNER));

    expect((await create('Team 👨‍👩‍👧 alerts')).statusCode).toBe(201);
    expect((await create('line\nbreak')).statusCode).toBe(400);
    expect((await create('evil\u202Etxt.exe')).statusCode).toBe(400);
    expect((await create('lone \uD800 half')).statusCode).toBe(400);
  });
});
