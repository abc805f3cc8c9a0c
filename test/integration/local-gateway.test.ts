import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectHttp2 } from 'node:http2';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RequestLogEntry, WebSocketGateway } from '../../scripts/local/gateway/websocket-gateway';
import type { ServerErrorEntry } from '../../scripts/local/http-guard';
import { loadIdentityProvider } from '../../scripts/local/identity/identity-provider';
import { type ManagementServer, startManagementServer } from '../../scripts/local/management-server';
import type { LocalRoute } from '../../scripts/local/model';
import { listen } from '../../scripts/local/ports';
import { type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';

/** A Lambda proxy event as the gateway sends it. */
interface GatewayEvent {
  readonly body?: string;
  readonly headers?: Record<string, string>;
  readonly requestContext: {
    readonly routeKey: string;
    readonly eventType: string;
    readonly connectionId: string;
    readonly messageId?: string | null;
    readonly disconnectStatusCode?: number | null;
  };
}

/** Resolves with the first item (already there or to come) that matches. */
class Recorder<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<() => void>();

  push(item: T): void {
    this.items.push(item);
    for (const waiter of [...this.waiters]) waiter();
  }

  waitFor(predicate: (item: T) => boolean, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.items.find(predicate);
        if (found === undefined) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`Nothing matching within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

const route = (routeKey: string, returnResponse = false): [string, LocalRoute] => [
  routeKey,
  { routeKey, functionKey: routeKey, returnResponse },
];

/**
 * The gateway on real sockets, with functions played by plain async
 * handlers: `$connect` selects `myprotocol` when the client offers it (as in
 * AWS's subprotocol example), `$default` echoes, `big` answers 200 KB.
 */
async function startGateway(options: { disconnectMs?: number } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-gateway-'));
  const invocations = new Recorder<GatewayEvent>();
  const finishedDisconnects = new Recorder<string>();
  const requests = new Recorder<RequestLogEntry>();
  const serverErrors: ServerErrorEntry[] = [];
  const handlers: Record<string, (event: GatewayEvent) => Promise<unknown>> = {
    $connect: async (event) => {
      const offered = (event.headers?.['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
      return offered.includes('myprotocol')
        ? { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'myprotocol' } }
        : { statusCode: 200 };
    },
    $disconnect: async (event) => {
      // The function takes a while, as one writing to a table would.
      await new Promise((resolve) => setTimeout(resolve, options.disconnectMs ?? 0));
      finishedDisconnects.push(event.requestContext.connectionId);
      return { statusCode: 200 };
    },
    $default: async (event) => ({ statusCode: 200, body: JSON.stringify({ route: '$default', received: event.body }) }),
    big: async () => ({ statusCode: 200, body: 'x'.repeat(200 * 1024) }),
  };
  const gateway = new WebSocketGateway({
    api: {
      key: 'Test/Api',
      apiId: 'testapi',
      name: 'Api',
      routeSelectionExpression: '$request.body.action',
      stage: 'local',
      routes: new Map([route('$connect'), route('$disconnect'), route('$default', true), route('big', true)]),
    },
    functions: {
      invoke: async <T>(key: string, event: unknown) => {
        invocations.push(event as GatewayEvent);
        const result = (await handlers[key]?.(event as GatewayEvent)) as T;
        return { requestId: 'req', coldStart: false, durationMs: 1, result };
      },
    },
    region: 'us-east-1',
    accountId: '000000000000',
    idleTimeoutSeconds: 600,
    maxConnectionSeconds: 7200,
    maxMessageBytes: 128 * 1024,
    maxFrameBytes: 32 * 1024,
    onRequest: (entry) => requests.push(entry),
    onServerError: (entry) => serverErrors.push(entry),
  });
  const port = await listen(gateway.server, 0, 'WebSocket API', 'PARLEY_WS_PORT');
  gateway.setDomainName(`127.0.0.1:${port}`);
  const management: ManagementServer = await startManagementServer({
    port: 0,
    identity: await loadIdentityProvider(dataDir),
    gateways: [gateway],
    onServerError: (entry) => serverErrors.push(entry),
  });
  const open = (protocols: string[] = []) =>
    new Promise<{ socket: WebSocket; frames: Recorder<string>; closed: Promise<number>; connectionId: string }>(
      (resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}`, protocols);
        const frames = new Recorder<string>();
        socket.on('message', (data) => frames.push(data.toString()));
        const closed = new Promise<number>((r) => socket.once('close', (code) => r(code)));
        socket.once('error', reject);
        socket.once('open', () => {
          const connects = invocations.items.filter((e) => e.requestContext.eventType === 'CONNECT');
          const connectionId = connects.at(-1)?.requestContext.connectionId as string;
          resolve({ socket, frames, closed, connectionId });
        });
      },
    );
  return {
    gateway,
    port,
    managementUrl: `http://127.0.0.1:${management.port}`,
    invocations,
    finishedDisconnects,
    requests,
    serverErrors,
    open,
    async stop() {
      await gateway.close();
      await management.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Sends raw bytes and resolves with what came back: once a response head has
 * arrived, the server closed, or (for a request the server rightly waits on,
 * such as a truncated body) 2 s passed.
 */
const rawExchange = (port: number, bytes: string | Buffer): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    const timer = setTimeout(done, 2_000);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(bytes);
  });

