import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REGENERATION_CLAIM_MS, type LiveReply, type LiveReplyStore, type RegenerationClaim } from '../../domain/agents/live-reply';
import { isConditionalCheckFailed } from './errors';
import { epochSeconds } from './items';
import { AGENT_ENTITY, liveReplyKey, regenerationKey } from './agent-schema';

/** A live reply's item outlives any reply (the worker's timeout is minutes), then TTL removes it. */
const KEEP_SECONDS = 3_600;

/** Replies while they stream, in the connections table (see agent-schema.ts): one small item each. */
export class DynamoLiveReplyStore implements LiveReplyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async start(reply: Omit<LiveReply, 'done' | 'stopRequestedBy'>, nowMs: number): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...liveReplyKey(reply.roomId, reply.replyId),
          entity: AGENT_ENTITY.liveReply,
          handle: reply.handle,
          triggerMessageId: reply.triggerMessageId,
          askedBy: reply.askedBy,
          expiresAt: epochSeconds(nowMs) + KEEP_SECONDS,
        },
      }),
    );
  }

  async get(roomId: string, replyId: string): Promise<LiveReply | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: liveReplyKey(roomId, replyId), ConsistentRead: true }),
    );
    if (Item === undefined || Item['entity'] !== AGENT_ENTITY.liveReply) return undefined;
    const stopRequestedBy = Item['stopRequestedBy'];
    return {
      roomId,
      replyId,
      handle: String(Item['handle']),
      triggerMessageId: String(Item['triggerMessageId']),
      askedBy: String(Item['askedBy']),
      done: Item['done'] === true,
      ...(typeof stopRequestedBy === 'string' ? { stopRequestedBy } : {}),
    };
  }

  /** One conditional UpdateItem: refused once the reply is stored, or when there is no such reply. */
  async requestStop(roomId: string, replyId: string, userId: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: liveReplyKey(roomId, replyId),
          UpdateExpression: 'SET stopRequestedBy = if_not_exists(stopRequestedBy, :userId)',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(done)',
          ExpressionAttributeValues: { ':userId': userId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** Eventually consistent (half a unit): a request missed now is read at the next check. */
  async stopRequested(roomId: string, replyId: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: liveReplyKey(roomId, replyId), ProjectionExpression: 'stopRequestedBy' }),
    );
    return typeof Item?.['stopRequestedBy'] === 'string';
  }

  /** Conditional on the item: a reply whose item is gone (expired) leaves no item without its TTL behind. */
  async finish(roomId: string, replyId: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: liveReplyKey(roomId, replyId),
          UpdateExpression: 'SET done = :true',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  /**
   * One conditional PutItem: refused while an unexpired claim exists. TTL
   * removes the item later; the condition treats it as gone from `expiresAt` on.
   */
  async claimRegeneration(claim: RegenerationClaim, nowMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...regenerationKey(claim.roomId, claim.handle, claim.triggerMessageId, claim.attempt),
            entity: AGENT_ENTITY.regeneration,
            requestedBy: claim.requestedBy,
            expiresAt: epochSeconds(nowMs + REGENERATION_CLAIM_MS),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': epochSeconds(nowMs) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async releaseRegeneration(claim: Omit<RegenerationClaim, 'requestedBy'>): Promise<void> {
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: regenerationKey(claim.roomId, claim.handle, claim.triggerMessageId, claim.attempt),
      }),
    );
  }
}
