import type { RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, type CorsRule, type IBucket, type LifecycleRule, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** Server access logs are delivered through the log bucket's policy rather than the legacy ACL. */
const LOGS_USE_BUCKET_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

export interface PrivateBucketProps {
  readonly removalPolicy: RemovalPolicy;
  /** The content key: what Parley stores in S3 is as private as the messages. */
  readonly encryptionKey: IKey;
  /** Where access logs go (the archive's log bucket), under `accessLogsPrefix`. */
  readonly accessLogs: IBucket;
  readonly accessLogsPrefix: string;
  readonly lifecycleRules: LifecycleRule[];
  readonly versioned?: boolean;
  readonly cors?: CorsRule[];
}

/**
 * A bucket one feature keeps its objects in: public access blocked, TLS
 * only, owned by the bucket owner (no ACLs), KMS-encrypted with the content
 * key and S3 Bucket Keys, access logged; what differs is the lifecycle,
 * versioning and CORS. Call it before `scope` has other children: it sets
 * the log delivery context on the scope, which CDK allows only then.
 */
export function privateBucket(scope: Construct, id: string, props: PrivateBucketProps): Bucket {
  if (scope.node.tryGetContext(LOGS_USE_BUCKET_POLICY) !== true) scope.node.setContext(LOGS_USE_BUCKET_POLICY, true);
  return new Bucket(scope, id, {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: props.removalPolicy,
    ...(props.versioned === true ? { versioned: true } : {}),
    encryption: BucketEncryption.KMS,
    encryptionKey: props.encryptionKey,
    bucketKeyEnabled: true,
    serverAccessLogsBucket: props.accessLogs,
    serverAccessLogsPrefix: props.accessLogsPrefix,
    ...(props.cors !== undefined ? { cors: props.cors } : {}),
    lifecycleRules: props.lifecycleRules,
  });
}
