import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm } from './alarm-topic';

/** The room-purge worker's timeout: it hands over to the next job well before it (PURGE_HANDOVER_MS). */
export const ROOM_PURGE_WORKER_TIMEOUT = Duration.seconds(120);

/** SQS's guidance for a Lambda-consumed queue: a visibility timeout of six times the function's timeout. */
export const ROOM_PURGE_VISIBILITY_TIMEOUT = Duration.seconds(ROOM_PURGE_WORKER_TIMEOUT.toSeconds() * 6);

/** Deliveries of a purge job before SQS moves it to the dead-letter queue. */
export const ROOM_PURGE_MAX_RECEIVE_COUNT = 5;

export interface RoomPurgeQueuesProps {
  readonly removalPolicy: RemovalPolicy;
  /** Where the dead-letter alarm notifies. */
  readonly alarmTopic: ITopic;
}

/**
 * The queues of a deleted room's purge: a standard job queue (jobs need no
 * order, and one delivered twice is harmless), its dead-letter queue and an
 * alarm as soon as anything lands there. Jobs hold a room id, a time and a
 * message key, never text, so SQS-managed encryption is enough. A purge can
 * wait out an outage, so jobs are kept four days and dead letters fourteen.
 */
export class RoomPurgeQueues extends Construct {
  readonly jobs: Queue;
  readonly deadLetters: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: RoomPurgeQueuesProps) {
    super(scope, id);
    const common = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, removalPolicy: props.removalPolicy } as const;
    this.deadLetters = new Queue(this, 'JobsDeadLetters', { ...common, retentionPeriod: Duration.days(14) });
    this.jobs = new Queue(this, 'Jobs', {
      ...common,
      visibilityTimeout: ROOM_PURGE_VISIBILITY_TIMEOUT,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: ROOM_PURGE_MAX_RECEIVE_COUNT },
    });
    this.deadLetterAlarm = deadLetterAlarm(
      this,
      'JobsDeadLettersAlarm',
      this.deadLetters,
      'Room purge jobs failed for good: part of a deleted room’s messages or memory was not removed (each job names the room).',
      props.alarmTopic,
    );
  }
}
