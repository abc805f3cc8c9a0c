import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CONNECTIONS_TABLE, MESSAGES_TABLE, ROOMS_TABLE } from '../../lambdas/adapters/dynamodb/schema';

export interface ChatTablesProps {
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
}

/**
 * Parley's three tables, keyed from lambdas/adapters/dynamodb/schema.ts so
 * the adapters and the infrastructure share one definition.
 *
 * Encryption: the rooms table (room names, memberships) and the messages
 * table (what people write) hold user content, so they use a customer managed
 * key: access to the data then also needs access to the key, the key's use is
 * audited in CloudTrail, and disabling it cuts off the data. The connections
 * table holds only connection ids, user ids and rate-limit counters, has
 * short-lived items and is read on every message fan-out, so it keeps
 * DynamoDB's default AWS owned key and avoids KMS calls on the hot path.
 */
export class ChatTables extends Construct {
  readonly key: Key;
  readonly rooms: Table;
  readonly messages: Table;
  readonly connections: Table;

  constructor(scope: Construct, id: string, props: ChatTablesProps) {
    super(scope, id);
    const common = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    } as const;

    this.key = new Key(this, 'ContentKey', {
      description: 'Encrypts Parley rooms and messages at rest',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });

    this.rooms = new Table(this, 'Rooms', {
      ...common,
      partitionKey: { name: ROOMS_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: ROOMS_TABLE.sortKey, type: AttributeType.STRING },
      // Invitations expire: TTL removes them some time after their expiry, and reads refuse them at once.
      timeToLiveAttribute: ROOMS_TABLE.ttlAttribute,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
    });
    // Every index projects ALL: listing a user's rooms, the public rooms and
    // the names that match a search returns the items themselves, and
    // KEYS_ONLY would cost a GetItem per result on each listing path.
    for (const index of [ROOMS_TABLE.byUserIndex, ROOMS_TABLE.publicRoomsIndex, ROOMS_TABLE.nameIndex]) {
      this.rooms.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    this.messages = new Table(this, 'Messages', {
      ...common,
      partitionKey: { name: MESSAGES_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: MESSAGES_TABLE.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: MESSAGES_TABLE.ttlAttribute,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
    });

    this.connections = new Table(this, 'Connections', {
      ...common,
      partitionKey: { name: CONNECTIONS_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: CONNECTIONS_TABLE.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: CONNECTIONS_TABLE.ttlAttribute,
      encryption: TableEncryption.DEFAULT,
    });
  }
}
