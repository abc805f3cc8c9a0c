import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Bucket, IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../lambdas/domain/events/domain-events';
import { ANALYTICS_EVENTS_PREFIX } from '../../lambdas/domain/events/analytics';
import { consumedQueue } from './consumed-queue';
import { FailureQueue } from './failure-queue';
import { privateBucket } from './private-bucket';

/** The archiving function's timeout: a batch of a few thousand events is gzipped and written well within it. */
export const ANALYTICS_ARCHIVE_TIMEOUT = Duration.seconds(60);

/** Deliveries of a batch before its messages are dead-lettered. */
export const ANALYTICS_MAX_RECEIVE_COUNT = 5;

export interface AnalyticsEventsProps {
  readonly removalPolicy: RemovalPolicy;
  readonly eventBus: IEventBus;
  /** The content key: events carry ids and, for rooms that opt in, message text. */
  readonly encryptionKey: IKey;
  /** Where access logs go (the archive's log bucket). */
  readonly accessLogs: IBucket;
  /** Objects are removed this many days after they are written. */
  readonly expireAfterDays: number;
  readonly alarmTopic: ITopic;
}

/**
 * The sample analytics consumer's storage (docs/events.md): a rule on the
 * bus sends every Parley event to a queue, which the ArchiveEvents function
 * drains into the bucket as gzip JSON Lines under `events/date=YYYY-MM-DD/`
 * for Athena. The bucket is KMS-encrypted with the content key, private,
 * TLS only, and expires objects; the queue's dead-letter queue alarms as
 * soon as anything lands there.
 */
export class AnalyticsEvents extends Construct {
  readonly bucket: Bucket;
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: AnalyticsEventsProps) {
    super(scope, id);
    this.bucket = privateBucket(this, 'Bucket', {
      removalPolicy: props.removalPolicy,
      encryptionKey: props.encryptionKey,
      accessLogs: props.accessLogs,
      accessLogsPrefix: 'analytics-events/',
      lifecycleRules: [
        {
          id: 'expire-events',
          prefix: ANALYTICS_EVENTS_PREFIX,
          expiration: Duration.days(props.expireAfterDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    this.deadLetters = new FailureQueue(this, 'DeadLetters', {
      removalPolicy: props.removalPolicy,
      purpose: 'domain events the analytics consumer could not write to its bucket after its retries',
      alarmTopic: props.alarmTopic,
    }).queue;
    this.queue = consumedQueue(this, 'Queue', {
      removalPolicy: props.removalPolicy,
      // SQS's guidance for a Lambda-consumed queue: six times the function's timeout.
      visibilityTimeout: Duration.seconds(ANALYTICS_ARCHIVE_TIMEOUT.toSeconds() * 6),
      deadLetters: this.deadLetters,
      maxReceiveCount: ANALYTICS_MAX_RECEIVE_COUNT,
    });
    this.rule = new Rule(this, 'EveryEvent', {
      eventBus: props.eventBus,
      description: 'Every Parley domain event, to the analytics consumer',
      eventPattern: { source: [EVENT_SOURCE] },
      // Events the bus cannot hand to the queue wait in the same dead-letter queue.
      targets: [new SqsQueue(this.queue, { deadLetterQueue: this.deadLetters })],
    });
  }
}
