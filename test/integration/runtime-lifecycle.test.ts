import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalParley } from '../support/local-parley';

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

  it('explains a port in use in one line and exits', async () => {
    blocker = createServer();
    const port = await new Promise<number>((r) =>
      blocker?.listen(0, '127.0.0.1', () => r((blocker?.address() as { port: number }).port)),
    );

    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/local/main.ts', '--in-memory', '--app', FIXTURE_APP], {
      cwd: REPO_ROOT,
      env: { ...process.env, PARLEY_WS_PORT: String(port), PARLEY_HTTP_PORT: '0', PARLEY_DYNAMODB_PORT: '0', PARLEY_SQS_PORT: '0' },
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
