import { Duration, Validations } from 'aws-cdk-lib';
import type { RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import {
  DeduplicationScope,
  FifoThroughputLimit,
  Queue,
  QueueEncryption,
} from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm } from './alarm-topic';

/** The agent worker's timeout: a streamed reply takes seconds, a slow model up to half a minute. */
export const AGENT_WORKER_TIMEOUT = Duration.seconds(60);

/**
 * SQS's guidance for a Lambda-consumed queue: a visibility timeout of at
 * least six times the function's timeout, so a job is never handed out
 * again while an invocation may still be working on it.
 */
export const AGENT_JOBS_VISIBILITY_TIMEOUT = Duration.seconds(AGENT_WORKER_TIMEOUT.toSeconds() * 6);

/** Deliveries of a job before SQS moves it to the dead-letter queue; the last one tells the room. */
export const AGENT_JOBS_MAX_RECEIVE_COUNT = 3;

export interface AgentQueuesProps {
  readonly removalPolicy: RemovalPolicy;
  /** Where the two alarms notify. */
  readonly alarmTopic: ITopic;
}

/**
 * The agents' queues: a FIFO job queue (one message group per room and
 * agent, so an agent answers a room's messages in order and one at a time;
 * deduplication by message and agent), its FIFO dead-letter queue, the
 * dispatcher's on-failure destination, and an alarm on each of the last two
 * as soon as anything lands there, notifying the alarm topic. Jobs hold ids only, never text, so
 * SQS-managed encryption is enough.
 */
export class AgentQueues extends Construct {
  readonly jobs: Queue;
  readonly deadLetters: Queue;
  readonly dispatchFailures: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly dispatchFailureAlarm: Alarm;

  constructor(scope: Construct, id: string, props: AgentQueuesProps) {
    super(scope, id);
    const common = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, removalPolicy: props.removalPolicy } as const;

    this.deadLetters = new Queue(this, 'JobsDeadLetters', {
      ...common,
      fifo: true,
      retentionPeriod: Duration.days(14),
    });
    this.jobs = new Queue(this, 'Jobs', {
      ...common,
      fifo: true,
      contentBasedDeduplication: false,
      // High-throughput FIFO: deduplication and throughput per message group.
      deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      visibilityTimeout: AGENT_JOBS_VISIBILITY_TIMEOUT,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: AGENT_JOBS_MAX_RECEIVE_COUNT },
    });
    this.dispatchFailures = new Queue(this, 'DispatchFailures', { ...common, retentionPeriod: Duration.days(14) });
    Validations.of(this.dispatchFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the failure destination of the agent dispatcher (the shard and sequence range of ' +
        'stream records that kept failing); nothing consumes it, an alarm fires when anything lands in it.',
    });

    const alarmOn = (alarmId: string, queue: Queue, description: string) =>
      deadLetterAlarm(this, alarmId, queue, description, props.alarmTopic);
    this.deadLetterAlarm = alarmOn(
      'JobsDeadLettersAlarm',
      this.deadLetters,
      'Agent jobs failed for good (the room was told the agent is unavailable); each message says why.',
    );
    this.dispatchFailureAlarm = alarmOn(
      'DispatchFailuresAlarm',
      this.dispatchFailures,
      'Messages the agent dispatcher could not turn into jobs after its retries.',
    );
  }
}
