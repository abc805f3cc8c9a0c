import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { expiresAtOf, messageRecordOf } from '../adapters/dynamodb/message-items';
import { isAuthoredMessage } from '../domain/message';
import { reportDelivery } from '../shared/delivery-report';
import { countModeration } from '../shared/message-metrics';
import { logger, metrics, traceHandler } from '../shared/observability';
import {
  auditModeratedMessage,
  moderateMessage,
  type ModerateMessageDeps,
} from '../use-cases/moderation/moderate-message';
import { trackHeldMessage } from '../use-cases/moderation/track-held-message';
import { auditLog, connectionGateway, connectionRepository, roomRepository, systemClock } from '../wiring/chat';
import {
  agentRoster,
  extraDetectors,
  heldQueue,
  moderatedMessages,
  moderationSettings,
  originalTexts,
} from '../wiring/moderation';

const deps: ModerateMessageDeps = {
  rooms: roomRepository(),
  connections: connectionRepository(),
  gateway: connectionGateway(),
  settings: moderationSettings(),
  messages: moderatedMessages(),
  originals: originalTexts(),
  audit: auditLog(),
  clock: systemClock,
  detectors: extraDetectors(),
  agents: agentRoster(),
};

const held = heldQueue();

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * Records of one room are moderated one after another, in stream order, so
 * the room receives its messages in the order they were sent; different rooms
 * proceed in parallel. A failed record does not hold back the next one: it
 * is reported, retried and, if it keeps failing, sent to the failure queue.
 */
function perRoomInOrder(handle: (record: DynamoDBRecord) => Promise<void>) {
  const tails = new Map<string, Promise<unknown>>();
  return (record: DynamoDBRecord): Promise<void> => {
    const roomId = record.dynamodb?.Keys?.['roomId']?.S ?? '';
    const run = (tails.get(roomId) ?? Promise.resolve()).catch(() => undefined).then(() => handle(record));
    tails.set(roomId, run);
    return run;
  };
}

const moderateRecord = async (record: DynamoDBRecord): Promise<void> => {
  const change = messageRecordOf(record);
  const { before, after } = change;
  const tracked = await trackHeldMessage({ held }, { before, after, expiresAt: expiresAtOf(change.newItem) });
  const subject = after ?? before;
  if (tracked !== 'unchanged' && subject) {
    logger.info('held queue updated', { roomId: subject.roomId, messageId: subject.messageId, held: tracked });
  }
  // A change of a held message (decided, released, hidden, deleted, expired): only its place in the queue to keep.
  if (change.eventName !== 'INSERT') return;
  const message = after;
  if (!message) throw new Error('A moderation record has no new message image; the event source mapping must send NEW_IMAGE.');
  if (message.moderation !== 'pending') {
    // A person's message, moderated and delivered by sendMessage: only its audit entry is left to record.
    if (record.eventName !== 'INSERT' || !isAuthoredMessage(message.senderType)) return;
    const decision = await auditModeratedMessage(deps, message);
    logger.info('moderation audited', { roomId: message.roomId, messageId: message.messageId, decision });
    return;
  }
  // An agent's reply, streamed as it was written: decided and delivered here.
  const outcome = await moderateMessage(deps, message);
  logger.info('message moderated', {
    roomId: message.roomId,
    messageId: message.messageId,
    decision: outcome.decision,
    applied: outcome.applied,
    recipients: outcome.delivery?.recipients,
  });
  reportDelivery(outcome.delivery, { roomId: message.roomId, messageId: message.messageId });
  if (outcome.applied && outcome.decision) countModeration('agent', outcome.decision);
};

/**
 * The moderation consumer, on new messages from the messages table's stream:
 * a pending one (an agent's reply) is checked, decided and delivered (see
 * moderateMessage); a person's, which sendMessage already moderated and
 * delivered, gets its audit entry (see auditModeratedMessage). Every record
 * of a message held for review, or held until this change, keeps the room's
 * review queue in step (see trackHeldMessage).
 * Failures are reported per record (ReportBatchItemFailures).
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event, context) =>
    processPartialResponse(event, perRoomInOrder(moderateRecord), processor, { context }),
  );
