import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AmbientFloor } from '../../domain/agents/ports';
import { isConditionalCheckFailed } from './errors';
import { epochSeconds } from './items';
import { AGENT_ENTITY, floorKey } from './agent-schema';

/**
 * The floor for unprompted speech, one item per room in the connections
 * table, taken with a conditional write: it succeeds only when nobody holds
 * the floor, the holder's time is over, or the same claim is made again.
 */
export class DynamoAmbientFloor implements AmbientFloor {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async tryTake(
    roomId: string,
    claim: { handle: string; messageId: string; nowMs: number; untilMs: number },
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...floorKey(roomId),
            entity: AGENT_ENTITY.floor,
            handle: claim.handle,
            messageId: claim.messageId,
            untilMs: claim.untilMs,
            expiresAt: epochSeconds(claim.untilMs) + 60,
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR untilMs <= :now OR (#handle = :handle AND messageId = :messageId)',
          ExpressionAttributeNames: { '#handle': 'handle' },
          ExpressionAttributeValues: { ':now': claim.nowMs, ':handle': claim.handle, ':messageId': claim.messageId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
