import { Duration } from 'aws-cdk-lib';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { AUDIT_ENTITY } from '../lambdas/adapters/dynamodb/audit-schema';
import { ANALYTICS_ARCHIVE_TIMEOUT } from './constructs/analytics-events';
import { notifyingAlarm } from './constructs/alarm-topic';
import { DEFAULT_SERVICE_NAME, METRICS_NAMESPACE } from './constructs/parley-function';
import { StreamConsumer } from './constructs/stream-consumer';
import type { FunctionSpec } from './function-spec';
import { MESSAGE_ITEM, moderationStates } from './message-stream-filters';

/**
 * The audit entries the publisher receives: every new one (the mapping in
 * lambdas/domain/events/from-audit.ts keeps those that are events).
 */
export const EVENTS_AUDIT_STREAM_FILTERS: ReadonlyArray<Record<string, unknown>> = [
  { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: [AUDIT_ENTITY] } } } },
];

/**
 * The messages the publisher receives, and nothing else: a message inserted
 * in a final state (a person's, moderated at send), and an agent's reply
 * leaving `pending` (the rule `postedBy` applies in
 * lambdas/domain/events/from-message.ts). Edits, hides and removals never
 * invoke it.
 */
export const EVENTS_MESSAGE_STREAM_FILTERS: ReadonlyArray<Record<string, unknown>> = [
  {
    eventName: ['INSERT'],
    dynamodb: { NewImage: { ...MESSAGE_ITEM, moderation: moderationStates('allowed', 'redacted', 'quarantined', 'blocked') } },
  },
  {
    eventName: ['MODIFY'],
    dynamodb: {
      OldImage: { ...MESSAGE_ITEM, moderation: moderationStates('pending') },
      NewImage: { moderation: moderationStates('allowed', 'redacted', 'quarantined', 'blocked') },
    },
  },
];

/** Events one publisher invocation takes from a stream: ten PutEvents calls at most. */
export const EVENTS_BATCH_SIZE = 100;

/** Bus events one ArchiveEvents invocation takes: many, gathered for 20 seconds, so a quiet deployment writes few objects. */
export const ANALYTICS_BATCH_SIZE = 1000;
export const ANALYTICS_BATCHING_WINDOW = Duration.seconds(20);

/**
 * Domain events (docs/events.md): the publisher on the audit and messages
 * streams, and the sample analytics consumer that lands every event in S3.
 */
export const EVENT_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'PublishEvents',
    handlerFile: 'publish-events',
    description: 'Publishes domain events on the event bus from new audit entries and posted messages',
    routes: [],
    timeout: Duration.seconds(30),
    bind: (fn, { data }) => {
      // BatchGetItem: the rooms of a batch (whether they share message text; a new room's name).
      fn.bindRoomsTable(data.roomsTable, { actions: ['BatchGetItem'] });
      fn.bindEventBus(data.eventBus);
      const common = {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: EVENTS_BATCH_SIZE,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(6),
        onFailure: { queue: data.streamFailures.events },
      } as const;
      new StreamConsumer(fn, 'AuditStream', { ...common, table: data.auditTable, filters: EVENTS_AUDIT_STREAM_FILTERS });
      new StreamConsumer(fn, 'MessagesStream', { ...common, table: data.messagesTable, filters: EVENTS_MESSAGE_STREAM_FILTERS });
      notifyingAlarm(fn, 'PublishFailures', {
        metric: new Metric({
          namespace: METRICS_NAMESPACE,
          metricName: 'EventPublishFailed',
          dimensionsMap: { service: DEFAULT_SERVICE_NAME },
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
        threshold: 1,
        description: 'The event bus refused domain events after retries; their stream records are being retried.',
        topic: data.alarmTopic,
      });
    },
  },
  {
    id: 'ArchiveEvents',
    handlerFile: 'archive-events',
    description: 'Sample analytics consumer: writes every domain event to S3 as gzip JSON Lines by date, for Athena',
    routes: [],
    timeout: ANALYTICS_ARCHIVE_TIMEOUT,
    bind: (fn, { data }) => {
      fn.bindAnalyticsEvents(data.analyticsEvents.bucket);
      fn.function.addEventSource(
        new SqsEventSource(data.analyticsEvents.queue, {
          batchSize: ANALYTICS_BATCH_SIZE,
          maxBatchingWindow: ANALYTICS_BATCHING_WINDOW,
        }),
      );
    },
  },
];
