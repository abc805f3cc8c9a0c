import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm } from './alarm-topic';

export interface FailureQueueProps {
  readonly removalPolicy: RemovalPolicy;
  /** What fails into it, for the acknowledgement and the queue's readers. */
  readonly purpose: string;
  /** Notified as soon as anything lands in the queue. */
  readonly alarmTopic: ITopic;
}

/**
 * The on-failure destination of an event source mapping: a record that
 * keeps failing lands here (as its stream position, not its data) and stops
 * blocking the records behind it. Kept 14 days, the longest SQS allows.
 * Nothing consumes it: an alarm fires as soon as anything lands there.
 */
export class FailureQueue extends Construct {
  readonly queue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: FailureQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter destination: ${props.purpose}.`,
    });
    this.alarm = deadLetterAlarm(this, 'Alarm', this.queue, `Records failed for good: ${props.purpose}.`, props.alarmTopic);
  }
}
