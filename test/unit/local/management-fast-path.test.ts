import http from 'node:http';
import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FastPathAnswer,
  type FastPathRequest,
  installManagementFastPath,
  isManagementRequest,
} from '../../../scripts/local/functions/management-fast-path';

const origin = { hostname: '127.0.0.1', port: 39_999 };
const originalRequest = http.request;

afterEach(() => {
  (http as { request: unknown }).request = originalRequest;
});

/** Nothing listens on the origin's port: only the fast path can answer. */
const clientFor = () =>
  new ApiGatewayManagementApiClient({
    endpoint: `http://127.0.0.1:${origin.port}/local`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

describe('isManagementRequest', () => {
  it('takes only the management origin connections paths', () => {
    const base = { hostname: '127.0.0.1', port: 39_999, method: 'POST' };
    expect(isManagementRequest({ ...base, path: '/local/%40connections/abc' }, origin)).toBe(true);
    expect(isManagementRequest({ ...base, path: '/local/@connections/abc' }, origin)).toBe(true);
    expect(isManagementRequest({ ...base, path: '/.well-known/jwks.json' }, origin)).toBe(false);
    expect(isManagementRequest({ ...base, port: 40_000, path: '/local/@connections/abc' }, origin)).toBe(false);
    expect(isManagementRequest(new URL('http://127.0.0.1:39999/local/@connections/abc'), origin)).toBe(false);
  });
});

describe('installManagementFastPath', () => {
  it('carries an unchanged SDK PostToConnection to the call and back', async () => {
    const calls: FastPathRequest[] = [];
    installManagementFastPath(http, origin, async (request): Promise<FastPathAnswer> => {
      calls.push(request);
      return { status: 200, headers: { 'x-amzn-RequestId': 'r1' }, body: '' };
    });

    const result = await clientFor().send(new PostToConnectionCommand({ ConnectionId: 'c=1', Data: '{"type":"hi"}' }));

    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(calls).toEqual([{ method: 'POST', rawPath: '/local/@connections/c%3D1', body: '{"type":"hi"}' }]);
  });

  it('lets the SDK raise GoneException from a 410 answer', async () => {
    installManagementFastPath(http, origin, async () => ({
      status: 410,
      headers: { 'x-amzn-errortype': 'GoneException', 'content-type': 'application/json' },
      body: '{"message":null}',
    }));

    const post = clientFor().send(new PostToConnectionCommand({ ConnectionId: 'gone', Data: 'x' }));

    await expect(post).rejects.toBeInstanceOf(GoneException);
  });

  it('fails the SDK call when the main thread cannot answer', async () => {
    installManagementFastPath(http, origin, async () => {
      throw new Error('stopping');
    });

    await expect(clientFor().send(new PostToConnectionCommand({ ConnectionId: 'c', Data: 'x' }))).rejects.toThrow('stopping');
  });

  it('leaves every other request to Node', async () => {
    let called = false;
    installManagementFastPath(http, origin, async () => {
      called = true;
      return { status: 200, headers: {}, body: '' };
    });
    const server = http.createServer((_req, res) => res.end('real'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };

    const body = await new Promise<string>((resolve, reject) => {
      http
        .request({ hostname: '127.0.0.1', port, path: '/health', method: 'GET' }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        })
        .on('error', reject)
        .end();
    });
    server.close();

    expect(body).toBe('real');
    expect(called).toBe(false);
  });
});
