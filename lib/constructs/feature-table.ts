import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export interface FeatureTableProps {
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  /** The messages' key: a feature table holds message text or quotes it, so it is encrypted alike. */
  readonly encryptionKey: IKey;
}

export interface FeatureTableKeys {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly ttlAttribute: string;
}

/**
 * A table one feature keeps to itself (so only its functions are granted
 * it): string keys from the feature's schema, on-demand, point-in-time
 * recovery, items expiring by TTL, encrypted with the content key.
 */
export function featureTable(scope: Construct, keys: FeatureTableKeys, props: FeatureTableProps): Table {
  return new Table(scope, 'Table', {
    partitionKey: { name: keys.partitionKey, type: AttributeType.STRING },
    sortKey: { name: keys.sortKey, type: AttributeType.STRING },
    timeToLiveAttribute: keys.ttlAttribute,
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: props.encryptionKey,
    deletionProtection: props.deletionProtection,
    removalPolicy: props.removalPolicy,
  });
}
