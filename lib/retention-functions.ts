import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  FilterCriteria,
  StartingPosition,
  type DlqDestinationConfig,
  type IEventSourceDlq,
  type IEventSourceMapping,
  type IFunction,
} from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ENTITY } from '../lambdas/adapters/dynamodb/schema';
import { FAILED_BATCH_PREFIX } from '../lambdas/domain/retention/archive';
import { RETENTION_ENV } from '../lambdas/wiring/env';
import type { ParleyConfig } from './config';
import type { ParleyFunction } from './constructs/parley-function';
import { acknowledgeWildcardResource } from './nag';
import type { FunctionSpec } from './function-spec';

/**
 * What the archive consumer receives: every removal of a message item, and
 * nothing else (Lambda filters before invoking, in AWS and in the local
 * runtime alike). TTL expiries carry `userIdentity` `{ type: 'Service',
 * principalId: 'dynamodb.amazonaws.com' }` and are archived; removals
 * without it are deletions a person asked for, which the consumer records in
 * the audit log and archives only for rooms whose policy says so. The
 * consumer tells them apart by `userIdentity`, so the filter lets both in.
 */
export const ARCHIVE_STREAM_FILTERS: ReadonlyArray<Record<string, unknown>> = [
  { eventName: ['REMOVE'], dynamodb: { OldImage: { entity: { S: [ENTITY.message] } } } },
];

/** A batch that keeps failing goes to the failure bucket this long after its first record was written, at the latest. */
const ARCHIVE_MAX_RECORD_AGE = Duration.hours(12);

/** The ARN of a bucket as this stack may name it (an export when the bucket lives in another stack). */
const bucketArnIn = (scope: ParleyFunction | IFunction, bucket: IBucket): string => {
  const owner = Stack.of(bucket);
  return owner === Stack.of(scope) ? bucket.bucketArn : owner.exportValue(bucket.bucketArn);
};

/**
 * The archive consumer's on-failure destination: an S3 bucket, where Lambda
 * writes each batch it gives up on with the whole invocation payload, the
 * records included (an SQS or SNS destination of a stream would only get
 * their shard and sequence numbers, readable from the stream for 24 hours).
 * Grants the function's role what Lambda needs to write there, and no more:
 * `s3:PutObject` under `aws/lambda/`, `s3:ListBucket`, and the bucket key.
 */
export class ArchiveFailureDestination implements IEventSourceDlq {
  constructor(private readonly bucket: IBucket) {}

  bind(_target: IEventSourceMapping, targetHandler: IFunction): DlqDestinationConfig {
    const bucketArn = bucketArnIn(targetHandler, this.bucket);
    const objects = `${bucketArn}/${FAILED_BATCH_PREFIX}*`;
    targetHandler.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
    targetHandler.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn] }));
    if (targetHandler.role) this.bucket.encryptionKey?.grant(targetHandler.role, 'kms:GenerateDataKey');
    // addToRolePolicy puts these statements in a policy under the function, so the acknowledgement goes there.
    acknowledgeWildcardResource(
      targetHandler,
      objects,
      'Lambda names each failed batch object itself (mapping, shard, time); the grant is PutObject under aws/lambda/ of one bucket.',
    );
    return { destination: this.bucket.bucketArn };
  }
}

/** Sets what a function that stores messages needs to give them their room's TTL. */
export function bindMessageRetention(fn: ParleyFunction, config: ParleyConfig): void {
  fn.setEnvironment({ [RETENTION_ENV.defaultRetention]: config.defaultRetention });
}

/**
 * Retention and archiving: the owners' socket actions, the archive consumer
 * on the messages stream, and the replay of batches the consumer gave up on.
 */
export const RETENTION_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'Retention',
    handlerFile: 'retention',
    description: 'Sets and reads room retention policies; gives owners download links to their room’s archive',
    routes: ['setRetention', 'getRetention', 'getArchive'],
    bind: (fn, { data, config }) => {
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem', 'PutItem'] });
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
      fn.bindMessageArchive(data.messageArchive, 'read');
      fn.setEnvironment({
        [RETENTION_ENV.defaultRetention]: config.defaultRetention,
        [RETENTION_ENV.archiveLinkSeconds]: config.archiveLinkSeconds,
        [RETENTION_ENV.archiveMaxRangeDays]: config.archiveMaxRangeDays,
      });
    },
  },
  {
    id: 'ArchiveMessages',
    handlerFile: 'archive-messages',
    description: 'Archives messages removed from the messages table (TTL expiries) to S3; audits deletions',
    routes: [],
    timeout: Duration.seconds(60),
    bind: (fn, { data, config }) => {
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem'] });
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
      fn.bindMessageArchive(data.messageArchive, 'write');
      bindMessageRetention(fn, config);
      Validations.of(fn.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Reading a table stream through an event source mapping needs dynamodb:ListStreams, which supports no ' +
          'resource-level permission; every other stream action is granted on the messages stream only.',
      });
      fn.function.addEventSource(
        new DynamoEventSource(data.messagesTable, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: config.archiveBatchSize,
          maxBatchingWindow: Duration.seconds(config.archiveBatchingWindowSeconds),
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          retryAttempts: config.archiveRetryAttempts,
          maxRecordAge: ARCHIVE_MAX_RECORD_AGE,
          onFailure: new ArchiveFailureDestination(data.archiveFailures),
          filters: ARCHIVE_STREAM_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
        }),
      );
    },
  },
  {
    id: 'ArchiveReplay',
    handlerFile: 'archive-replay',
    description: 'Replays archive batches kept by the failure bucket, once their cause is fixed (invoked by an operator)',
    routes: [],
    timeout: Duration.minutes(5),
    bind: (fn, { data, config }) => {
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem'] });
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
      fn.bindMessageArchive(data.messageArchive, 'write');
      fn.bindArchiveFailures(data.archiveFailures);
      bindMessageRetention(fn, config);
    },
  },
];
