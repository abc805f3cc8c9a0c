import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, RateLimiter } from '../../domain/ports';
import { assertValidRateLimit, planGcra, type RateLimit } from '../../domain/rate-limit';
import { isConditionalCheckFailed } from './errors';
import { ENTITY } from './schema';

export interface DynamoRateLimiterOptions extends RateLimit {
  readonly clock: Clock;
}

/**
 * GCRA rate limiting on one item per key (RATE#<key> / RATE in the
 * connections table) holding the theoretical arrival time `tat` in ms.
 * Each decision is one or two conditional updates and never a
 * read-modify-write, so concurrent Lambdas cannot both take the last token.
 */
export class DynamoRateLimiter implements RateLimiter {
  private readonly limit: RateLimit;
  private readonly clock: Clock;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoRateLimiterOptions,
  ) {
    this.limit = { perSecond: options.perSecond, burst: options.burst };
    assertValidRateLimit(this.limit);
    this.clock = options.clock;
  }

  async tryAcquire(key: string): Promise<boolean> {
    const now = this.clock.now();
    const plan = planGcra(this.limit, now);
    const Key = { pk: `RATE#${key}`, sk: 'RATE' };

    // The key is new or idle: start again one interval from now.
    if (
      await this.conditionalUpdate({
        TableName: this.tableName,
        Key,
        UpdateExpression: 'SET tat = :idleTat, entity = :entity, expiresAt = :expiresAt',
        ConditionExpression: 'attribute_not_exists(tat) OR tat < :now',
        ExpressionAttributeValues: {
          ':idleTat': plan.idleTat,
          ':entity': ENTITY.rateLimit,
          ':expiresAt': plan.expiresAt,
          ':now': now,
        },
      })
    ) {
      return true;
    }

    // The key is busy: admit while the burst allowance is not spent.
    return this.conditionalUpdate({
      TableName: this.tableName,
      Key,
      UpdateExpression: 'SET tat = tat + :interval, expiresAt = :expiresAt',
      ConditionExpression: 'tat <= :latestAdmissibleTat',
      ExpressionAttributeValues: {
        ':interval': plan.intervalMs,
        ':expiresAt': plan.expiresAt,
        ':latestAdmissibleTat': plan.latestAdmissibleTat,
      },
    });
  }

  /** True when the update was applied, false when its condition failed. */
  private async conditionalUpdate(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
