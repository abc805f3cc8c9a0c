/**
 * Environment variables of the retention and archive functions, set by the
 * function construct's retention bindings (lib/constructs/parley-function.ts).
 */
export const RETENTION_ENV = {
  /** The message archive bucket. */
  archiveBucket: 'ARCHIVE_BUCKET',
  /** The bucket the archive consumer's event source mapping sends failed batches to. */
  archiveFailuresBucket: 'ARCHIVE_FAILURES_BUCKET',
  /** Retention of rooms without a policy: `forever` or a number of days. */
  defaultRetention: 'DEFAULT_RETENTION',
  /** How long a function instance reuses a room's policy, in seconds. */
  retentionCacheSeconds: 'RETENTION_CACHE_SECONDS',
  /** How long archive download links work, in seconds. */
  archiveLinkSeconds: 'ARCHIVE_LINK_SECONDS',
  /** The longest date range one getArchive request may span, in days. */
  archiveMaxRangeDays: 'ARCHIVE_MAX_RANGE_DAYS',
} as const;
