import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSEvent } from 'aws-lambda';
import { analyticsObjects, type BusEvent } from '../domain/events/analytics';
import { logger, traceHandler } from '../shared/observability';
import { analyticsStore } from '../wiring/events';

const store = analyticsStore();

/**
 * The sample analytics consumer (docs/events.md): every Parley event, from
 * the queue a rule on the bus fills, written as gzip JSON Lines under
 * `events/date=YYYY-MM-DD/`, one object per date of the batch, keyed by the
 * batch's first message id. The batch is the unit of work: a failure fails
 * it whole, SQS delivers it again (its objects are overwritten, not
 * duplicated) and, after its retries, dead-letters it.
 */
export const handler = middy<SQSEvent, void>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const first = event.Records[0];
    if (first === undefined) return;
    const events = event.Records.map((record) => {
      try {
        return JSON.parse(record.body) as BusEvent;
      } catch (error) {
        logger.error('queued event unreadable', { messageId: record.messageId, error: error as Error });
        throw error;
      }
    });
    const objects = analyticsObjects(first.messageId, events);
    await Promise.all(objects.map(({ key, lines }) => store.put(key, lines)));
    logger.info('events archived', { events: events.length, keys: objects.map(({ key }) => key) });
  });
