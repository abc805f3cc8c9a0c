import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface ConsumedQueueProps {
  readonly removalPolicy: RemovalPolicy;
  /** SQS's guidance for a Lambda-consumed queue: six times the function's timeout. */
  readonly visibilityTimeout: Duration;
  /** Where a message goes after `maxReceiveCount` deliveries (a FailureQueue's queue, which alarms). */
  readonly deadLetters: IQueue;
  readonly maxReceiveCount: number;
}

/**
 * A queue a Lambda function drains: encrypted at rest, TLS only, messages
 * kept four days, and a message that keeps failing moved to its
 * dead-letter queue.
 */
export function consumedQueue(scope: Construct, id: string, props: ConsumedQueueProps): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    removalPolicy: props.removalPolicy,
    visibilityTimeout: props.visibilityTimeout,
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: props.deadLetters, maxReceiveCount: props.maxReceiveCount },
  });
}
