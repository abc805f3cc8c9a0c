import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSRecord } from 'aws-lambda';
import { parseRoomPurgeJob, PURGE_HANDOVER_MS } from '../domain/room-purge';
import { logger, metrics } from '../shared/observability';
import { sqsJobConsumer } from '../shared/queue-consumer';
import { purgeDeletedRoom } from '../use-cases/purge-deleted-room';
import { roomPurgeDeps } from '../wiring/room-purge';

const deps = roomPurgeDeps();

const purgeRecord = async (record: SQSRecord, context: Context): Promise<void> => {
  const job = (() => {
    try {
      return parseRoomPurgeJob(record.body);
    } catch (error) {
      // Not a job Parley wrote: retried, then dead-lettered, where the alarm tells an operator.
      logger.error('room purge job unreadable', { messageId: record.messageId, error: error as Error });
      metrics.addMetric('RoomPurgeFailures', MetricUnit.Count, 1);
      throw error;
    }
  })();
  const fields = { roomId: job.roomId, phase: job.phase, sequence: job.sequence };
  try {
    const result = await purgeDeletedRoom(deps, job, {
      hasTime: () => context.getRemainingTimeInMillis() > PURGE_HANDOVER_MS,
    });
    if (result.outcome === 'skipped') {
      logger.warn('room purge skipped: the room is not deleted', fields);
      return;
    }
    metrics.addMetric('RoomPurgeMessagesExpired', MetricUnit.Count, result.expired);
    metrics.addMetric('RoomPurgeMemoryRemoved', MetricUnit.Count, result.memoryRemoved);
    metrics.addMetric('RoomPurgeIntegrationsRemoved', MetricUnit.Count, result.integrationsRemoved);
    metrics.addMetric('RoomPurgeGamesRemoved', MetricUnit.Count, result.gamesRemoved);
    metrics.addMetric('RoomPurgeDocumentsRemoved', MetricUnit.Count, result.documentsRemoved);
    logger.info('room purge progressed', {
      ...fields,
      outcome: result.outcome,
      expired: result.expired,
      unchanged: result.unchanged,
      memoryRemoved: result.memoryRemoved,
      integrationsRemoved: result.integrationsRemoved,
      gamesRemoved: result.gamesRemoved,
      documentsRemoved: result.documentsRemoved,
      pages: result.pages,
    });
  } catch (error) {
    // The job comes back whole: every step it repeats is idempotent.
    logger.error('room purge job failed; it will be retried', { ...fields, error: error as Error });
    metrics.addMetric('RoomPurgeFailures', MetricUnit.Count, 1);
    throw error;
  }
};

/**
 * A deleted room's purge, from the room-purge queue: each job re-stamps a
 * stretch of the room's messages with the deletion time as their expiry
 * (TTL then removes and the archive consumer archives them), then deletes
 * its room memory, and hands the rest to the next job. A job that fails is
 * reported in the partial batch response, retried, and dead-lettered after
 * its last attempt.
 */
export const handler = sqsJobConsumer(purgeRecord);
