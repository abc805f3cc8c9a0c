import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CLOSED, type CircuitState } from '../../domain/agents/circuit-breaker';
import type { ModelCircuitStore, StoredCircuit } from '../../domain/agents/ports';
import { isConditionalCheckFailed } from './errors';
import { AGENT_ENTITY, modelCircuitKey } from './agent-schema';

const numberOr = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);

/** The circuit an item holds; an unreadable one counts as closed, never as a reason to refuse jobs. */
function circuitOf(item: Record<string, unknown>): CircuitState {
  switch (item['state']) {
    case 'open':
      return { state: 'open', openedAt: numberOr(item['openedAt'], 0) };
    case 'halfOpen':
      return { state: 'halfOpen', probeStartedAt: numberOr(item['probeStartedAt'], 0) };
    default:
      return { state: 'closed', failures: numberOr(item['failures'], 0), windowStartedAt: numberOr(item['windowStartedAt'], 0) };
  }
}

/**
 * Each model's circuit breaker, one item per model in the connections
 * table (see agent-schema.ts), with a version number: a write succeeds only
 * if the version is still the one the worker read, so two workers never
 * both open the circuit or both claim its probe.
 */
export class DynamoModelCircuitStore implements ModelCircuitStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * An eventually consistent read (half the cost): a stale read at worst
   * lets one more job call a model that just failed, and every change is
   * written against the version read, so a stale one never wins.
   */
  async read(modelId: string): Promise<StoredCircuit> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: modelCircuitKey(modelId) }));
    if (!Item) return { circuit: CLOSED, version: 0 };
    return { circuit: circuitOf(Item), version: numberOr(Item['version'], 0) };
  }

  async write(modelId: string, next: CircuitState, expected: StoredCircuit): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...modelCircuitKey(modelId), entity: AGENT_ENTITY.circuit, modelId, ...next, version: expected.version + 1 },
          ...(expected.version === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': expected.version } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
