import { DynamoRetentionRepository } from '../adapters/dynamodb/retention-repository';
import { S3FailedBatchStore } from '../adapters/s3/archive-failed-batches';
import { S3ArchiveStore } from '../adapters/s3/archive-store';
import { parseRetentionPeriod, type RetentionPeriod } from '../domain/retention/policy';
import { cachedRetention } from '../use-cases/retention/retention-lookup';
import { systemClock } from './chat';
import { dynamoDocumentClient, s3Client } from './clients';
import { ENV, RETENTION_ENV, intEnv, optionalEnv, requireEnv } from './env';

/**
 * Retention and the archive's wiring: rooms' retention policies, for every
 * function that stores messages, and builders for the archive's adapters,
 * each from the environment variable its construct's bindX() helper sets.
 * Handlers call them once, at cold start. A function that only stores
 * messages bundles no S3 client: it never calls the archive's builders.
 */

/** The stack-wide default retention; a deployment without one keeps messages forever. */
export const defaultRetention = (): RetentionPeriod =>
  parseRetentionPeriod(optionalEnv(RETENTION_ENV.defaultRetention) ?? 'forever');

export const retentionRepository = () =>
  new DynamoRetentionRepository(dynamoDocumentClient(), requireEnv(ENV.roomsTable));

/** Rooms' policies, cached per container for RETENTION_CACHE_SECONDS (default 60). */
export const retentionLookup = () =>
  cachedRetention(retentionRepository(), {
    defaultDays: defaultRetention(),
    clock: systemClock,
    ttlMs: intEnv(RETENTION_ENV.retentionCacheSeconds, 60) * 1000,
  });

export const archiveStore = () => new S3ArchiveStore(s3Client(), requireEnv(RETENTION_ENV.archiveBucket));

export const failedBatches = () =>
  new S3FailedBatchStore(s3Client(), requireEnv(RETENTION_ENV.archiveFailuresBucket));
