import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { MODERATION_TABLE } from '../../lambdas/adapters/dynamodb/moderation-schema';

export interface ModerationTableProps {
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  /** The messages' key: originals are message text, encrypted alike. */
  readonly encryptionKey: IKey;
}

/**
 * Moderation's table (lambdas/adapters/dynamodb/moderation-schema.ts): the
 * original text of redacted, quarantined and blocked messages, kept for the
 * room's moderators. A table of its own so that only the moderation
 * functions are granted it, encrypted with the customer managed key, and
 * each original expires by TTL.
 */
export class ModerationTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: ModerationTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: MODERATION_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: MODERATION_TABLE.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: MODERATION_TABLE.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
    });
  }
}
