import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { loadTracer } from './tracing';

/**
 * The one place Parley's functions get their logger, metrics and tracer.
 * Service name, namespace and log level come from the POWERTOOLS_* and
 * LOG_LEVEL variables the function construct sets. Log fixed messages with
 * structured fields; never message bodies, prompts or tokens.
 */
export const logger = new Logger();
export const metrics = new Metrics();
/** Powertools' Tracer where tracing is on; a stand-in that never loads the X-Ray SDK where it is off (tracing.ts). */
export const tracer = await loadTracer();

/** The handler middleware that opens each invocation's `## handler` subsegment; does nothing with tracing off. */
export const traceHandler = () =>
  // The stand-in has every method the middleware calls.
  captureLambdaHandler(tracer as unknown as Tracer, { captureResponse: false });

/** Values an X-Ray annotation may hold: ids and facts, never message text. */
export type TraceAnnotations = Readonly<Record<string, string | number | boolean>>;

/**
 * Runs `work` in its own X-Ray subsegment, annotated so that the trace can
 * be found by annotation search (`annotation.messageId = "…"`). With tracing
 * off (POWERTOOLS_TRACE_ENABLED=false, tests, the local runtime) it only
 * calls `work`: no segment is looked up and nothing is allocated.
 */
export function inTraceSubsegment<T>(name: string, annotations: TraceAnnotations, work: () => Promise<T>): Promise<T> {
  // Not async itself: with tracing off, the work's own promise is returned, with no extra one around it.
  if (!tracer.isTracingEnabled()) return work();
  return inNewSubsegment(name, annotations, work);
}

async function inNewSubsegment<T>(name: string, annotations: TraceAnnotations, work: () => Promise<T>): Promise<T> {
  const parent = tracer.getSegment();
  if (parent === undefined) return work();
  const subsegment = parent.addNewSubsegment(name);
  for (const [key, value] of Object.entries(annotations)) subsegment.addAnnotation(key, value);
  tracer.setSegment(subsegment);
  try {
    return await work();
  } catch (error) {
    subsegment.addError(error as Error);
    throw error;
  } finally {
    subsegment.close();
    tracer.setSegment(parent);
  }
}

/**
 * The X-Ray trace header of the current (sub)segment, for a message a
 * downstream function will handle (SQS's `AWSTraceHeader` system
 * attribute): Lambda links the consumer's trace to it. Undefined when
 * tracing is off or there is no current segment.
 */
export function currentTraceHeader(): string | undefined {
  if (!tracer.isTracingEnabled()) return undefined;
  const root = tracer.getRootXrayTraceId();
  const segment = tracer.getSegment();
  if (root === undefined || segment === undefined) return undefined;
  return `Root=${root};Parent=${segment.id};Sampled=${tracer.isTraceSampled() ? 1 : 0}`;
}

/** The trace id (`Root=`) of an X-Ray trace header, e.g. an SQS message's `AWSTraceHeader`. */
export function traceIdOf(header: string | undefined): string | undefined {
  return header
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('Root='))
    ?.slice('Root='.length);
}
