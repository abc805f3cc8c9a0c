import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { toAuditRecord } from '../adapters/dynamodb/audit-log';
import { logger, traceHandler } from '../shared/observability';
import { archiveAuditRecords } from '../use-cases/audit/archive-audit';
import { auditArchive } from '../wiring/moderation';

const archive = auditArchive();

/**
 * Copies new audit entries from the audit table's stream to the Object Lock
 * bucket, one JSON Lines object per batch. The batch is the unit of work
 * (one object), so there is no partial batch response: a failure fails the
 * batch, which the event source mapping retries, bisects, and finally sends
 * to the failure queue. A retried batch finds its object written and writes
 * nothing more.
 */
export const handler = middy<DynamoDBStreamEvent, void>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const records = event.Records.filter((r) => r.dynamodb?.NewImage !== undefined);
    const first = records[0]?.dynamodb;
    const last = records.at(-1)?.dynamodb;
    if (!first || !last) return;
    const { key, outcome } = await archiveAuditRecords(archive, {
      firstSequence: String(first.SequenceNumber),
      lastSequence: String(last.SequenceNumber),
      firstRecordAt: new Date((first.ApproximateCreationDateTime ?? 0) * 1000),
      records: records.map((r) => toAuditRecord(unmarshall(r.dynamodb!.NewImage as Parameters<typeof unmarshall>[0]))),
    });
    logger.info('audit batch archived', { key, outcome, entries: records.length });
  });
