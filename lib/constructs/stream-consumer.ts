import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  FilterCriteria,
  MetricType,
  type DlqDestinationConfig,
  type IEventSourceDlq,
  type IEventSourceMapping,
  type IFunction,
  type StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FAILED_BATCH_PREFIX } from '../../lambdas/domain/retention/archive';
import { acknowledgeWildcardResource } from '../nag';
import type { ParleyFunction } from './parley-function';

/**
 * Where a stream consumer's records go once its retries are spent, so they
 * stop blocking the shard: a queue receives their shard and sequence range
 * (readable from the stream for 24 hours); a bucket receives the whole
 * invocation payload, records included. Both live in the stateful stack.
 */
export type StreamFailureDestination = { readonly queue: IQueue } | { readonly bucket: IBucket };

export interface StreamConsumerProps {
  /** The table whose stream the function consumes. */
  readonly table: ITable;
  /** Event patterns (Lambda filter criteria); only matching records invoke the function. */
  readonly filters: ReadonlyArray<Record<string, unknown>>;
  readonly startingPosition: StartingPosition;
  readonly batchSize: number;
  /** @default no batching window */
  readonly maxBatchingWindow?: Duration;
  /** True when the handler reports each failed record (Powertools' processPartialResponse). */
  readonly reportBatchItemFailures: boolean;
  readonly retryAttempts: number;
  /** Records older than this go to the failure destination instead of the function. */
  readonly maxRecordAge: Duration;
  readonly onFailure: StreamFailureDestination;
}

/**
 * A function consuming a table's stream with Parley's failure semantics: a
 * failing batch is bisected and retried a bounded number of times, then its
 * records go to the failure destination and the shard moves on. Owns the
 * event source mapping (created under the function, with its filters), the
 * grants its failure destination needs, and the cdk-nag acknowledgement
 * that reading a stream requires.
 */
export class StreamConsumer extends Construct {
  readonly source: DynamoEventSource;
  /** The consuming function's row id (FunctionSpec.id), for alarms and dashboards. */
  readonly functionId: string;
  /** Whether what keeps failing goes to a bucket (which has no queue metric to alarm on). */
  readonly failsToBucket: boolean;

  constructor(scope: ParleyFunction, id: string, props: StreamConsumerProps) {
    super(scope, id);
    this.functionId = scope.node.id;
    this.failsToBucket = 'bucket' in props.onFailure;
    Validations.of(scope.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Reading a table stream through an event source mapping needs dynamodb:ListStreams, which supports no ' +
        'resource-level permission; every other stream action is granted on the consumed stream only.',
    });
    this.source = new DynamoEventSource(props.table, {
      startingPosition: props.startingPosition,
      batchSize: props.batchSize,
      ...(props.maxBatchingWindow === undefined ? {} : { maxBatchingWindow: props.maxBatchingWindow }),
      bisectBatchOnError: true,
      reportBatchItemFailures: props.reportBatchItemFailures,
      retryAttempts: props.retryAttempts,
      maxRecordAge: props.maxRecordAge,
      onFailure: 'queue' in props.onFailure ? new SqsDlq(props.onFailure.queue) : new BucketFailureDestination(props.onFailure.bucket),
      filters: props.filters.map((pattern) => FilterCriteria.filter(pattern)),
      // A bucket destination has no depth metric: the mapping's own event counts
      // say when a batch was sent there.
      ...(this.failsToBucket ? { metricsConfig: { metrics: [MetricType.EVENT_COUNT] } } : {}),
    });
    scope.function.addEventSource(this.source);
  }

  /**
   * Records the mapping sent to its on-failure destination (AWS/Lambda
   * OnFailureDestinationDeliveredEventCount, by mapping); emitted only by
   * mappings with event count metrics, which this construct turns on for
   * bucket destinations.
   */
  metricSentToFailureDestination(): Metric {
    return new Metric({
      namespace: 'AWS/Lambda',
      metricName: 'OnFailureDestinationDeliveredEventCount',
      dimensionsMap: { EventSourceMappingUUID: this.source.eventSourceMappingId },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
  }
}

/** The ARN of a bucket as the function's stack may name it (an export when the bucket lives in another stack). */
const bucketArnIn = (scope: IFunction, bucket: IBucket): string => {
  const owner = Stack.of(bucket);
  return owner === Stack.of(scope) ? bucket.bucketArn : owner.exportValue(bucket.bucketArn);
};

/**
 * An S3 bucket as on-failure destination: Lambda writes each batch it gives
 * up on there, under `aws/lambda/`. Grants the function's role what Lambda
 * needs to write there, and no more: `s3:PutObject` under `aws/lambda/`,
 * `s3:ListBucket`, and the bucket key.
 */
class BucketFailureDestination implements IEventSourceDlq {
  constructor(private readonly bucket: IBucket) {}

  bind(_target: IEventSourceMapping, targetHandler: IFunction): DlqDestinationConfig {
    const bucketArn = bucketArnIn(targetHandler, this.bucket);
    const objects = `${bucketArn}/${FAILED_BATCH_PREFIX}*`;
    targetHandler.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
    targetHandler.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn] }));
    if (targetHandler.role) this.bucket.encryptionKey?.grant(targetHandler.role, 'kms:GenerateDataKey');
    // addToRolePolicy puts these statements in the role's policy (ParleyFunction keeps them there), so the acknowledgement goes there.
    acknowledgeWildcardResource(
      targetHandler.role ?? targetHandler,
      objects,
      'Lambda names each failed batch object itself (mapping, shard, time); the grant is PutObject under aws/lambda/ of one bucket.',
    );
    return { destination: this.bucket.bucketArn };
  }
}
