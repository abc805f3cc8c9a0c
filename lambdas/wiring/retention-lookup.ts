import { dynamoDocumentClient } from '../adapters/clients';
import { DynamoRetentionRepository } from '../adapters/dynamodb/retention-repository';
import { parseRetentionPeriod, type RetentionPeriod } from '../domain/retention/policy';
import { ENV, intEnv, requireEnv } from '../shared/env';
import { cachedRetention } from '../use-cases/retention/retention-lookup';
import { systemClock } from './dependencies';
import { RETENTION_ENV } from './retention-env';

// Rooms' retention policies, for every function that stores messages. Kept
// apart from the archive's builders so that storing a message never pulls
// the S3 client into a bundle.

/** The stack-wide default retention; a deployment without one keeps messages forever. */
export const defaultRetention = (): RetentionPeriod =>
  parseRetentionPeriod(process.env[RETENTION_ENV.defaultRetention] || 'forever');

export const retentionRepository = () =>
  new DynamoRetentionRepository(dynamoDocumentClient(), requireEnv(ENV.roomsTable));

/** Rooms' policies, cached per container for RETENTION_CACHE_SECONDS (default 60). */
export const retentionLookup = () =>
  cachedRetention(retentionRepository(), {
    defaultDays: defaultRetention(),
    clock: systemClock,
    ttlMs: intEnv(RETENTION_ENV.retentionCacheSeconds, 60) * 1000,
  });