const statusOf = (response: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);

const upgradeRequest = (host: string, extra = '', key = 'dGhlIHNhbXBsZSBub25jZQ==') =>
  `GET /?token=x HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;

describe('the local WebSocket gateway', () => {
  let gw: Awaited<ReturnType<typeof startGateway>>;

  beforeAll(async () => {
    gw = await startGateway();
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('sends frames naming $connect or $disconnect to $default, and the connection stays whole', async () => {
    const client = await gw.open();

    client.socket.send(JSON.stringify({ action: '$disconnect' }));
    client.socket.send(JSON.stringify({ action: '$connect' }));
    await gw.requests.waitFor((r) => r.route === '$default' && gw.requests.items.filter((i) => i.route === '$default').length >= 2);
    const posted = await fetch(`${gw.managementUrl}/local/@connections/${encodeURIComponent(client.connectionId)}`, {
      method: 'POST',
      body: 'still yours',
    });
    await client.frames.waitFor((f) => f === 'still yours');

    expect(posted.status).toBe(200);
    const ofClient = gw.invocations.items.filter((e) => e.requestContext.connectionId === client.connectionId);
    expect(ofClient.map((e) => e.requestContext.routeKey)).toEqual(['$connect', '$default', '$default']);
    client.socket.close();
  });

  it('closes the connection with 1003 on a binary frame, without calling $default', async () => {
    const client = await gw.open();

    client.socket.send(Buffer.from([1, 2, 3]));
    const code = await client.closed;
    const disconnect = await gw.invocations.waitFor(
      (e) => e.requestContext.eventType === 'DISCONNECT' && e.requestContext.connectionId === client.connectionId,
    );

    expect(code).toBe(1003);
    expect(disconnect.requestContext.disconnectStatusCode).toBe(1003);
    const routes = gw.invocations.items
      .filter((e) => e.requestContext.connectionId === client.connectionId)
      .map((e) => e.requestContext.routeKey);
    expect(routes).toEqual(['$connect', '$disconnect']);
  });

  it('does not send a route response over 128 KB: the caller gets an error frame, the log says why', async () => {
    const client = await gw.open();

    client.socket.send(JSON.stringify({ action: 'big' }));
    const frame = await client.frames.waitFor((f) => f.includes('Internal server error'));
    const logged = await gw.requests.waitFor((r) => r.route === 'big');

    expect(JSON.parse(frame)).toMatchObject({ message: 'Internal server error', connectionId: client.connectionId });
    expect(client.frames.items).toEqual([frame]);
    expect(logged.status).toBe('error');
    expect(logged.error).toMatch(/RouteResponseTooLarge: the route response of 204800 bytes is over/);
    client.socket.close();
  });

  it('serves the management API at %40connections as at @connections', async () => {
    const client = await gw.open();
    const url = `${gw.managementUrl}/local/%40connections/${encodeURIComponent(client.connectionId)}`;

    const posted = await fetch(url, { method: 'POST', body: 'via %40' });
    await client.frames.waitFor((f) => f === 'via %40');
    const described = await fetch(url);
    const deleted = await fetch(url, { method: 'DELETE' });
    const code = await client.closed;

    expect([posted.status, described.status, deleted.status]).toEqual([200, 200, 204]);
    expect(code).toBe(1000);
  });

  it('selects a subprotocol only when the $connect response returns Sec-WebSocket-Protocol', async () => {
    const chosen = await gw.open(['chat', 'myprotocol']);
    const refused = gw.open(['chat']);

    expect(chosen.socket.protocol).toBe('myprotocol');
    // As on AWS, a client that asked for a subprotocol and got none fails the handshake.
    await expect(refused).rejects.toThrow(/Server sent no subprotocol/);
    chosen.socket.close();
  });

  it('sends messageId null on CONNECT and DISCONNECT events and an id on MESSAGE', async () => {
    const client = await gw.open();
    client.socket.send('hello');
    await client.frames.waitFor((f) => f.includes('hello'));
    client.socket.close(1000);
    await gw.invocations.waitFor(
      (e) => e.requestContext.eventType === 'DISCONNECT' && e.requestContext.connectionId === client.connectionId,
    );

    const byType = Object.fromEntries(
      gw.invocations.items
        .filter((e) => e.requestContext.connectionId === client.connectionId)
        .map((e) => [e.requestContext.eventType, e.requestContext]),
    );
    expect(byType['CONNECT']).toMatchObject({ messageId: null, disconnectStatusCode: null });
    expect(byType['DISCONNECT']).toMatchObject({ messageId: null, disconnectStatusCode: 1000 });
    expect(byType['MESSAGE']?.messageId).toEqual(expect.any(String));
  });

  it('refuses a foreign Host (403) and a broken handshake (400) before $connect runs', async () => {
    const connectsBefore = gw.invocations.items.filter((e) => e.requestContext.eventType === 'CONNECT').length;

    const foreign = await rawExchange(gw.port, upgradeRequest('evil.example'));
    const badKey = await rawExchange(gw.port, upgradeRequest(`127.0.0.1:${gw.port}`, '', 'short'));
    const badTarget = await rawExchange(gw.port, upgradeRequest(`127.0.0.1:${gw.port}`).replace('/?token=x', 'http://['));

    expect([statusOf(foreign), statusOf(badKey), statusOf(badTarget)]).toEqual([403, 400, 400]);
    expect(gw.invocations.items.filter((e) => e.requestContext.eventType === 'CONNECT').length).toBe(connectsBefore);
    expect(gw.serverErrors).toEqual([]);
  });
});

describe('stopping the local WebSocket gateway', () => {
  it('closes every connection and waits for each $disconnect before it resolves', async () => {
    const gw = await startGateway({ disconnectMs: 300 });
    const clients = await Promise.all([gw.open(), gw.open(), gw.open()]);

    await gw.stop();

    const codes = await Promise.all(clients.map((c) => c.closed));
    expect(codes).toEqual([1001, 1001, 1001]);
    expect([...gw.finishedDisconnects.items].sort()).toEqual(clients.map((c) => c.connectionId).sort());
  });
});

/** Request lines, paths and headers no server of the runtime should trip on; `{host}` is the server's own. */
const NASTY_HTTP1: readonly string[] = [
  'GET /local/@connections/%ZZ HTTP/1.1\r\nHost: {host}\r\n\r\n',
  'GET /test/@connections/%ZZ HTTP/1.1\r\nHost: {host}\r\n\r\n',
  'POST /test/%40connections/%C0%80 HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\n\r\nhello',
  'DELETE /test/@connections/ HTTP/1.1\r\nHost: {host}\r\n\r\n',
  'GET http://[ HTTP/1.1\r\nHost: {host}\r\n\r\n',
  'GET http://127.0.0.1/health HTTP/1.1\r\nHost: {host}\r\n\r\n',
  'GET * HTTP/1.1\r\nHost: {host}\r\n\r\n',
  'GET /%E2%82 HTTP/1.1\r\nHost: {host}\r\n\r\n',
  'GET /model/%ZZ/converse HTTP/1.1\r\nHost: {host}\r\n\r\n',
  `GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: {host}\r\n\r\n`,
  `GET /health?${'q=%ZZ&'.repeat(2_000)} HTTP/1.1\r\nHost: {host}\r\n\r\n`,
  'GET /health HTTP/1.1\r\nHost: evil.example\r\n\r\n',
  'GET /health HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n',
  'GET /health HTTP/1.1\r\nHost: [::1\r\n\r\n',
  'GET /health HTTP/1.1\r\nHost: {host}\r\nHost: evil.example\r\n\r\n',
  'GET /health HTTP/1.0\r\n\r\n',
  'GET /he\u0000alth HTTP/1.1\r\nHost: {host}\r\n\r\n',
  'GET /health HTTP/1.1\r\nHost: {host}\r\nX-Nul: a\u0000b\r\n\r\n',
  'BREW /health HTTP/1.1\r\nHost: {host}\r\n\r\n',
  'OPTIONS * HTTP/1.1\r\nHost: {host}\r\n\r\n',
  'POST /local/token HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":',
  'POST /local/token HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]',
  'GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: -1\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n',
  'GET / HTTP/9.9\r\nHost: {host}\r\n\r\n',
  upgradeRequest('{host}', '', 'short'),
  upgradeRequest('{host}').replace('/?token=x', 'http://['),
  upgradeRequest('{host}').replace('/?token=x', '/?token=%ZZ'),
  upgradeRequest('evil.example'),
  upgradeRequest('{host}', 'Sec-WebSocket-Protocol: a b, "c"\r\n'),
  upgradeRequest('{host}').replace('GET', 'POST'),
  '\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003',
  '\r\n\r\n\r\n',
];

/** HTTP/2 requests for the Bedrock endpoint (it speaks HTTP/2 only). */
const NASTY_HTTP2: ReadonlyArray<Record<string, string>> = [
  { ':method': 'POST', ':path': '/model/%ZZ/converse' },
  { ':method': 'POST', ':path': '/model/%E2%82/converse-stream' },
  { ':method': 'GET', ':path': '*' },
  { ':method': 'POST', ':path': `/model/${'m'.repeat(20_000)}/converse` },
  { ':method': 'POST', ':path': '/model/x/converse', ':authority': 'evil.example' },
  { ':method': 'BREW', ':path': '/model/x/converse' },
  { ':method': 'POST', ':path': '/model/x/converse', 'content-type': 'application/json' },
];

const portOf = (url: string): number => Number(/:(\d+)/.exec(url.replace(/^\w+:\/\//, ''))?.[1]);

/** Resolves with the status of one HTTP/2 request (0 when the stream or session broke). */
const http2Exchange = (port: number, headers: Record<string, string>, body?: string): Promise<number> =>
  new Promise((resolve) => {
    const session = connectHttp2(`http://127.0.0.1:${port}`);
    const done = (status: number) => {
      clearTimeout(timer);
      session.destroy();
      resolve(status);
    };
    const timer = setTimeout(() => done(0), 5_000);
    session.on('error', () => done(0));
    try {
      const stream = session.request(headers);
      let status = 0;
      stream.on('response', (h) => (status = Number(h[':status'])));
      stream.on('error', () => done(0));
      stream.on('close', () => done(status));
      stream.resume();
      stream.end(body);
    } catch {
      done(0);
    }
  });

