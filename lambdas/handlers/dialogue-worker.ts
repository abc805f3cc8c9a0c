import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

/** Placeholder entry point while the dialogue worker is built: every job is handed back, to be retried or dead-lettered. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => ({
  batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })),
});
