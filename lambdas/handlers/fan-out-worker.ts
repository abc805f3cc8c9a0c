import middy from '@middy/core';
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseFanOutJob } from '../domain/fan-out';
import { reportDelivery } from '../shared/delivery-report';
import { inTraceSubsegment, logger, metrics, traceHandler, traceIdOf } from '../shared/observability';
import { deliverFanOutJob, type DeliverFanOutJobDeps } from '../use-cases/delivery/deliver-fan-out-job';
import { connectionGateway, connectionRepository } from '../wiring/chat';
import { fanOutQueue } from '../wiring/fan-out';

const deps: DeliverFanOutJobDeps = {
  connections: connectionRepository(),
  gateway: connectionGateway(),
  queue: fanOutQueue(),
};
const processor = new SqsFifoPartialProcessorAsync();

const deliverRecord = async (record: SQSRecord): Promise<void> => {
  const job = (() => {
    try {
      return parseFanOutJob(record.body);
    } catch (error) {
      // Not a job Parley wrote: retried, then dead-lettered, where the alarm tells an operator.
      logger.error('fan-out job unreadable', { messageId: record.messageId, error: error as Error });
      throw error;
    }
  })();
  // Lambda links this invocation's trace to the send's through the job's
  // AWSTraceHeader; the annotations find both by the message delivered.
  const sendTraceId = traceIdOf(record.attributes.AWSTraceHeader);
  await inTraceSubsegment(
    '### deliver fan-out job',
    { messageId: job.messageId, roomId: job.roomId, ...(sendTraceId !== undefined ? { sendTraceId } : {}) },
    async () => {
      const fields = { roomId: job.roomId, messageId: job.messageId, group: job.group, shard: job.shard, attempt: job.attempt };
      try {
        const { report, retried, abandoned } = await deliverFanOutJob(deps, job);
        metrics.addMetric('MessageDeliveries', MetricUnit.Count, report.delivered);
        metrics.addMetric('StaleConnectionsRemoved', MetricUnit.Count, report.gone);
        if (retried > 0) metrics.addMetric('FanOutPostsRetried', MetricUnit.Count, retried);
        reportDelivery(report, { ...fields, retried, abandoned });
      } catch (error) {
        // Only the retry's enqueue throws: the whole job comes back (see deliverFanOutJob).
        logger.error('fan-out job failed; it will be retried', { ...fields, error: error as Error });
        throw error;
      }
    },
  );
};

/**
 * Delivers sharded messages from the FIFO fan-out queue: each job posts one
 * frame to its connections, and the connections whose post may succeed later
 * go back on the queue as a new job. Jobs of one group are delivered in
 * order; when one fails, the group's later jobs in the batch fail with it
 * and the other groups go on (`skipGroupOnError`), reported in the partial
 * batch response.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event, context) =>
    processPartialResponse(event, deliverRecord, processor, {
      context,
      skipGroupOnError: true,
      throwOnFullBatchFailure: false,
    }),
  );