describe('the local runtime under malformed requests', () => {
  let runtime: LocalParleyProcess;

  // A test app synthesizes on its first start, on a machine busy with the other suites.
  beforeAll(async () => {
    runtime = await startLocalParley({ app: 'test/integration/fixtures/consumer-app/app.ts#buildConsumerApp', startTimeoutMs: 280_000 });
  }, 300_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it('answers every nasty request on every port and keeps serving, sessions included', async () => {
    const bedrockUrl = runtime.services.find((s) => s.name === 'Bedrock')?.url as string;
    const ports = {
      webSocket: portOf(runtime.wsUrl),
      management: portOf(runtime.httpUrl),
      web: portOf(runtime.webUrl),
      bedrock: portOf(bedrockUrl),
    };
    const client: TestClient = await runtime.connect({ query: 'token=allow-ann' });

    // The ports side by side, each port's requests one after the other.
    await Promise.all(
      Object.values(ports).map(async (port) => {
        for (const request of NASTY_HTTP1) await rawExchange(port, request.replaceAll('{host}', `127.0.0.1:${port}`));
      }),
    );
    const http2Statuses = [];
    for (const headers of NASTY_HTTP2) http2Statuses.push(await http2Exchange(ports.bedrock, headers, '{'));

    const health = await fetch(`${runtime.httpUrl}/health`);
    const config = await fetch(`${runtime.webUrl}/config.json`);
    const model = await http2Exchange(
      ports.bedrock,
      { ':method': 'POST', ':path': '/model/amazon.nova-lite-v1%3A0/converse', 'content-type': 'application/json' },
      JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hello' }] }] }),
    );
    client.send(JSON.stringify({ action: 'echo', push: 'still connected' }));
    await client.waitFor((f) => f['text'] === 'still connected');
    await client.waitFor((f) => f['route'] === 'echo');

    expect([health.status, config.status, model]).toEqual([200, 200, 200]);
    expect(client.raw).toContain('still connected');
    expect(http2Statuses.every((status) => status === 0 || (status >= 400 && status < 500))).toBe(true);
    expect(runtime.events.filter((e) => e.event === 'server-error')).toEqual([]);
    expect(runtime.process.exitCode).toBeNull();
  }, 90_000);
});
