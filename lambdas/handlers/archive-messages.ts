import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { removedMessageOf } from '../adapters/dynamodb/retention-removals';
import type { RemovedMessage } from '../domain/retention/archive';
import { logger, metrics, traceHandler } from '../shared/observability';
import { archiveRemovedMessages, type ArchiveRemovedDeps } from '../use-cases/retention/archive-removed-messages';
import { auditLog } from '../wiring/chat';
import { archiveStore, retentionLookup } from '../wiring/retention';

const deps: ArchiveRemovedDeps = {
  archive: archiveStore(),
  retention: retentionLookup(),
  audit: auditLog(),
};

/**
 * Archives one batch and answers with the records to retry. The batch is
 * handled as a whole rather than record by record (Powertools'
 * BatchProcessor): records are grouped into one object per room and day, and
 * which records to retry follows from which objects were written.
 */
export async function archiveBatch(
  archiveDeps: ArchiveRemovedDeps,
  records: readonly DynamoDBRecord[],
): Promise<DynamoDBBatchResponse> {
  const messages: RemovedMessage[] = [];
  let unreadable: DynamoDBRecord[] = [];
  for (const [index, record] of records.entries()) {
    try {
      const message = removedMessageOf(record);
      if (message) messages.push(message);
    } catch (error) {
      // This record and everything after it are retried and, if it keeps failing, kept by the failure destination.
      logger.error('stream record unreadable', { sequenceNumber: record.dynamodb?.SequenceNumber, error: error as Error });
      unreadable = records.slice(index);
      break;
    }
  }

  const outcome = await archiveRemovedMessages(archiveDeps, messages);
  metrics.addMetric('MessagesArchived', MetricUnit.Count, outcome.messagesArchived);
  metrics.addMetric('ArchiveObjectsWritten', MetricUnit.Count, outcome.objectsWritten);
  if (outcome.deletions > 0) metrics.addMetric('MessageDeletionsSeen', MetricUnit.Count, outcome.deletions);

  const failed = [
    ...outcome.failedSequenceNumbers,
    ...unreadable.flatMap((r) => (r.dynamodb?.SequenceNumber ? [r.dynamodb.SequenceNumber] : [])),
  ];
  if (failed.length > 0) {
    metrics.addMetric('ArchiveRecordsRetried', MetricUnit.Count, failed.length);
    logger.warn('archive incomplete; records will be retried', {
      records: records.length,
      retried: failed.length,
      failures: [...new Set(outcome.failures)],
    });
  } else {
    logger.info('batch archived', {
      records: records.length,
      messages: outcome.messagesArchived,
      objects: outcome.objectsWritten,
      deletions: outcome.deletions,
    });
  }
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}

/**
 * The archive consumer: messages removed from the messages table (TTL
 * expiries, and deletions) from its stream, written to the archive bucket.
 * Failures are reported as partial batch responses; the event source mapping
 * retries, bisects and finally sends the batch to its S3 failure destination
 * with the records (docs/retention.md: replaying failed batches).
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler((event) => archiveBatch(deps, event.Records));
