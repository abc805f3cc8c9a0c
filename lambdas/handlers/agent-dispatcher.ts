import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ParleyError } from '../domain/errors';
import type { DispatchedMessage } from '../domain/agents/triggers';
import type { SenderType } from '../domain/types';
import { logger, metrics, tracer } from '../shared/observability';
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

const SENDER_TYPES: ReadonlySet<string> = new Set<SenderType>(['human', 'agent', 'system']);

/** Moderation states whose text agents may read (a redacted message carries only its redacted text). */
const READABLE_MODERATION: ReadonlySet<string> = new Set(['allowed', 'redacted']);

/**
 * The message a stream record carries. The mapping's filter lets through
 * only messages whose text passed moderation (see AGENT_STREAM_FILTERS in
 * lib/agent-functions.ts), so NewImage holds text agents may read; the same
 * rule is repeated here, so a loosened filter never lets pending,
 * quarantined or blocked text reach an agent.
 */
export function dispatchedMessageOf(record: DynamoDBRecord): DispatchedMessage | undefined {
  const raw = record.dynamodb?.NewImage;
  if (!raw) return undefined;
  const item = unmarshall(raw as Record<string, AttributeValue>);
  if (item['entity'] !== 'message') return undefined;
  // An item without a state was stored before moderation existed: allowed.
  if (item['moderation'] !== undefined && !READABLE_MODERATION.has(String(item['moderation']))) return undefined;
  const { roomId, messageId, senderId, senderType, text, agentHandle, replyDepth } = item;
  if (
    typeof roomId !== 'string' ||
    typeof messageId !== 'string' ||
    typeof senderId !== 'string' ||
    typeof text !== 'string' ||
    typeof senderType !== 'string' ||
    !SENDER_TYPES.has(senderType)
  ) {
    throw new ParleyError('The stream record does not hold a message.');
  }
  return {
    roomId,
    messageId,
    senderId,
    senderType: senderType as SenderType,
    text,
    ...(typeof agentHandle === 'string' ? { agentHandle } : {}),
    ...(typeof replyDepth === 'number' ? { replyDepth } : {}),
  };
}

const dispatchRecord = async (record: DynamoDBRecord): Promise<void> => {
  const message = dispatchedMessageOf(record);
  if (!message) return;
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
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event, context) =>
    processPartialResponse(event, dispatchRecord, processor, { context, processInParallel: false }),
  );
