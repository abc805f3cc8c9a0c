import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { INTEGRATIONS_TABLE } from '../../lambdas/adapters/dynamodb/integrations-schema';
import { featureTable, type FeatureTableProps } from './feature-table';

export type IntegrationsTableProps = FeatureTableProps;

/**
 * The integrations table (keys in lambdas/adapters/dynamodb/integrations-schema.ts):
 * per room, its API keys and their usage, its webhooks and their delivery
 * log. A table of its own, so only the HTTP API and webhook functions are
 * granted it, encrypted with the content key: webhooks hold signing secrets.
 */
export class IntegrationsTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: IntegrationsTableProps) {
    super(scope, id);
    this.table = featureTable(this, INTEGRATIONS_TABLE, props);
  }
}
