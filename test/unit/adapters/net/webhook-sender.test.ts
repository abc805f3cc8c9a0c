import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpWebhookSender } from '../../../../lambdas/adapters/net/webhook-sender';
import { DnsHostResolver } from '../../../../lambdas/adapters/net/dns-resolver';

describe('HttpWebhookSender', () => {
  let server: Server;
  let port: number;
  const seen: Array<{ request: IncomingMessage; body: string }> = [];
  let answer: (path: string) => { status: number; headers?: Record<string, string>; hang?: boolean } = () => ({ status: 200 });

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        seen.push({ request, body: Buffer.concat(chunks).toString() });
        const { status, headers, hang } = answer(request.url ?? '/');
        if (!hang) response.writeHead(status, headers).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (path: string, timeoutMs = 5_000, host = 'receiver.test') =>
    new HttpWebhookSender().send(
      { url: new URL(`http://${host}:${port}${path}`), address: '127.0.0.1', headers: { 'webhook-id': 'evt-1' }, body: '{"a":1}' },
      timeoutMs,
    );

  it('POSTs the body and headers to the checked address, naming the host in Host', async () => {
    answer = () => ({ status: 204 });

    expect(await send('/ok')).toEqual({ kind: 'answered', statusCode: 204 });
    const last = seen.at(-1)!;
    expect(last.request.method).toBe('POST');
    expect(last.request.headers.host).toBe(`receiver.test:${port}`);
    expect(last.request.headers['webhook-id']).toBe('evt-1');
    expect(last.body).toBe('{"a":1}');
  });

  it('does not follow a redirect: the 3xx is the answer', async () => {
    answer = (path) => (path === '/moved' ? { status: 302, headers: { location: '/elsewhere' } } : { status: 200 });
    const before = seen.length;

    expect(await send('/moved')).toEqual({ kind: 'answered', statusCode: 302 });
    expect(seen.length - before).toBe(1);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    answer = () => ({ status: 200, hang: true });

    expect(await send('/slow', 100)).toEqual({ kind: 'failed', errorClass: 'timeout' });
  });

  it('reports a refused connection', async () => {
    const result = await new HttpWebhookSender().send(
      { url: new URL('http://receiver.test:1/'), address: '127.0.0.1', headers: {}, body: '' },
      2_000,
    );

    expect(result).toEqual({ kind: 'failed', errorClass: 'connection' });
  });
});

describe('DnsHostResolver', () => {
  it('resolves every address of a name', async () => {
    const addresses = await new DnsHostResolver().resolve('localhost');

    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.every((a) => a === '127.0.0.1' || a === '::1')).toBe(true);
  });
});
