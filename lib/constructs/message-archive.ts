import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ArchiveStorageClass } from '../retention-config';
import { privateBucket } from './private-bucket';

export interface MessageArchiveProps {
  readonly removalPolicy: RemovalPolicy;
  /** The key that encrypts messages in DynamoDB encrypts them in S3 too. */
  readonly encryptionKey: IKey;
  readonly transitionAfterDays: number;
  readonly storageClass: ArchiveStorageClass;
  readonly expireAfterDays: number;
}

const STORAGE_CLASS: Record<ArchiveStorageClass, StorageClass> = {
  GLACIER_IR: StorageClass.GLACIER_INSTANT_RETRIEVAL,
  GLACIER: StorageClass.GLACIER,
  DEEP_ARCHIVE: StorageClass.DEEP_ARCHIVE,
};

/** Previous versions of rewritten or replayed objects are kept this long. */
const NONCURRENT_DAYS = 30;

/**
 * Where messages go when they leave DynamoDB: the archive bucket (gzip JSON
 * Lines by room and day, see lambdas/domain/retention/archive.ts) and the
 * bucket where the archive consumer's event source mapping keeps batches it
 * gave up on, with their records, until they are replayed.
 *
 * Both are KMS-encrypted with the content key (with S3 Bucket Keys, so a
 * write is not a KMS call), block public access, refuse requests without
 * TLS, are versioned (an overwrite or a delete keeps the previous version for
 * a while) and log their access to a third bucket.
 */
export class MessageArchive extends Construct {
  readonly bucket: Bucket;
  readonly failures: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: MessageArchiveProps) {
    super(scope, id);
    // Log delivery through a bucket policy rather than the legacy ACL.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    const secure = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy,
    } as const;

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...secure,
      // Server access log delivery does not support KMS-encrypted target buckets.
      encryption: BucketEncryption.S3_MANAGED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the message archive buckets’ server access logs; logging it to itself would loop.',
    });

    const encrypted = {
      removalPolicy: props.removalPolicy,
      encryptionKey: props.encryptionKey,
      accessLogs: this.accessLogs,
      versioned: true,
    } as const;

    this.bucket = privateBucket(this, 'Archive', {
      ...encrypted,
      accessLogsPrefix: 'archive/',
      lifecycleRules: [
        {
          id: 'age-out-archived-messages',
          transitions: [
            {
              storageClass: STORAGE_CLASS[props.storageClass],
              transitionAfter: Duration.days(props.transitionAfterDays),
            },
          ],
          expiration: Duration.days(props.expireAfterDays),
          noncurrentVersionExpiration: Duration.days(NONCURRENT_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        // Delete markers left by expiration would otherwise stay forever.
        { id: 'remove-expired-markers', expiredObjectDeleteMarker: true },
      ],
    });

    this.failures = privateBucket(this, 'FailedBatches', {
      ...encrypted,
      accessLogsPrefix: 'failed-batches/',
      // A failed batch stays until it is replayed: no expiration of current objects.
      lifecycleRules: [
        {
          id: 'forget-replayed-batches',
          noncurrentVersionExpiration: Duration.days(NONCURRENT_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        { id: 'remove-replayed-markers', expiredObjectDeleteMarker: true },
      ],
    });
  }
}
