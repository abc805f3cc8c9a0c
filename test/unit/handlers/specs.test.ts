import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { SPEC_ROUTES } from '../../../lambdas/contracts/documents';
import { handler } from '../../../lambdas/handlers/specs';
import { lambdaContext } from '../../support/events';
import { readSpec } from '../../support/spec-cases';

const get = (path: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'req-1',
      routeKey: `GET ${path}`,
      stage: '$default',
      time: '06/Dec/2026:12:00:00 +0000',
      timeEpoch: Date.UTC(2026, 11, 6, 12),
    },
  }) as APIGatewayProxyEventV2;

const call = async (event: APIGatewayProxyEventV2) =>
  (await handler(event, lambdaContext)) as APIGatewayProxyStructuredResultV2 & { headers: Record<string, string> };

describe('specs handler', () => {
  it.each([
    ['/v1/openapi.json', 'docs/openapi.json'],
    ['/v1/asyncapi.json', 'docs/asyncapi.json'],
  ])('serves %s as the checked-in %s, cacheable, to any origin', async (path, file) => {
    const response = await call(get(path));

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(String(response.body))).toEqual(readSpec(file));
    expect(response.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
      etag: expect.stringMatching(/^"[\w-]{43}"$/),
    });
  });

  it('answers every route the OpenAPI document lists for it', async () => {
    for (const { path } of Object.values(SPEC_ROUTES)) {
      expect((await call(get(path))).statusCode, path).toBe(200);
    }
  });

  it('answers 304 with no body when the caller holds the current copy', async () => {
    const { headers } = await call(get('/v1/asyncapi.json'));

    const again = await call(get('/v1/asyncapi.json', { 'if-none-match': headers['etag']! }));

    expect(again.statusCode).toBe(304);
    expect(again.body).toBeUndefined();
    expect(again.headers['etag']).toBe(headers['etag']);
  });

  it('serves the whole document again for a stale copy', async () => {
    const response = await call(get('/v1/openapi.json', { 'if-none-match': '"stale"' }));

    expect(response.statusCode).toBe(200);
  });

  it('gives each document its own tag', async () => {
    const openapi = await call(get('/v1/openapi.json'));
    const asyncapi = await call(get('/v1/asyncapi.json'));

    expect(openapi.headers['etag']).not.toBe(asyncapi.headers['etag']);
  });

  it('answers 404 for a route it does not serve', async () => {
    const response = await call(get('/v1/swagger.json'));

    expect(response.statusCode).toBe(404);
    expect(JSON.parse(String(response.body))).toEqual({ error: { code: 'NOT_FOUND', message: 'No such document.' } });
  });
});
