import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FunctionPool } from '../../../scripts/local/functions/function-pool';
import type { FastPathRequest } from '../../../scripts/local/functions/management-fast-path';
import type { LocalFunction } from '../../../scripts/local/model';

const dirs: string[] = [];
const pools: FunctionPool[] = [];
// Nothing listens here: only the fast path can answer.
const origin = { hostname: '127.0.0.1', port: 39_998 };

// Posts with Node's http.request, the way the SDK's HTTP handler does, and returns what it got.
const POSTER = `import http from 'node:http';
export const handler = async (event) => new Promise((resolve, reject) => {
  const req = http.request({ hostname: '127.0.0.1', port: ${origin.port}, method: 'POST', path: event.path }, (res) => {
    let body = '';
    res.on('data', (c) => (body += c));
    res.on('end', () => resolve({ status: res.statusCode, type: res.headers['x-amzn-errortype'] ?? null, body }));
  });
  req.on('error', (e) => resolve({ error: e.code ?? e.message }));
  req.end(event.body);
});`;

const poolAnswering = (answer: (request: FastPathRequest) => { status: number; headers: Record<string, string>; body: string }) => {
  const codeDir = mkdtempSync(join(tmpdir(), 'parley-pool-'));
  dirs.push(codeDir);
  writeFileSync(join(codeDir, 'index.mjs'), POSTER);
  const fn: LocalFunction = {
    key: 'Stack/PosterFunction',
    logicalId: 'PosterFunction',
    stackName: 'Stack',
    functionName: 'poster',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:poster',
    codeDir,
    handler: 'index.handler',
    timeoutSeconds: 30,
    memoryMb: 128,
    environment: {},
    rawEnvironment: {},
  };
  const pool = new FunctionPool(new Map([[fn.key, fn]]), {
    maxInstancesPerFunction: 1,
    baseEnvironment: {},
    managementFastPath: { origin, call: answer },
  });
  pools.push(pool);
  return pool;
};

afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('FunctionPool managementFastPath', () => {
  it("answers a function's post to a connection from the main thread, without a socket", async () => {
    const seen: FastPathRequest[] = [];
    const pool = poolAnswering((request) => {
      seen.push(request);
      return { status: 410, headers: { 'x-amzn-errortype': 'GoneException' }, body: '{"message":null}' };
    });

    const invocation = await pool.invoke('Stack/PosterFunction', { path: '/local/@connections/abc', body: 'hello' });

    expect(seen).toEqual([{ method: 'POST', rawPath: '/local/@connections/abc', body: 'hello' }]);
    expect(invocation.result).toEqual({ status: 410, type: 'GoneException', body: '{"message":null}' });
  });

  it('leaves other paths on the same address to HTTP', async () => {
    const pool = poolAnswering(() => ({ status: 200, headers: {}, body: '' }));

    const invocation = await pool.invoke('Stack/PosterFunction', { path: '/health', body: '' });

    expect(invocation.result).toEqual({ error: 'ECONNREFUSED' });
  });
});
