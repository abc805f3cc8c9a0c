import { describe, expect, it } from 'vitest';
import { parseRequestTarget } from '../../../scripts/local/http-guard';
import {
  buildHttpEvent,
  mapHttpResult,
  matchRoute,
  preflightAnswer,
  withCors,
} from '../../../scripts/local/gateway/http-gateway';
import type { LocalHttpCors, LocalHttpRoute } from '../../../scripts/local/model';

const route = (routeKey: string): LocalHttpRoute => {
  const [method, path] = routeKey.split(' ');
  return routeKey === '$default'
    ? { routeKey, functionKey: 'Fn', payloadFormatVersion: '2.0' }
    : { routeKey, method: method as string, path: path as string, functionKey: `Fn:${routeKey}`, payloadFormatVersion: '2.0' };
};

const ROUTES = [
  route('GET /v1/rooms'),
  route('GET /v1/rooms/{roomId}/messages'),
  route('POST /v1/rooms/{roomId}/messages'),
  route('GET /v1/rooms/mine/messages'),
  route('ANY /v1/files/{proxy+}'),
];

describe('the local HTTP API', () => {
  it('matches the most specific route, as API Gateway does', () => {
    expect(matchRoute(ROUTES, 'GET', '/v1/rooms')?.route.routeKey).toBe('GET /v1/rooms');
    expect(matchRoute(ROUTES, 'GET', '/v1/rooms/r%201/messages')).toEqual({
      route: ROUTES[1],
      pathParameters: { roomId: 'r 1' },
    });
    expect(matchRoute(ROUTES, 'GET', '/v1/rooms/mine/messages')?.route.routeKey).toBe('GET /v1/rooms/mine/messages');
    expect(matchRoute(ROUTES, 'DELETE', '/v1/files/a/b')?.pathParameters).toEqual({ proxy: 'a/b' });
  });

  it('matches nothing for another method, a longer path or a trailing slash, unless there is $default', () => {
    expect(matchRoute(ROUTES, 'DELETE', '/v1/rooms')).toBeUndefined();
    expect(matchRoute(ROUTES, 'GET', '/v1/rooms/r1/messages/extra')).toBeUndefined();
    expect(matchRoute(ROUTES, 'GET', '/v1/rooms/')).toBeUndefined();
    expect(matchRoute([...ROUTES, route('$default')], 'GET', '/nowhere')?.route.routeKey).toBe('$default');
  });

  it('builds the payload-2.0 event: lower-cased headers, cookies apart, joined query values, text body as is', () => {
    const target = parseRequestTarget('/v1/rooms/r1/messages?limit=2&tag=a&tag=b');
    const event = buildHttpEvent(
      { apiId: 'abc123', stage: '$default' },
      { route: ROUTES[2] as LocalHttpRoute, pathParameters: { roomId: 'r1' } },
      {
        method: 'POST',
        target: target!,
        headers: { host: '127.0.0.1:3005', 'content-type': 'application/json', cookie: 'a=1; b=2', 'user-agent': 'curl/8', 'x-many': ['1', '2'] },
        body: Buffer.from('{"text":"hi"}'),
        sourceIp: '127.0.0.1',
      },
      { region: 'us-east-1', accountId: '000000000000', requestId: 'req-1', now: new Date(Date.UTC(2026, 11, 7)) },
    );

    expect(event).toEqual({
      version: '2.0',
      routeKey: 'POST /v1/rooms/{roomId}/messages',
      rawPath: '/v1/rooms/r1/messages',
      rawQueryString: 'limit=2&tag=a&tag=b',
      cookies: ['a=1', 'b=2'],
      headers: { host: '127.0.0.1:3005', 'content-type': 'application/json', 'user-agent': 'curl/8', 'x-many': '1,2' },
      queryStringParameters: { limit: '2', tag: 'a,b' },
      pathParameters: { roomId: 'r1' },
      requestContext: expect.objectContaining({
        apiId: 'abc123',
        requestId: 'req-1',
        routeKey: 'POST /v1/rooms/{roomId}/messages',
        stage: '$default',
        http: { method: 'POST', path: '/v1/rooms/r1/messages', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8' },
        timeEpoch: Date.UTC(2026, 11, 7),
      }),
      body: '{"text":"hi"}',
      isBase64Encoded: false,
    });
  });

  it('passes a binary body base64-encoded, and leaves out what the request does not have', () => {
    const event = buildHttpEvent(
      { apiId: 'abc123', stage: '$default' },
      { route: ROUTES[0] as LocalHttpRoute, pathParameters: {} },
      { method: 'GET', target: parseRequestTarget('/v1/rooms')!, headers: { 'content-type': 'image/png' }, body: Buffer.from([1, 2, 3]), sourceIp: '127.0.0.1' },
      { region: 'us-east-1', accountId: '000000000000' },
    );

    expect(event).toMatchObject({ body: 'AQID', isBase64Encoded: true });
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('cookies');
  });

  it('maps a structured result: status, headers, cookies and a base64 body', () => {
    const answer = mapHttpResult({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'X-Count': 3 },
      cookies: ['a=1; Path=/'],
      body: Buffer.from('{"ok":true}').toString('base64'),
      isBase64Encoded: true,
    });

    expect(answer.status).toBe(201);
    expect(answer.headers).toEqual({ 'content-type': 'application/json', 'x-count': '3', 'set-cookie': ['a=1; Path=/'] });
    expect(answer.body.toString()).toBe('{"ok":true}');
  });

  it('maps any other value to a 200 JSON body, and a bad status to 500', () => {
    expect(mapHttpResult({ rooms: [] })).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
    expect(mapHttpResult({ rooms: [] }).body.toString()).toBe('{"rooms":[]}');
    expect(mapHttpResult({ statusCode: 'teapot' }).status).toBe(500);
    expect(mapHttpResult({ statusCode: 'teapot' }).body.toString()).toBe('{"message":"Internal Server Error"}');
  });

  const CORS: LocalHttpCors = {
    allowOrigins: ['*'],
    allowMethods: ['GET', 'POST', 'DELETE'],
    allowHeaders: ['authorization', 'content-type'],
    exposeHeaders: ['retry-after'],
    allowCredentials: false,
    maxAge: 3600,
  };

  it('answers a CORS preflight itself, as the template configures it', () => {
    const answer = preflightAnswer(CORS, 'OPTIONS', {
      origin: 'https://example.org',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization',
    });

    expect(answer).toMatchObject({
      status: 204,
      headers: {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET,POST,DELETE',
        'access-control-allow-headers': 'authorization,content-type',
        'access-control-max-age': '3600',
      },
    });
    expect(preflightAnswer(CORS, 'OPTIONS', { origin: 'https://example.org', 'access-control-request-method': 'PUT' })?.headers).toEqual({});
    expect(preflightAnswer(undefined, 'OPTIONS', { origin: 'https://example.org', 'access-control-request-method': 'POST' })).toBeUndefined();
    expect(preflightAnswer(CORS, 'GET', { origin: 'https://example.org' })).toBeUndefined();
  });

  it('sets the configured CORS headers on answers to allowed origins, and drops the function’s own', () => {
    const answer = { status: 200, headers: { 'access-control-allow-origin': 'https://evil.example' }, body: Buffer.alloc(0) };
    const listed: LocalHttpCors = { ...CORS, allowOrigins: ['https://app.example'] };

    expect(withCors(answer, CORS, 'https://example.org').headers).toEqual({
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'retry-after',
    });
    expect(withCors(answer, listed, 'https://other.example').headers).toEqual({});
    expect(withCors(answer, listed, 'https://app.example').headers['access-control-allow-origin']).toBe('https://app.example');
  });
});
