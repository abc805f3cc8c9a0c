import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { MEMORY_TABLE } from '../../lambdas/adapters/dynamodb/memory-schema';
import { featureTable, type FeatureTableProps } from './feature-table';

export type MemoryTableProps = FeatureTableProps;

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
    this.table = featureTable(this, MEMORY_TABLE, props);
  }
}
