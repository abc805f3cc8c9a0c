import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { MODERATION_TABLE } from '../../lambdas/adapters/dynamodb/moderation-schema';
import { featureTable, type FeatureTableProps } from './feature-table';

export type ModerationTableProps = FeatureTableProps;

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
    this.table = featureTable(this, MODERATION_TABLE, props);
  }
}
