import { Duration } from 'aws-cdk-lib';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { AUDIT_ENTITY } from '../lambdas/adapters/dynamodb/audit-schema';
import { ENTITY, MESSAGES_TABLE } from '../lambdas/adapters/dynamodb/schema';
import { MODERATION_ENV } from '../lambdas/wiring/env';
import { StreamConsumer } from './constructs/stream-consumer';
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
      new StreamConsumer(fn, 'MessagesStream', {
        table: data.messagesTable,
        filters: MODERATION_STREAM_FILTERS,
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: MODERATION_BATCH_SIZE,
        reportBatchItemFailures: true,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(6),
        onFailure: { queue: data.streamFailures.moderation },
      });
    },
  },
  {
    id: 'Moderation',
    handlerFile: 'moderation',
    description: 'Moderator actions on messages, a sender deleting their own, the held queue, moderation settings and the audit log',
    routes: [
      'hideMessage',
      'unhideMessage',
      'releaseMessage',
      // A sender's own deletion too: the same DeleteItem, original removal and audit as a moderator's.
      'deleteMessage',
      'getOriginalMessage',
      'getModerationSettings',
      'setModerationSettings',
      'getAuditLog',
      'listHeldMessages',
    ],
    bind: (fn, { data, api, stage, config }) => {
      // UpdateItem: settings are saved without touching the agent count that shares their item.
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem', 'UpdateItem', 'Query'] });
      // The held index: the review queue (listHeldMessages); no other function may query it.
      fn.bindMessagesTable(data.messagesTable, {
        actions: ['GetItem', 'UpdateItem', 'DeleteItem'],
        queryIndexes: [MESSAGES_TABLE.heldIndex.name],
      });
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
      new StreamConsumer(fn, 'AuditStream', {
        table: data.auditTable,
        filters: [AUDIT_STREAM_FILTER],
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(5),
        // The archiver copies a batch as one object: it succeeds or fails whole.
        reportBatchItemFailures: false,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(6),
        onFailure: { queue: data.streamFailures.auditArchive },
      });
    },
  },
];
