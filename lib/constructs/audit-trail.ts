import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AUDIT_TABLE } from '../../lambdas/adapters/dynamodb/audit-schema';

export interface AuditTrailProps {
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  readonly encryptionKey: IKey;
  /** How long each archived object is locked against change and deletion. */
  readonly retentionDays: number;
  /** `compliance`: no one, not even the account root, can shorten the lock; `governance`: specially permitted users can. */
  readonly lockMode: 'compliance' | 'governance';
  /** Whether the archive bucket has Object Lock (LocalStack lacks it). @default true */
  readonly objectLock?: boolean;
}

/**
 * The audit trail: an append-only DynamoDB table that the functions read
 * and add to (the infrastructure tests check that no function may update or
 * delete it), streamed into an S3 bucket with Object Lock, where each
 * archived object stays unalterable for the retention period.
 */
export class AuditTrail extends Construct {
  readonly table: Table;
  readonly archive: Bucket;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    // Log delivery through a bucket policy rather than the legacy ACL.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: AUDIT_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: AUDIT_TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
      stream: StreamViewType.NEW_IMAGE,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: AUDIT_TABLE.byTimeIndex.name,
      partitionKey: { name: AUDIT_TABLE.byTimeIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: AUDIT_TABLE.byTimeIndex.sortKey, type: AttributeType.STRING },
    });

    const accessLogs = new Bucket(this, 'ArchiveAccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
      lifecycleRules: [{ expiration: Duration.days(Math.max(props.retentionDays, 90)) }],
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the audit archive bucket’s server access logs; logging it to itself would loop.',
    });

    const retention = Duration.days(props.retentionDays);
    this.archive = new Bucket(this, 'Archive', {
      versioned: true,
      ...((props.objectLock ?? true)
        ? {
            objectLockEnabled: true,
            objectLockDefaultRetention:
              props.lockMode === 'compliance' ? ObjectLockRetention.compliance(retention) : ObjectLockRetention.governance(retention),
          }
        : {}),
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'archive/',
      removalPolicy: props.removalPolicy,
    });
  }
}
