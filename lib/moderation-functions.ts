import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { AUDIT_ENTITY } from '../lambdas/adapters/dynamodb/audit-schema';
import { ENTITY } from '../lambdas/adapters/dynamodb/schema';
import { MODERATION_ENV } from '../lambdas/wiring/env';
import { FailureQueue } from './constructs/failure-queue';
import type { ParleyFunction } from './constructs/parley-function';
import type { FunctionSpec } from './function-spec';

/**
 * The records the moderation consumer receives, and nothing else (Lambda
 * filters before invoking, in AWS and in the local runtime alike, so its own
 * updates never come back to it):
 * 1. a new message waiting for moderation (an agent's reply), to decide and deliver;
 * 2. a person's new message, which sendMessage moderated and delivered, to audit.
 */
export const MODERATION_STREAM_FILTERS: ReadonlyArray<Record<string, unknown>> = [
  { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: [ENTITY.message] }, moderation: { S: ['pending'] } } } },
  {
    eventName: ['INSERT'],
    dynamodb: {
      NewImage: {
        entity: { S: [ENTITY.message] },
        senderType: { S: ['human'] },
        moderation: { S: ['allowed', 'redacted', 'quarantined', 'blocked'] },
      },
    },
  },
];

/** New audit entries, which the archiver copies to the Object Lock bucket. */
export const AUDIT_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entity: { S: [AUDIT_ENTITY] } } },
} as const;

/** Records per moderation batch: small, so a failing record's bisection reaches it in few steps. */
export const MODERATION_BATCH_SIZE = 25;

/**
 * A stream event source with Parley's failure semantics: bounded retries,
 * bisection of a failing batch, then the failing records' positions go to
 * a queue of their own so they stop blocking the shard.
 */
function consumeStream(
  fn: ParleyFunction,
  table: ITable,
  options: {
    batchSize: number;
    batchingWindow?: Duration;
    partial: boolean;
    filters: ReadonlyArray<Record<string, unknown>>;
    purpose: string;
  },
): void {
  const failures = new FailureQueue(fn, 'StreamFailures', { removalPolicy: RemovalPolicy.DESTROY, purpose: options.purpose });
  Validations.of(fn.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Reading a table stream through an event source mapping needs dynamodb:ListStreams, which supports no ' +
      'resource-level permission; every other stream action is granted on this one stream only.',
  });
  fn.function.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: options.batchSize,
      ...(options.batchingWindow ? { maxBatchingWindow: options.batchingWindow } : {}),
      bisectBatchOnError: true,
      reportBatchItemFailures: options.partial,
      retryAttempts: 3,
      maxRecordAge: Duration.hours(6),
      onFailure: new SqsDlq(failures.queue),
      filters: options.filters.map((pattern) => FilterCriteria.filter(pattern)),
    }),
  );
}

/** Moderation and audit: the stream consumer, the moderator actions and the audit archiver. */
export const MODERATION_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'ModerationConsumer',
    handlerFile: 'moderation-consumer',
    description: 'Moderates agents’ replies from the messages stream and audits people’s messages moderated at send',
    routes: [],
    bind: (fn, { data, api, stage, config }) => {
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem', 'Query'] });
      fn.bindMessagesTable(data.messagesTable, { actions: ['UpdateItem'] });
      fn.bindModerationTable(data.moderationTable, { actions: ['PutItem'] });
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
      fn.bindConnectionsTable(data.connectionsTable, {
        actions: ['Query', 'GetItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
      });
      fn.bindManagementApi(api, stage);
      if (config.moderationGuardrailId !== undefined) {
        fn.bindModerationGuardrail({ id: config.moderationGuardrailId, version: config.moderationGuardrailVersion });
      }
      consumeStream(fn, data.messagesTable, {
        batchSize: MODERATION_BATCH_SIZE,
        partial: true,
        filters: MODERATION_STREAM_FILTERS,
        purpose: 'the stream positions of messages the moderation consumer failed to moderate or audit after its retries',
      });
    },
  },
  {
    id: 'Moderation',
    handlerFile: 'moderation',
    description: 'Moderator actions on messages, moderation settings and the audit log',
    routes: [
      'hideMessage',
      'unhideMessage',
      'releaseMessage',
      'deleteMessage',
      'getOriginalMessage',
      'getModerationSettings',
      'setModerationSettings',
      'getAuditLog',
    ],
    bind: (fn, { data, api, stage, config }) => {
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem', 'PutItem', 'Query'] });
      fn.bindMessagesTable(data.messagesTable, { actions: ['GetItem', 'UpdateItem', 'DeleteItem'] });
      fn.bindModerationTable(data.moderationTable, { actions: ['GetItem', 'DeleteItem'] });
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'], queryIndexes: ['byTime'] });
      fn.bindConnectionsTable(data.connectionsTable, {
        actions: ['Query', 'GetItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
      });
      fn.bindManagementApi(api, stage);
      fn.setEnvironment({ [MODERATION_ENV.originalsRetentionDays]: config.originalsRetentionDays });
    },
  },
  {
    id: 'AuditArchiver',
    handlerFile: 'audit-archiver',
    description: 'Copies new audit entries to the Object Lock archive bucket as JSON Lines',
    routes: [],
    bind: (fn, { data }) => {
      fn.bindAuditArchive(data.auditArchive);
      consumeStream(fn, data.auditTable, {
        batchSize: 100,
        batchingWindow: Duration.seconds(5),
        partial: false,
        filters: [AUDIT_STREAM_FILTER],
        purpose: 'the stream positions of audit entries the archiver failed to copy after its retries',
      });
    },
  },
];
