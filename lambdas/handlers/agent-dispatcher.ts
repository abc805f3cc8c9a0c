import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { agentReplyOf, messageRecordOf } from '../adapters/dynamodb/message-items';
import type { DispatchedMessage } from '../domain/agents/triggers';
import { isReadable } from '../domain/message';
import { inTraceSubsegment, logger, metrics, traceHandler } from '../shared/observability';
import { dispatchMessage, type DispatchMessageDeps } from '../use-cases/agents/dispatch-message';
import { agentJobQueue, agentRepository, ambientFloor } from '../wiring/agents';
import { systemClock } from '../wiring/chat';

const deps: DispatchMessageDeps = {
  agents: agentRepository(),
  floor: ambientFloor(),
  jobs: agentJobQueue(),
  clock: systemClock,
  random: Math.random,
};
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * The message a stream record carries, when agents may read it. The
 * mapping's filter lets through only messages whose text passed moderation
 * (see AGENT_STREAM_FILTERS in lib/agent-functions.ts); the same rule
 * (`isReadable`) is applied here, so a loosened filter never lets pending,
 * quarantined, blocked or hidden text reach an agent.
 */
export function dispatchedMessageOf(record: DynamoDBRecord): DispatchedMessage | undefined {
  const { after: message, newItem } = messageRecordOf(record);
  if (message === undefined || newItem === undefined || !isReadable(message)) return undefined;
  const { agentHandle, replyDepth } = agentReplyOf(newItem);
  return {
    roomId: message.roomId,
    messageId: message.messageId,
    senderId: message.senderId,
    senderType: message.senderType,
    text: message.text,
    ...(agentHandle !== undefined ? { agentHandle } : {}),
    ...(replyDepth !== undefined ? { replyDepth } : {}),
    ...(message.mentions !== undefined ? { mentions: message.mentions } : {}),
  };
}

const dispatchRecord = async (record: DynamoDBRecord): Promise<void> => {
  const message = dispatchedMessageOf(record);
  if (!message) return;
  // Stream records carry no trace context: the message's own trace (its
  // sendMessage) cannot be linked, so each dispatch is a subsegment found by
  // its message id, and the jobs it enqueues carry its trace header.
  await inTraceSubsegment('### dispatch message', { messageId: message.messageId, roomId: message.roomId }, () =>
    dispatchAnnotated(message),
  );
};

const dispatchAnnotated = async (message: DispatchedMessage): Promise<void> => {
  try {
    const jobs = await dispatchMessage(deps, message);
    if (jobs.length > 0) {
      metrics.addMetric('AgentJobsEnqueued', MetricUnit.Count, jobs.length);
      logger.info('agent jobs enqueued', {
        roomId: message.roomId,
        messageId: message.messageId,
        agents: jobs.map((job) => `${job.handle}:${job.reason}`),
      });
    }
  } catch (error) {
    // Reported as a batch item failure: retried, then sent to the on-failure destination.
    logger.error('agent dispatch failed', { roomId: message.roomId, messageId: message.messageId, error: error as Error });
    throw error;
  }
};

/**
 * Turns moderated messages from the messages table's stream into agent
 * jobs, one record at a time in stream order, reporting failed records in
 * the partial batch response.
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event, context) =>
    processPartialResponse(event, dispatchRecord, processor, { context, processInParallel: false }),
  );
