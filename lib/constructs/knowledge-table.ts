import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { KNOWLEDGE_TABLE } from '../../lambdas/adapters/dynamodb/knowledge-schema';
import { featureTable, type FeatureTableProps } from './feature-table';

export type KnowledgeTableProps = FeatureTableProps;

/**
 * The knowledge table (keys in lambdas/adapters/dynamodb/knowledge-schema.ts):
 * per room, its documents' records and their index's chunks. A table of its
 * own, so only the documents, ingestion and purge functions are granted it,
 * and encrypted with the content key: chunks quote the documents.
 */
export class KnowledgeTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: KnowledgeTableProps) {
    super(scope, id);
    this.table = featureTable(this, KNOWLEDGE_TABLE, props);
  }
}
