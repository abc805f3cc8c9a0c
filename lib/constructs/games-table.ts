import { AttributeType, ProjectionType, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { BY_POINTS_INDEX, GAMES_TABLE } from '../../lambdas/adapters/dynamodb/games-schema';
import { featureTable, type FeatureTableProps } from './feature-table';

export type GamesTableProps = FeatureTableProps;

/**
 * The games table (keys in lambdas/adapters/dynamodb/games-schema.ts):
 * imposter rounds with their lines and votes, leaderboards, and dialogues
 * with their scenarios and turns. A table of its own, so only the games'
 * functions (and a deleted room's purge) are granted it, encrypted with the
 * content key: round lines and dialogue turns are text people wrote.
 *
 * The sparse `byPoints` index holds leaderboard items only (only they carry
 * `board`), sorted by points: a top N is one Query, a rank one COUNT.
 */
export class GamesTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: GamesTableProps) {
    super(scope, id);
    this.table = featureTable(this, GAMES_TABLE, props);
    this.table.addGlobalSecondaryIndex({
      indexName: BY_POINTS_INDEX.name,
      partitionKey: { name: BY_POINTS_INDEX.partitionKey, type: AttributeType.STRING },
      sortKey: { name: BY_POINTS_INDEX.sortKey, type: AttributeType.NUMBER },
      // What a leaderboard row shows, and no more.
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: ['playerId', 'kind', 'displayName', 'rounds'],
    });
  }
}
