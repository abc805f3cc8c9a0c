import { z } from 'zod';

/**
 * The retention and archive keys of Parley's configuration (lib/config.ts
 * spreads them into its schema), read from CDK context like every other key:
 * `cdk synth -c defaultRetention=90 -c archiveExpirationDays=3650`.
 */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Storage classes archive objects may move to; all keep objects in S3, listed by the same keys. */
export const ARCHIVE_STORAGE_CLASSES = ['GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as const;
export type ArchiveStorageClass = (typeof ARCHIVE_STORAGE_CLASSES)[number];

/** S3's minimum storage duration of each class, in days: expiring sooner is billed as if kept. */
const MINIMUM_DAYS: Record<ArchiveStorageClass, number> = { GLACIER_IR: 90, GLACIER: 90, DEEP_ARCHIVE: 180 };

export const retentionConfigShape = {
  /** Retention of rooms whose owner set none: `forever` or a number of days (1 to 3650). */
  defaultRetention: z.union([z.literal('forever'), integer(1, 3650)]).default(365),
  /** Days after which archive objects move to `archiveStorageClass`. */
  archiveTransitionDays: integer(1, 36_500).default(90),
  /**
   * Where archive objects move: Glacier Instant Retrieval keeps download links
   * working; with GLACIER or DEEP_ARCHIVE an object must be restored first.
   */
  archiveStorageClass: z.enum(ARCHIVE_STORAGE_CLASSES).default('GLACIER_IR'),
  /** Days after which archive objects are deleted for good. */
  archiveExpirationDays: integer(2, 36_500).default(2555),
  /** How long an owner's archive download links work, in seconds. */
  archiveLinkSeconds: integer(60, 3600).default(300),
  /** The most days one archive request may cover, `from` and `to` included. */
  archiveMaxRangeDays: integer(1, 366).default(31),
  /** Stream records per archive invocation: larger batches write fewer, larger objects. */
  archiveBatchSize: integer(1, 10_000).default(500),
  /** Seconds the archive's event source mapping may wait to fill a batch. */
  archiveBatchingWindowSeconds: integer(0, 300).default(30),
  /** Retries of a failing archive batch before it goes to the failure bucket. */
  archiveRetryAttempts: integer(0, 10_000).default(10),
} as const;

type RetentionConfig = {
  readonly archiveTransitionDays: number;
  readonly archiveStorageClass: ArchiveStorageClass;
  readonly archiveExpirationDays: number;
};

/** Cross-key checks of the retention configuration, for the schema's superRefine. */
export function checkRetentionConfig(config: RetentionConfig, ctx: z.RefinementCtx): void {
  const earliest = config.archiveTransitionDays + MINIMUM_DAYS[config.archiveStorageClass];
  if (config.archiveExpirationDays < earliest) {
    ctx.addIssue({
      code: 'custom',
      path: ['archiveExpirationDays'],
      message: `must be at least archiveTransitionDays + ${MINIMUM_DAYS[config.archiveStorageClass]} (${earliest}): ${config.archiveStorageClass} bills objects for that long`,
    });
  }
}
