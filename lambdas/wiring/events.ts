import { DynamoEventRooms } from '../adapters/dynamodb/event-rooms';
import { EventBusPublisher } from '../adapters/eventbridge/event-bus-publisher';
import { logger, metrics } from '../shared/observability';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3AnalyticsStore } from '../adapters/s3/analytics-store';
import { dynamoDocumentClient, eventBridgeClient, s3Client } from './clients';
import { ENV, EVENTS_ENV, requireEnv } from './env';

/**
 * Domain events' wiring (docs/events.md): the bus publisher and the rooms
 * a batch of events reads, from the variables bindEventBus() and
 * bindRoomsTable() set. Handlers call these once, at cold start.
 */

/** Parley's bus; every event it refuses is logged with why and counted (EventPublishFailed, which alarms). */
export const eventPublisher = () =>
  new EventBusPublisher(eventBridgeClient(), requireEnv(EVENTS_ENV.busName), {
    onRefused: (event, reason) => {
      logger.error('domain event not published', { eventId: event.id, eventType: event.type, reason });
      metrics.addMetric('EventPublishFailed', MetricUnit.Count, 1);
    },
  });

export const eventRooms = () => new DynamoEventRooms(dynamoDocumentClient(), requireEnv(ENV.roomsTable));

/** The sample analytics consumer's bucket. */
export const analyticsBucketName = () => requireEnv(EVENTS_ENV.analyticsBucket);

export const analyticsStore = () => new S3AnalyticsStore(s3Client(), analyticsBucketName());
