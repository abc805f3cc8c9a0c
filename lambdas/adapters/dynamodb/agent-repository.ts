import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError, ParleyError } from '../../domain/errors';
import { agentSettingsSchema, completeSettings, type AgentConfig } from '../../domain/agents/config';
import type { AgentRepository } from '../../domain/agents/ports';
import type { PageQuery } from '../../domain/ports';
import type { Page } from '../../domain/types';
import { isConditionalCheckFailed } from './errors';
import { stringAttr, type Item } from './items';
import { queryAll } from './query-all';
import { AGENT_ENTITY, AGENT_SK_PREFIX, agentKey } from './agent-schema';

const toItem = (agent: AgentConfig): Item => ({ ...agentKey(agent.roomId, agent.handle), entity: AGENT_ENTITY.agent, ...agent });

/**
 * Reads a stored agent through the settings schema, so an item written
 * before a setting existed gets that setting's default.
 */
function toAgent(item: Item): AgentConfig {
  const parsed = agentSettingsSchema.safeParse(item);
  if (!parsed.success) throw new ParleyError('Stored agent does not have the shape of an agent.');
  return {
    ...completeSettings(parsed.data),
    roomId: stringAttr(item, 'roomId'),
    createdBy: stringAttr(item, 'createdBy'),
    createdAt: stringAttr(item, 'createdAt'),
    updatedAt: stringAttr(item, 'updatedAt'),
  };
}

/** Agents' configurations in the rooms table (see agent-schema.ts). */
export class DynamoAgentRepository implements AgentRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createAgent(agent: AgentConfig): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: toItem(agent), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      throw new ConflictError(`The room already has an agent @${agent.handle}.`, { cause: error });
    }
  }

  async replaceAgent(agent: AgentConfig): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: toItem(agent), ConditionExpression: 'attribute_exists(pk)' }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      throw new NotFoundError(`There is no agent @${agent.handle} in this room.`);
    }
  }

  async getAgent(roomId: string, handle: string): Promise<AgentConfig | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: agentKey(roomId, handle), ConsistentRead: true }),
    );
    return Item ? toAgent(Item) : undefined;
  }

  async listAgents(roomId: string): Promise<AgentConfig[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :agent)',
      ExpressionAttributeValues: { ':pk': `ROOM#${roomId}`, ':agent': AGENT_SK_PREFIX },
    });
    return items.map(toAgent);
  }

  /** One Query on the room's partition; the cursor is the last agent's handle. */
  async pageAgents(roomId: string, page: PageQuery): Promise<Page<AgentConfig>> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :agent)',
        ExpressionAttributeValues: { ':pk': `ROOM#${roomId}`, ':agent': AGENT_SK_PREFIX },
        Limit: page.limit,
        ...(page.cursor !== undefined ? { ExclusiveStartKey: agentKey(roomId, page.cursor) } : {}),
      }),
    );
    const lastSk = result.LastEvaluatedKey?.['sk'];
    return {
      items: (result.Items ?? []).map(toAgent),
      ...(typeof lastSk === 'string' && lastSk.startsWith(AGENT_SK_PREFIX)
        ? { nextCursor: lastSk.slice(AGENT_SK_PREFIX.length) }
        : {}),
    };
  }

  async deleteAgent(roomId: string, handle: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: agentKey(roomId, handle), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }
}
