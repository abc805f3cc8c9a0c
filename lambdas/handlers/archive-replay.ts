import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import * as z from 'zod/mini';
import { ValidationError } from '../domain/errors';
import { logger, metrics, traceHandler } from '../shared/observability';
import { replayFailedBatches, type ReplayDeps, type ReplayReport } from '../use-cases/retention/replay-failed-batches';
import { auditLog } from '../wiring/chat';
import { archiveStore, failedBatches, retentionLookup } from '../wiring/retention';

const deps: ReplayDeps = {
  archive: archiveStore(),
  retention: retentionLookup(),
  audit: auditLog(),
  failures: failedBatches(),
};

const requestSchema = z.object({ limit: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 100) });

/**
 * Replays the archive consumer's failed batches from its S3 failure
 * destination, once the cause is fixed. Invoked by an operator:
 *
 *   aws lambda invoke --function-name <ArchiveReplay function> --payload '{"limit":100}' out.json
 *
 * Answers with what was replayed and what failed again; run it until
 * `more` is false and `failed` is empty.
 */
export const handler = middy<unknown, ReplayReport>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const parsed = requestSchema.safeParse(event ?? {});
    if (!parsed.success) throw new ValidationError('The payload is {"limit": 1..1000} or empty.');
    const report = await replayFailedBatches(deps, { limit: parsed.data.limit });
    metrics.addMetric('FailedBatchesReplayed', MetricUnit.Count, report.replayed.length);
    metrics.addMetric('FailedBatchesStillFailing', MetricUnit.Count, report.failed.length);
    logger.info('failed batches replayed', {
      replayed: report.replayed.length,
      failed: report.failed.length,
      more: report.more,
    });
    return report;
  });
