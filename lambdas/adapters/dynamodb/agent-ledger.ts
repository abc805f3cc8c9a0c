import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TokenLedger } from '../../domain/agents/ports';
import { isConditionalCheckFailed } from './errors';
import { epochSeconds } from './items';
import { AGENT_ENTITY, budgetKey } from './agent-schema';

/** Counters outlive their day by this much, then TTL removes them. */
const KEEP_SECONDS = 3 * 86_400;

const expiresAt = (day: string): number => epochSeconds(Date.parse(`${day}T00:00:00Z`)) + KEEP_SECONDS;

/** Daily token usage per room and agent, in the connections table (see agent-schema.ts). */
export class DynamoTokenLedger implements TokenLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async used(roomId: string, handle: string, day: string): Promise<number> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: budgetKey(roomId, handle, day), ConsistentRead: true }),
    );
    const tokens = Item?.['tokens'];
    return typeof tokens === 'number' ? tokens : 0;
  }

  /** One UpdateItem with ADD: concurrent replies add up, none is lost. */
  async add(roomId: string, handle: string, day: string, tokens: number): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: budgetKey(roomId, handle, day),
        UpdateExpression: 'ADD tokens :tokens SET entity = :entity, expiresAt = :expiresAt',
        ExpressionAttributeValues: {
          ':tokens': Math.max(0, Math.round(tokens)),
          ':entity': AGENT_ENTITY.budget,
          ':expiresAt': expiresAt(day),
        },
      }),
    );
  }

  async claimBudgetNotice(roomId: string, handle: string, day: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: budgetKey(roomId, handle, day),
          UpdateExpression: 'SET noticeSent = :true, entity = :entity, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(noticeSent)',
          ExpressionAttributeValues: { ':true': true, ':entity': AGENT_ENTITY.budget, ':expiresAt': expiresAt(day) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
