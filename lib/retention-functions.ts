import { Duration } from 'aws-cdk-lib';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { ENTITY } from '../lambdas/adapters/dynamodb/schema';
import { RETENTION_ENV } from '../lambdas/wiring/env';
import type { ParleyConfig } from './config';
import type { ParleyFunction } from './constructs/parley-function';
import { StreamConsumer } from './constructs/stream-consumer';
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
      new StreamConsumer(fn, 'MessagesStream', {
        table: data.messagesTable,
        filters: ARCHIVE_STREAM_FILTERS,
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: config.archiveBatchSize,
        maxBatchingWindow: Duration.seconds(config.archiveBatchingWindowSeconds),
        reportBatchItemFailures: true,
        retryAttempts: config.archiveRetryAttempts,
        maxRecordAge: ARCHIVE_MAX_RECORD_AGE,
        // The whole failed batch, records included, for the replay function; a queue would get positions only.
        onFailure: { bucket: data.archiveFailures },
      });
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
