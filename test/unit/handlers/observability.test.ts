import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { currentTraceHeader, inTraceSubsegment, traceIdOf, tracer } from '../../../lambdas/shared/observability';

afterEach(() => vi.restoreAllMocks());

describe('the tracing hooks with tracing off', () => {
  // As in the tests and the local runtime, and wherever POWERTOOLS_TRACE_ENABLED=false.
  it('is off here, as outside Lambda', () => {
    expect(tracer.isTracingEnabled()).toBe(false);
  });

  it('leaves an SDK client as it is: no X-Ray middleware, so no work per call', () => {
    const client = new DynamoDBClient({ region: 'eu-west-1' });
    const before = client.middlewareStack.identify();

    const captured = tracer.captureAWSv3Client(client);

    expect(captured).toBe(client);
    expect(client.middlewareStack.identify()).toEqual(before);
    expect(before.join(' ')).not.toMatch(/xray/i);
  });

  it('runs the work of a subsegment without looking up or opening one', async () => {
    const getSegment = vi.spyOn(tracer, 'getSegment');

    const result = await inTraceSubsegment('### work', { messageId: 'M1' }, async () => 42);

    expect(result).toBe(42);
    expect(getSegment).not.toHaveBeenCalled();
  });

  it('passes a failure of the work through unchanged', async () => {
    const failure = new Error('boom');

    await expect(inTraceSubsegment('### work', {}, async () => Promise.reject(failure))).rejects.toBe(failure);
  });

  it('gives no trace header to send downstream', () => {
    expect(currentTraceHeader()).toBeUndefined();
  });
});

describe('traceIdOf', () => {
  it('reads the trace id of an X-Ray trace header', () => {
    expect(traceIdOf('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1')).toBe(
      '1-5759e988-bd862e3fe1be46a994272793',
    );
    expect(traceIdOf('Sampled=0; Root=1-abc-def')).toBe('1-abc-def');
  });

  it('gives nothing for a missing or rootless header', () => {
    expect(traceIdOf(undefined)).toBeUndefined();
    expect(traceIdOf('Parent=53995c3f42cd8ad8;Sampled=1')).toBeUndefined();
  });
});
