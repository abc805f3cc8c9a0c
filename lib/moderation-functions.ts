import { Duration } from 'aws-cdk-lib';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { AUDIT_ENTITY } from '../lambdas/adapters/dynamodb/audit-schema';
import { ENTITY } from '../lambdas/adapters/dynamodb/schema';
import { MODERATION_ENV } from '../lambdas/wiring/env';
import { StreamConsumer } from './constructs/stream-consumer';
import { MESSAGE_ITEM, moderationStates } from './message-stream-filters';
import type { FunctionSpec } from './function-spec';
import { isAuthoredMessage, SENDER_TYPES } from '../lambdas/domain/message';

/**
 * The records the moderation consumer receives, and nothing else (Lambda
 * filters before invoking, in AWS and in the local runtime alike):
 * 1. a new message waiting for moderation (an agent's reply), to decide and deliver;
 * 2. a person's (or an integration's) new message, which sendMessage moderated and delivered, to
 *    audit (and, when quarantined, to put in the review queue);
 * 3. a change of a message quarantined after it (its own decision of an agent's
 *    reply, an edit moderation quarantined, an unhide, a new expiry), to hold it
 *    in the review queue;
 * 4. a change or removal of a message quarantined before it (released, hidden,
 *    deleted, expired or purged), to take it out of the queue.
 * Other changes of a message, the great majority, never invoke it.
 */
export const MODERATION_STREAM_FILTERS: ReadonlyArray<Record<string, unknown>> = [
  { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: [ENTITY.message] }, moderation: { S: ['pending'] } } } },
  {
    eventName: ['INSERT'],
    dynamodb: {
      NewImage: {
        entity: { S: [ENTITY.message] },
        // A person's or an integration's: both are moderated by sendMessage before they are stored.
        senderType: { S: SENDER_TYPES.filter(isAuthoredMessage) },
        moderation: { S: ['allowed', 'redacted', 'quarantined', 'blocked'] },
      },
    },
  },
  { eventName: ['MODIFY'], dynamodb: { NewImage: { ...MESSAGE_ITEM, moderation: moderationStates('quarantined') } } },
  { eventName: ['MODIFY', 'REMOVE'], dynamodb: { OldImage: { ...MESSAGE_ITEM, moderation: moderationStates('quarantined') } } },
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
    description: 'Moderates agents’ replies from the messages stream, audits people’s messages moderated at send and keeps the review queues',
    routes: [],
    bind: (fn, { data, api, stage, config }) => {
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem', 'Query'] });
      fn.bindMessagesTable(data.messagesTable, { actions: ['UpdateItem'] });
      // PutItem: originals and held markers; DeleteItem: a held marker once its message is no longer held.
      fn.bindModerationTable(data.moderationTable, { actions: ['PutItem', 'DeleteItem'] });
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
      // BatchGetItem: the messages a page of the review queue names (listHeldMessages).
      fn.bindMessagesTable(data.messagesTable, { actions: ['GetItem', 'BatchGetItem', 'UpdateItem', 'DeleteItem'] });
      // Query: the review queue's markers, read by no other function; DeleteItem: originals and stale markers.
      fn.bindModerationTable(data.moderationTable, { actions: ['GetItem', 'Query', 'DeleteItem'] });
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
