import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm } from './alarm-topic';

/** The fan-out worker's timeout: a shard of a few hundred posts takes well under a second. */
export const FAN_OUT_WORKER_TIMEOUT = Duration.seconds(30);

/** SQS's guidance for a Lambda-consumed queue: a visibility timeout of six times the function's timeout. */
export const FAN_OUT_VISIBILITY_TIMEOUT = Duration.seconds(FAN_OUT_WORKER_TIMEOUT.toSeconds() * 6);

/** Deliveries of a job before SQS moves it to the dead-letter queue (its enqueue of a retry kept failing). */
export const FAN_OUT_MAX_RECEIVE_COUNT = 3;

export interface FanOutQueuesProps {
  readonly removalPolicy: RemovalPolicy;
  /** Jobs carry a message's frame, so they are encrypted with the key that encrypts the messages table. */
  readonly encryptionKey: IKey;
  /** Where the dead-letter alarm notifies. */
  readonly alarmTopic: ITopic;
}

/**
 * Sharded fan-out's queues: a FIFO job queue (message groups per room and
 * connection group, so each connection gets a room's frames in order; a
 * deduplication id per message, group, shard and attempt), its FIFO
 * dead-letter queue and an alarm as soon as anything lands there. A job
 * older than an hour is of no use (the message is in history for catch-up),
 * so jobs are kept one hour; dead letters four days, time enough to look.
 */
export class FanOutQueues extends Construct {
  readonly jobs: Queue;
  readonly deadLetters: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: FanOutQueuesProps) {
    super(scope, id);
    const common = {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
      fifo: true,
    } as const;
    this.deadLetters = new Queue(this, 'JobsDeadLetters', { ...common, retentionPeriod: Duration.days(4) });
    this.jobs = new Queue(this, 'Jobs', {
      ...common,
      contentBasedDeduplication: false,
      // High-throughput FIFO: deduplication and throughput per message group.
      deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      visibilityTimeout: FAN_OUT_VISIBILITY_TIMEOUT,
      retentionPeriod: Duration.hours(1),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: FAN_OUT_MAX_RECEIVE_COUNT },
    });
    this.deadLetterAlarm = deadLetterAlarm(
      this,
      'JobsDeadLettersAlarm',
      this.deadLetters,
      'Fan-out jobs failed for good: part of a large room did not get a message live (it is in history).',
      props.alarmTopic,
    );
  }
}
