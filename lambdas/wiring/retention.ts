import { S3Client } from '@aws-sdk/client-s3';
import { dynamoDocumentClient } from '../adapters/clients';
import { DynamoMessageRepository } from '../adapters/dynamodb/message-repository';
import { RetentionStampedMessages } from '../adapters/dynamodb/retention-message-repository';
import { S3FailedBatchStore } from '../adapters/s3/archive-failed-batches';
import { S3ArchiveStore } from '../adapters/s3/archive-store';
import { ENV, requireEnv } from '../shared/env';
import { RETENTION_ENV } from './retention-env';
import { retentionLookup } from './retention-lookup';

export { defaultRetention, retentionLookup, retentionRepository } from './retention-lookup';

/**
 * Builders for the retention and archive adapters, each from the environment
 * variable its construct's bindX() helper sets. Handlers call them once, at
 * cold start.
 */
let s3: S3Client | undefined;

/**
 * One S3 client per container. Its endpoint comes from the SDK's standard
 * configuration (AWS_ENDPOINT_URL_S3 for a local engine); nothing here
 * differs between AWS and a local run.
 */
export function s3Client(): S3Client {
  s3 ??= new S3Client({});
  return s3;
}

/** The messages table, with each new message's TTL set from its room's retention. */
export const retentionStampedMessages = () => {
  const client = dynamoDocumentClient();
  const tableName = requireEnv(ENV.messagesTable);
  return new RetentionStampedMessages(
    retentionLookup(),
    (expiresAt) => new DynamoMessageRepository(client, tableName, { expiresAt }),
  );
};

export const archiveStore = () => new S3ArchiveStore(s3Client(), requireEnv(RETENTION_ENV.archiveBucket));

export const failedBatches = () =>
  new S3FailedBatchStore(s3Client(), requireEnv(RETENTION_ENV.archiveFailuresBucket));
