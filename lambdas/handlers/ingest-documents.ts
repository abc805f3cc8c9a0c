import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { createdObjectsOf } from '../adapters/s3/object-events';
import { logger, metrics } from '../shared/observability';
import { sqsJobConsumer } from '../shared/queue-consumer';
import { ingestDocument } from '../use-cases/knowledge/ingest-document';
import { ingestionDeps, ingestionMaxReceiveCount } from '../wiring/documents';

const deps = ingestionDeps();
const maxReceiveCount = ingestionMaxReceiveCount();

const ingestRecord = async (record: SQSRecord): Promise<void> => {
  const lastAttempt = Number(record.attributes.ApproximateReceiveCount) >= maxReceiveCount;
  let objects;
  try {
    objects = createdObjectsOf(record.body);
  } catch (error) {
    // Not an S3 notification: retried, then dead-lettered, where the alarm tells an operator.
    logger.error('document event unreadable', { messageId: record.messageId, error: error as Error });
    metrics.addMetric('DocumentIngestionFailures', MetricUnit.Count, 1);
    throw error;
  }
  for (const object of objects) {
    try {
      const result = await ingestDocument(deps, { key: object.key, lastAttempt });
      if (result.outcome === 'skipped') {
        logger.info('document object skipped', { key: object.key, why: result.why });
        continue;
      }
      const { roomId, documentId, version, status } = result.document;
      metrics.addMetric(result.outcome === 'ready' ? 'DocumentsIndexed' : 'DocumentsUnreadable', MetricUnit.Count, 1);
      if (result.outcome === 'ready') {
        logger.info('document indexed', { roomId, documentId, version, chunks: result.document.chunks ?? 0 });
      } else {
        logger.warn('document failed', { roomId, documentId, version, status, reason: result.document.reason });
      }
    } catch (error) {
      // The whole message comes back: every step ingestion repeats is idempotent per version.
      logger.error('document ingestion failed; it will be retried', { key: object.key, lastAttempt, error: error as Error });
      metrics.addMetric('DocumentIngestionFailures', MetricUnit.Count, 1);
      throw error;
    }
  }
};

/**
 * Room documents' ingestion, from the queue the documents bucket notifies:
 * each created object is checked against its document's record and indexed
 * (ingest-document.ts). A message that fails is reported in the partial
 * batch response, retried, and dead-lettered after its last attempt.
 */
export const handler = sqsJobConsumer(ingestRecord);
