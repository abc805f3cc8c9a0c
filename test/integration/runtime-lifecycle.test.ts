import { spawn } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalParley, TestClient } from '../support/local-parley';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE_APP = 'test/integration/fixtures/consumer-app/app.ts#buildConsumerApp';

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Whether a TCP connection to host:port is accepted. */
const accepts = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    const settle = (accepted: boolean) => {
      socket.destroy();
      resolve(accepted);
    };
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
    socket.once('timeout', () => settle(false));
  });

/** This machine's first address that is not loopback, if it has one. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

describe('the local runtime process', () => {
  let blocker: Server | undefined;

  afterEach(async () => {
    await new Promise<void>((r) => (blocker ? blocker.close(() => r()) : r()));
    blocker = undefined;
  });

  it('stops DynamoDB Local and exits cleanly on SIGTERM', async () => {
    const runtime = await startLocalParley({ app: FIXTURE_APP });
    expect(isRunning(runtime.dynamoDbPid)).toBe(true);

    const exit = await runtime.stop();

    expect(exit).toEqual({ code: 0, signal: null });
    expect(isRunning(runtime.dynamoDbPid)).toBe(false);
  });

  it('on Ctrl-C, runs $disconnect for every open connection before the engines stop, logging no error', async () => {
    // Parley's own app, whose $disconnect writes to DynamoDB; its own process
    // group, so the signal reaches it the way a terminal's Ctrl-C does.
    const runtime = await startLocalParley({ detached: true });
    const tokens = await Promise.all(['ann', 'bob', 'cy'].map((name) => runtime.token(name)));
    // Opened here rather than through the runtime, so the stop finds them still open.
    const clients = await Promise.all(tokens.map((token) => TestClient.open(`${runtime.wsUrl}?token=${token}`)));
    await runtime.waitForEvent(() => runtime.events.filter((e) => e['route'] === '$connect').length === 3);

    const exit = await runtime.stop({ signal: 'SIGINT' });
    const closes = await Promise.all(clients.map((client) => client.closed));

    expect(exit).toEqual({ code: 0, signal: null });
    expect(closes.map((c) => c.code)).toEqual([1001, 1001, 1001]);
    const disconnects = runtime.events.filter((e) => e['route'] === '$disconnect');
    expect(disconnects.map((e) => e['status'])).toEqual([200, 200, 200]);
    expect(runtime.events.filter((e) => e['error'] !== undefined || e.event === 'server-error')).toEqual([]);
    expect(runtime.stderr()).not.toMatch(/error|refused/i);
    expect(isRunning(runtime.dynamoDbPid)).toBe(false);
  }, 150_000);

  it.runIf(outsideAddress)('listens on 127.0.0.1 only, DynamoDB Local included', async () => {
    const runtime = await startLocalParley({ app: FIXTURE_APP });
    const ports = [runtime.wsUrl, runtime.managementUrl, runtime.dynamoDbEndpoint, runtime.sqsEndpoint].map((url) =>
      Number(new URL(url).port),
    );

    const fromLoopback = await Promise.all(ports.map((port) => accepts('127.0.0.1', port)));
    const fromOutside = await Promise.all(ports.map((port) => accepts(outsideAddress as string, port)));
    await runtime.stop();

    expect(fromLoopback).toEqual([true, true, true, true]);
    expect(fromOutside).toEqual([false, false, false, false]);
  });

  it('explains a port in use in one line and exits', async () => {
    blocker = createServer();
    const port = await new Promise<number>((r) =>
      blocker?.listen(0, '127.0.0.1', () => r((blocker?.address() as { port: number }).port)),
    );

    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/local/main.ts', '--in-memory', '--app', FIXTURE_APP], {
      cwd: REPO_ROOT,
      env: { ...process.env, PARLEY_WS_PORT: String(port), PARLEY_HTTP_PORT: '0', PARLEY_API_PORT: '0', PARLEY_DYNAMODB_PORT: '0', PARLEY_SQS_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));

    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `Port ${port} (WebSocket API) is already in use. Stop what holds it, or choose another port: PARLEY_WS_PORT=${port + 100} npm start`,
    ]);
  });
});
