import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { parseBusEvent } from '../domain/integrations/webhooks';
import { logger, metrics } from '../shared/observability';
import { sqsJobConsumer } from '../shared/queue-consumer';
import { dispatchWebhookEvent } from '../use-cases/integrations/webhooks/dispatch-webhook-event';
import { dispatchWebhooksDeps } from '../wiring/webhooks';

const deps = dispatchWebhooksDeps();

const dispatchRecord = async (record: SQSRecord): Promise<void> => {
  const event = (() => {
    try {
      return parseBusEvent(record.body);
    } catch (error) {
      // Not a Parley event as the rule delivers it: retried, then dead-lettered, where the alarm tells an operator.
      logger.error('webhook event unreadable', { messageId: record.messageId, error: error as Error });
      throw error;
    }
  })();
  const fields = { roomId: event.roomId, eventId: event.id, eventType: event.type };
  try {
    const jobs = await dispatchWebhookEvent(deps, event);
    if (jobs > 0) metrics.addMetric('WebhookJobsEnqueued', MetricUnit.Count, jobs);
    logger.debug('webhook event dispatched', { ...fields, jobs });
  } catch (error) {
    logger.error('webhook event dispatch failed; it will be retried', { ...fields, error: error as Error });
    throw error;
  }
};

/**
 * The WebhookEvents queue's consumer: each domain event the bus's rule
 * delivers becomes one delivery job per subscribed webhook of its room. An
 * event that fails is reported in the partial batch response, retried, and
 * dead-lettered after its last attempt; a retried event may enqueue its jobs
 * twice, which receivers drop by `webhook-id`.
 */
export const handler = sqsJobConsumer(dispatchRecord);
