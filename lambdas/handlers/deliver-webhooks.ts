import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { ParleyError } from '../domain/errors';
import { parseDeliveryJob } from '../domain/integrations/webhooks';
import { logger, metrics } from '../shared/observability';
import { sqsJobConsumer } from '../shared/queue-consumer';
import { deliverWebhook } from '../use-cases/integrations/webhooks/deliver-webhook';
import { deliverWebhooksDeps } from '../wiring/webhooks';

const deps = deliverWebhooksDeps();

const deliverRecord = async (record: SQSRecord): Promise<void> => {
  const job = (() => {
    try {
      return parseDeliveryJob(record.body);
    } catch (error) {
      logger.error('webhook delivery job unreadable', { messageId: record.messageId, error: error as Error });
      throw error;
    }
  })();
  const attempt = Math.max(1, Number(record.attributes.ApproximateReceiveCount) || 1);
  const fields = { roomId: job.roomId, webhookId: job.webhookId, eventId: job.event.id, eventType: job.event.type, attempt };
  const result = await (async () => {
    try {
      return await deliverWebhook(deps, job, attempt);
    } catch (error) {
      // The webhook or the log could not be read or written: the job comes back after the visibility timeout.
      logger.error('webhook delivery could not run; it will be retried', { ...fields, error: error as Error });
      throw error;
    }
  })();
  switch (result.outcome) {
    case 'dropped':
      logger.info('webhook delivery dropped', { ...fields, reason: result.reason });
      return;
    case 'delivered':
      metrics.addMetric('WebhookDelivered', MetricUnit.Count, 1);
      metrics.addMetric('WebhookDeliveryDuration', MetricUnit.Milliseconds, result.attempt.durationMs);
      // From the event to its receiver's 2xx, retries included.
      metrics.addMetric('WebhookDeliveryLatency', MetricUnit.Milliseconds, Math.max(0, Date.now() - Date.parse(job.event.occurredAt)));
      logger.info('webhook delivered', { ...fields, statusCode: result.attempt.statusCode, durationMs: result.attempt.durationMs });
      return;
    case 'disabled':
      logger.warn('webhook disabled: its receiver answered 410 Gone', fields);
      return;
    case 'retry': {
      metrics.addMetric('WebhookFailed', MetricUnit.Count, 1);
      const { statusCode, errorClass } = result.attempt;
      logger.warn('webhook delivery failed; it will be retried', { ...fields, statusCode, errorClass, delaySeconds: result.delaySeconds });
      // The job comes back after its backoff rather than the queue's visibility timeout.
      await deps.queue.retryAfter(record.receiptHandle, result.delaySeconds);
      throw new ParleyError(`Webhook delivery attempt ${attempt} failed (${statusCode ?? errorClass}).`);
    }
    case 'deadLettered': {
      metrics.addMetric('WebhookFailed', MetricUnit.Count, 1);
      metrics.addMetric('WebhookDeadLettered', MetricUnit.Count, 1);
      const { statusCode, errorClass } = result.attempt;
      logger.error('webhook delivery failed for good; it goes to the dead-letter queue', { ...fields, statusCode, errorClass });
      // Visible at once, so SQS moves it to the dead-letter queue on its next receive.
      await deps.queue.retryAfter(record.receiptHandle, 0);
      throw new ParleyError(`Webhook delivery failed after ${attempt} attempts (${statusCode ?? errorClass}).`);
    }
  }
};

/**
 * The WebhookDeliveries queue's consumer: one signed POST per job (see
 * deliverWebhook). A failed attempt is made visible again after its backoff
 * and reported in the partial batch response; after the queue's
 * maxReceiveCount (MAX_DELIVERY_ATTEMPTS) SQS moves it to the dead-letter
 * queue, whose alarm tells an operator.
 */
export const handler = sqsJobConsumer(deliverRecord);
