import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { MEMORY_TABLE } from '../../lambdas/adapters/dynamodb/memory-schema';

export interface MemoryTableProps {
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  /** The key the messages are encrypted with: memory quotes them, so it is encrypted alike. */
  readonly encryptionKey: IKey;
}

/**
 * Room memory's table (keys in lambdas/adapters/dynamodb/memory-schema.ts):
 * per room, the windows of remembered messages, the rolling summaries, the
 * per-message markers and the room's cursor. A table of its own so the
 * memory consumer can write it without any write access to the messages,
 * and so its writes add no records to the messages table's stream.
 */
export class MemoryTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: MemoryTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: MEMORY_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: MEMORY_TABLE.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: MEMORY_TABLE.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });
  }
}
