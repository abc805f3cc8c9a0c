import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * The one place Parley's functions get their logger, metrics and tracer.
 * Service name, namespace and log level come from the POWERTOOLS_* and
 * LOG_LEVEL variables the function construct sets. Log fixed messages with
 * structured fields; never message bodies, prompts or tokens.
 */
export const logger = new Logger();
export const metrics = new Metrics();
export const tracer = new Tracer();
