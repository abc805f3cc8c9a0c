import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { toAuditRecord } from '../adapters/dynamodb/audit-log';
import { AUDIT_ENTITY } from '../adapters/dynamodb/audit-schema';
import { messageRecordOf } from '../adapters/dynamodb/message-items';
import { postedBy } from '../domain/events/from-message';
import { logger, metrics, traceHandler } from '../shared/observability';
import { publishEvents, type EventSourceRecord, type PublishEventsDeps } from '../use-cases/events/publish-events';
import { eventPublisher, eventRooms } from '../wiring/events';

const deps: PublishEventsDeps = { publisher: eventPublisher(), rooms: eventRooms() };

/** The record as an event's source: an audit entry, a posted message, or nothing to publish. */
function sourceOf(record: DynamoDBRecord, key: string): EventSourceRecord | undefined {
  const image = record.dynamodb?.NewImage;
  if (image !== undefined && image['entity']?.S === AUDIT_ENTITY) {
    return { key, audit: toAuditRecord(unmarshall(image as Parameters<typeof unmarshall>[0])) };
  }
  const posted = postedBy(messageRecordOf(record));
  return posted === undefined ? undefined : { key, posted };
}

/**
 * Publishes Parley's domain events (docs/events.md) from the records it
 * already keeps: new audit entries (rooms, members, agents' replies,
 * moderation decisions) and posted messages, from the two tables' streams.
 * A batch goes to the bus ten events per call; a record that cannot be read,
 * or whose event the bus refused after retries, is reported (partial batch
 * response) and retried, then sent to the failure queue.
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const unreadable: string[] = [];
    const sources: EventSourceRecord[] = [];
    for (const record of event.Records) {
      const key = record.dynamodb?.SequenceNumber ?? '';
      try {
        const source = sourceOf(record, key);
        if (source !== undefined) sources.push(source);
      } catch (error) {
        logger.error('stream record unreadable; it will be retried', { key, eventSourceARN: record.eventSourceARN, error: error as Error });
        unreadable.push(key);
      }
    }
    const { published, failedKeys } = await publishEvents(deps, sources);
    if (published.length > 0) metrics.addMetric('EventsPublished', MetricUnit.Count, published.length);
    const failures = [...unreadable, ...failedKeys];
    logger.info('domain events published', { records: event.Records.length, events: published.length, failures: failures.length });
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  });
