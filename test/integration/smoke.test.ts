import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/smoke/main';
import { type LocalParleyProcess, startLocalParley } from '../support/local-parley';

/**
 * The post-deploy smoke test (`npm run smoke`), run against the local
 * runtime on every test run so that it keeps working as Parley changes.
 */
describe('npm run smoke', { timeout: 120_000 }, () => {
  let parley: LocalParleyProcess;

  beforeAll(async () => {
    parley = await startLocalParley();
  });

  afterAll(async () => {
    await parley?.stop();
  });

  const run = async (args: string[]) => {
    const output: string[] = [];
    const outcome = await main(args, { write: (text) => output.push(text) });
    return { ...outcome, output: output.join('') };
  };

  it('passes every step against the local runtime and cleans up after itself', async () => {
    const { exitCode, report, output } = await run(['--local', '--url', parley.wsUrl, '--data', parley.dataDir]);

    expect(report?.failure, output).toBeUndefined();
    expect(exitCode).toBe(0);
    expect(report?.steps.map((step) => [step.name, step.ok])).toEqual(
      [
        'create users',
        'connect first user',
        'connect second user',
        'create room',
        'shorten retention',
        'second user joins',
        'message delivered',
        'history',
        'add agent',
        'agent reply',
        'redaction',
      ].map((name) => [name, true]),
    );
    expect(report?.steps.find((step) => step.name === 'agent reply')?.detail).toMatch(/^streamed in \d+ part/);
    expect(report?.steps.find((step) => step.name === 'redaction')?.detail).toContain('[email]');
    expect(report?.cleanup.map((step) => [step.name, step.ok])).toEqual([
      ['remove agent', true],
      ['second user leaves', true],
      ['delete room', true],
      ['disconnect', true],
      ['delete user', true],
      ['delete user', true],
    ]);
    expect(report?.leftBehind.join('\n')).toContain("the deleted room's tombstone");
    expect(output).toMatch(/ok {2}\s*agent reply\s+\d+ ms/);
    expect(output).toContain('PASSED: 11 steps');
  });

  it('stops at the first failure with a clear message and exit code 1', async () => {
    // Tokens signed by another identity provider's key: the authorizer refuses them.
    const strangerData = mkdtempSync(join(tmpdir(), 'parley-smoke-stranger-'));
    try {
      const { exitCode, report, output } = await run(['--local', '--url', parley.wsUrl, '--data', strangerData]);

      expect(exitCode).toBe(1);
      expect(report?.steps.map((step) => [step.name, step.ok])).toEqual([
        ['create users', true],
        ['connect first user', false],
      ]);
      expect(report?.failure?.detail).toMatch(/refused with HTTP 403/);
      expect(output).toContain('FAILED at "connect first user"');
      expect(report?.leftBehind).toEqual([]);
    } finally {
      rmSync(strangerData, { recursive: true, force: true });
    }
  });

  it('refuses to run without exactly one target', async () => {
    const { exitCode, output } = await run([]);

    expect(exitCode).toBe(2);
    expect(output).toContain('Name one target');
  });
});
