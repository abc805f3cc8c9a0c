import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Scenario } from '../../domain/games/dialogue';
import type { ScenarioStore } from '../../domain/games/dialogue-ports';
import { gamesKeys } from './games-schema';

/**
 * A room's own scenarios in the games table: `ROOM#<roomId>` /
 * `SCENARIO#<scenarioId>`, the scenario as a map beside who uploaded it
 * and when. A room holds few (uploadScenario bounds them), so listing is
 * one Query.
 */
export class DynamoScenarioStore implements ScenarioStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listScenarios(roomId: string): Promise<Scenario[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': gamesKeys.room(roomId), ':prefix': gamesKeys.scenariosPrefix },
        ProjectionExpression: 'scenario',
      }),
    );
    return (result.Items ?? []).map((item) => item['scenario'] as Scenario);
  }

  async getScenario(roomId: string, scenarioId: string): Promise<Scenario | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: gamesKeys.room(roomId), sk: gamesKeys.scenario(scenarioId) } }),
    );
    return result.Item?.['scenario'] as Scenario | undefined;
  }

  async putScenario(roomId: string, scenario: Scenario, uploadedBy: string, uploadedAt: string): Promise<boolean> {
    const result = await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: gamesKeys.room(roomId), sk: gamesKeys.scenario(scenario.id), scenario, uploadedBy, uploadedAt },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return result.Attributes !== undefined;
  }
}
