import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FunctionPool, type InvocationReport } from '../../../scripts/local/functions/function-pool';
import type { LocalFunction } from '../../../scripts/local/model';

const dirs: string[] = [];
const pools: FunctionPool[] = [];

const poolWith = (handlerSource: string, onInvocation?: (report: InvocationReport) => void) => {
  const codeDir = mkdtempSync(join(tmpdir(), 'parley-pool-'));
  dirs.push(codeDir);
  writeFileSync(join(codeDir, 'index.mjs'), handlerSource);
  const fn: LocalFunction = {
    key: 'Stack/BusyFunction',
    logicalId: 'BusyFunction',
    stackName: 'Stack',
    functionName: 'busy',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:busy',
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
    ...(onInvocation ? { onInvocation } : {}),
  });
  pools.push(pool);
  return pool;
};

// Spins the CPU for a few milliseconds of its own thread's time, then fails when asked to.
const BUSY = `export const handler = async (event) => {
  const until = process.threadCpuUsage().user + 20000;
  while (process.threadCpuUsage().user < until) {}
  if (event.fail) throw new Error('asked to fail');
  return 'done';
};`;

afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('FunctionPool onInvocation', () => {
  it('reports each invocation with the CPU time its thread spent on it', async () => {
    const reports: InvocationReport[] = [];
    const pool = poolWith(BUSY, (r) => reports.push(r));

    await pool.invoke('Stack/BusyFunction', {});

    expect(reports).toHaveLength(1);
    expect(reports[0]?.functionKey).toBe('Stack/BusyFunction');
    expect(reports[0]?.ok).toBe(true);
    // The handler spins for 20 ms of user CPU on its own thread.
    expect(reports[0]?.cpuMs).toBeGreaterThanOrEqual(20);
  });

  it('reports a failed invocation too', async () => {
    const reports: InvocationReport[] = [];
    const pool = poolWith(BUSY, (r) => reports.push(r));

    await expect(pool.invoke('Stack/BusyFunction', { fail: true })).rejects.toThrow('asked to fail');

    expect(reports.map((r) => r.ok)).toEqual([false]);
    expect(reports[0]?.cpuMs).toBeGreaterThanOrEqual(20);
  });

  it('still runs invocations without the option', async () => {
    const pool = poolWith(BUSY);

    const invocation = await pool.invoke<string>('Stack/BusyFunction', {});

    expect(invocation.result).toBe('done');
  });
});
