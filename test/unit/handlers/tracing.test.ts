import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { LazyTracer, loadTracer, tracingWanted } from '../../../lambdas/shared/tracing';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * What a fresh process that loads Parley's observability module has: the
 * X-Ray SDK's CLS namespaces (its async hook comes with them) and whether
 * tracing is on. A child process, so nothing else loaded here can blur it.
 */
function observabilityIn(env: Record<string, string>): { namespaces: string[]; tracing: boolean } {
  const script = `
    const { tracer } = await import(${JSON.stringify(resolve(ROOT, 'lambdas/shared/observability.ts'))});
    const namespaces = Object.entries(process.namespaces ?? {}).filter(([, n]) => n).map(([name]) => name);
    console.log(JSON.stringify({ namespaces, tracing: tracer.isTracingEnabled() }));`;
  const { AWS_EXECUTION_ENV: _, POWERTOOLS_TRACE_ENABLED: __, ...inherited } = process.env;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...inherited, AWS_REGION: 'eu-west-1', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}

describe('tracingWanted', () => {
  it('is on in a Lambda execution environment', () => {
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' })).toBe(true);
  });

  it('is off outside Lambda, when turned off, and in SAM or Amplify mocks', () => {
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'FALSE' })).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_SAM_LOCAL: 'true' })).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' })).toBe(false);
  });
});

describe('the tracer with tracing off', () => {
  it('is a stand-in that leaves SDK clients as they are and has no segment', async () => {
    const tracer = await loadTracer(false);
    const client = new DynamoDBClient({ region: 'eu-west-1' });

    expect(tracer).toBeInstanceOf(LazyTracer);
    expect(tracer.isTracingEnabled()).toBe(false);
    expect(tracer.captureAWSv3Client(client)).toBe(client);
    expect(tracer.getSegment()).toBeUndefined();
    expect(tracer.getRootXrayTraceId()).toBeUndefined();
  });

  it('never loads the X-Ray SDK, so no async hook follows the process', () => {
    expect(observabilityIn({ POWERTOOLS_TRACE_ENABLED: 'false' })).toEqual({ namespaces: [], tracing: false });
  });

  it('loads it, and traces, in Lambda with tracing on', () => {
    expect(observabilityIn({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'true' })).toEqual({
      namespaces: ['AWSXRay'],
      tracing: true,
    });
  });
});
