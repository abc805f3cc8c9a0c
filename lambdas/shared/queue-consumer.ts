import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics, traceHandler } from './observability';

/**
 * The edge of every SQS job consumer: tracing, the logger's Lambda context
 * (reset per invocation), metrics flushed at the end, and the batch handed
 * to `processRecord` one record at a time. A record whose processing throws
 * is reported in the partial batch response, so SQS retries that job alone
 * (and dead-letters it after the queue's maxReceiveCount); a batch whose
 * every record failed is reported the same way rather than failing the
 * invocation, so the failure shows once, as the job's own log line and
 * metric, not also as a function error. `processRecord` logs its reason and
 * counts its metric before it throws.
 *
 * @example
 * export const handler = sqsJobConsumer(async (record) => runJob(parseJob(record.body)));
 */
export function sqsJobConsumer(processRecord: (record: SQSRecord, context: Context) => Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  return middy<SQSEvent, SQSBatchResponse>()
    .use(traceHandler())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event, context) =>
      processPartialResponse(event, (record: SQSRecord) => processRecord(record, context), processor, {
        context,
        throwOnFullBatchFailure: false,
      }),
    );
}
