import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { messageRecordOf } from '../adapters/dynamodb/message-items';
import { memoryChangeOf } from '../domain/memory/changes';
import { logger, metrics, traceHandler } from '../shared/observability';
import { applyMemoryChange, type MemoryDeps } from '../use-cases/memory/apply-memory-change';
import { systemClock } from '../wiring/chat';
import { embedder, memoryStore, readMemoryPolicy, summarizer } from '../wiring/memory';

const embeddings = embedder();
const deps: MemoryDeps = {
  store: memoryStore(),
  summarizer: summarizer(),
  policy: readMemoryPolicy(),
  clock: systemClock,
  ...(embeddings ? { embedder: embeddings } : {}),
};
const processor = new BatchProcessor(EventType.DynamoDBStreams);

const rememberChange = async (record: DynamoDBRecord): Promise<void> => {
  try {
    await applyRecord(record);
  } catch (error) {
    // Reported as a batch item failure by the processor: retried, then sent to the failure destination.
    logger.error('memory change failed', { sequenceNumber: record.dynamodb?.SequenceNumber, error: error as Error });
    throw error;
  }
};

const applyRecord = async (record: DynamoDBRecord): Promise<void> => {
  const change = memoryChangeOf(messageRecordOf(record));
  if (change.kind === 'ignore') return;
  const roomId = change.kind === 'remember' ? change.message.roomId : change.roomId;
  const messageId = change.kind === 'remember' ? change.message.messageId : change.messageId;
  const result = await applyMemoryChange(deps, change);
  logger.info('memory change applied', {
    roomId,
    messageId,
    kind: result.kind,
    status: result.status,
    summary: result.summary,
  });
  if (result.summary === 'created') metrics.addMetric('MemorySummaryCreated', MetricUnit.Count, 1);
  if (result.embeddingFailure !== undefined) {
    logger.warn('memory embedding failed, remembered without a vector', { roomId, messageId, reason: result.embeddingFailure });
    metrics.addMetric('MemoryEmbeddingFailed', MetricUnit.Count, 1);
  }
};

/**
 * Room memory, fed by the messages table's stream through a filter that
 * passes only moderated text (see docs/memory.md). Records are applied one
 * at a time in stream order; a record that fails is reported in the partial
 * batch response and retried, while the records after it are still applied
 * (every change is idempotent), so one poison record ends in the failure
 * destination without holding its room back.
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event, context) =>
    processPartialResponse(event, rememberChange, processor, { context, processInParallel: false }),
  );
