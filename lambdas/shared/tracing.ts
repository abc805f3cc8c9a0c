import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Whether this process traces, by Powertools' own rule: inside a Lambda
 * execution environment (not SAM's or Amplify's mocks), unless
 * POWERTOOLS_TRACE_ENABLED is `false`. Off in tests and the local runtime.
 */
export function tracingWanted(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const executionEnv = env['AWS_EXECUTION_ENV'] ?? '';
  return (
    (env['POWERTOOLS_TRACE_ENABLED'] ?? '').toLowerCase() !== 'false' &&
    executionEnv !== '' &&
    executionEnv !== 'AWS_Lambda_amplify-mock' &&
    (env['AWS_SAM_LOCAL'] ?? '') === ''
  );
}

type Segment = ReturnType<Tracer['getSegment']>;

/**
 * Parley's tracer: Powertools' Tracer where tracing is on, and where it is
 * off, a stand-in that does nothing and never loads it. Loading the Tracer
 * loads the X-Ray SDK, which switches on an async hook (cls-hooked) that
 * follows every promise of the process from then on, traced or not: a fifth
 * of `sendMessage`'s CPU in the local runtime, spent for nothing. Only the
 * methods Parley and Powertools' handler middleware call are here.
 */
export class LazyTracer {
  constructor(private readonly real: Tracer | undefined) {}

  isTracingEnabled(): boolean {
    return this.real?.isTracingEnabled() ?? false;
  }

  /** The client captured (each call a subsegment) where tracing is on; the same client otherwise. */
  captureAWSv3Client<T>(client: T): T {
    return this.real ? this.real.captureAWSv3Client(client) : client;
  }

  getSegment(): Segment {
    return this.real?.getSegment();
  }

  setSegment(segment: NonNullable<Segment>): void {
    this.real?.setSegment(segment);
  }

  getRootXrayTraceId(): string | undefined {
    return this.real?.getRootXrayTraceId();
  }

  isTraceSampled(): boolean {
    return this.real?.isTraceSampled() ?? false;
  }

  putAnnotation(key: string, value: string | number | boolean): void {
    this.real?.putAnnotation(key, value);
  }

  putMetadata(key: string, value: unknown, namespace?: string): void {
    this.real?.putMetadata(key, value, namespace);
  }

  annotateColdStart(): void {
    this.real?.annotateColdStart();
  }

  addServiceNameAnnotation(): void {
    this.real?.addServiceNameAnnotation();
  }

  addResponseAsMetadata(data?: unknown, methodName?: string): void {
    this.real?.addResponseAsMetadata(data, methodName);
  }

  addErrorAsMetadata(error: Error, remove?: boolean): void {
    this.real?.addErrorAsMetadata(error, remove);
  }
}

/** Loads Powertools' Tracer only when `wanted`: see LazyTracer. */
export async function loadTracer(wanted: boolean = tracingWanted()): Promise<LazyTracer> {
  if (!wanted) return new LazyTracer(undefined);
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  return new LazyTracer(new Tracer());
}
