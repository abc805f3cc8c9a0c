import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError, ParleyError } from '../../domain/errors';
import { agentSettingsSchema, completeSettings, type AgentConfig } from '../../domain/agents/config';
import type { AgentRepository } from '../../domain/agents/ports';
import type { PageQuery } from '../../domain/ports';
import type { Page } from '../../domain/types';
import { isConditionalCheckFailed, isTransactionConditionFailure } from './errors';
import { stringAttr, type Item } from './items';
import { queryAll } from './query-all';
import { AGENT_ENTITY, AGENT_SK_PREFIX, agentKey } from './agent-schema';
import { AGENT_COUNT_ATTRIBUTE, MODERATION_ENTITY, moderationSettingsKey } from './moderation-schema';

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

/**
 * Counts an agent in or out on the room's moderation settings item, which
 * sendMessage reads for every message: it stamps the message as being in a
 * room with agents from this count, at no extra request. Creates the item
 * (as a settings item with the default settings) when the room has none.
 */
const agentCountUpdate = (tableName: string, roomId: string, delta: 1 | -1) => ({
  Update: {
    TableName: tableName,
    Key: moderationSettingsKey(roomId),
    UpdateExpression: 'SET entity = if_not_exists(entity, :entity), roomId = if_not_exists(roomId, :roomId) ADD #count :delta',
    ExpressionAttributeNames: { '#count': AGENT_COUNT_ATTRIBUTE },
    ExpressionAttributeValues: { ':entity': MODERATION_ENTITY.settings, ':roomId': roomId, ':delta': delta },
  },
});

/**
 * Agents' configurations in the rooms table (see agent-schema.ts). Adding
 * and removing an agent also counts it on the room (see agentCountUpdate),
 * in the same transaction, so the count never drifts from the agent items.
 */
export class DynamoAgentRepository implements AgentRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createAgent(agent: AgentConfig): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: toItem(agent), ConditionExpression: 'attribute_not_exists(pk)' } },
            agentCountUpdate(this.tableName, agent.roomId, 1),
          ],
        }),
      );
    } catch (error) {
      if (!isTransactionConditionFailure(error, 0)) throw error;
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
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: this.tableName, Key: agentKey(roomId, handle), ConditionExpression: 'attribute_exists(pk)' } },
            agentCountUpdate(this.tableName, roomId, -1),
          ],
        }),
      );
      return true;
    } catch (error) {
      // No such agent: nothing was deleted, so nothing is counted out.
      if (isTransactionConditionFailure(error, 0)) return false;
      throw error;
    }
  }
}
