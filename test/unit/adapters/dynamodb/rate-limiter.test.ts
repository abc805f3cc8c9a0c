import { DynamoDBDocumentClient, GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoRateLimiter } from '../../../../lambdas/adapters/dynamodb/rate-limiter';
import type { Clock } from '../../../../lambdas/domain/ports';
import { conditionalCheckFailed, documentClient } from '../../../support/dynamodb';

const TABLE = 'connections';
const ddb = mockClient(DynamoDBDocumentClient);

const manualClock = (start: number) => {
  let now = start;
  const clock: Clock = { now: () => now };
  return { clock, at: (ms: number) => (now = ms) };
};

/**
 * Evaluates the limiter's two conditional updates against one in-memory
 * `tat`, the way DynamoDB would, so sequences of decisions can be checked.
 */
const emulateTable = () => {
  const state: { tat?: number } = {};
  ddb.on(UpdateCommand).callsFake((input: UpdateCommandInput) => {
    const values = input.ExpressionAttributeValues ?? {};
    if (input.ConditionExpression === 'attribute_not_exists(tat) OR tat < :now') {
      if (state.tat === undefined || state.tat < values[':now']) {
        state.tat = values[':idleTat'];
        return Promise.resolve({});
      }
    } else if (input.ConditionExpression === 'tat <= :latestAdmissibleTat') {
      if (state.tat !== undefined && state.tat <= values[':latestAdmissibleTat']) {
        state.tat += values[':interval'];
        return Promise.resolve({});
      }
    } else {
      return Promise.reject(new Error(`unexpected condition ${input.ConditionExpression}`));
    }
    return Promise.reject(conditionalCheckFailed());
  });
  return state;
};

afterEach(() => {
  ddb.reset();
});

describe('DynamoRateLimiter', () => {
  it('first tries to start an idle key, with a TTL after the TAT', async () => {
    ddb.on(UpdateCommand).resolves({});
    const { clock } = manualClock(10_000);
    const limiter = new DynamoRateLimiter(documentClient(), TABLE, { perSecond: 5, burst: 3, clock });

    const allowed = await limiter.tryAcquire('alice');

    expect(allowed).toBe(true);
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(UpdateCommand, {
      TableName: TABLE,
      Key: { pk: 'RATE#alice', sk: 'RATE' },
      UpdateExpression: 'SET tat = :idleTat, entity = :entity, expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(tat) OR tat < :now',
      ExpressionAttributeValues: { ':idleTat': 10_200, ':entity': 'rateLimit', ':expiresAt': 11 + 60, ':now': 10_000 },
    });
  });

  it('then advances a busy key within its burst allowance', async () => {
    ddb.on(UpdateCommand).rejectsOnce(conditionalCheckFailed()).resolves({});
    const { clock } = manualClock(10_000);
    const limiter = new DynamoRateLimiter(documentClient(), TABLE, { perSecond: 5, burst: 3, clock });

    const allowed = await limiter.tryAcquire('alice');

    expect(allowed).toBe(true);
    expect(ddb).toHaveReceivedNthCommandWith(UpdateCommand, 2, {
      TableName: TABLE,
      Key: { pk: 'RATE#alice', sk: 'RATE' },
      UpdateExpression: 'SET tat = tat + :interval, expiresAt = :expiresAt',
      ConditionExpression: 'tat <= :latestAdmissibleTat',
      ExpressionAttributeValues: { ':interval': 200, ':expiresAt': 11 + 60, ':latestAdmissibleTat': 10_400 },
    });
  });

  it('denies when both conditions fail, never reading the item', async () => {
    ddb.on(UpdateCommand).rejects(conditionalCheckFailed());
    const { clock } = manualClock(0);
    const limiter = new DynamoRateLimiter(documentClient(), TABLE, { perSecond: 1, burst: 1, clock });

    const allowed = await limiter.tryAcquire('alice');

    expect(allowed).toBe(false);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });

  it('rethrows failures other than a failed condition', async () => {
    ddb.on(UpdateCommand).rejects(new Error('throttled'));
    const { clock } = manualClock(0);
    const limiter = new DynamoRateLimiter(documentClient(), TABLE, { perSecond: 1, burst: 1, clock });

    await expect(limiter.tryAcquire('alice')).rejects.toThrow('throttled');
  });

  it('admits a burst, then one request per interval', async () => {
    emulateTable();
    const { clock, at } = manualClock(0);
    const limiter = new DynamoRateLimiter(documentClient(), TABLE, { perSecond: 2, burst: 3, clock });

    const decisions: boolean[] = [];
    for (const ms of [0, 0, 0, 0, 499, 500, 600, 1000, 1000]) {
      at(ms);
      decisions.push(await limiter.tryAcquire('alice'));
    }

    expect(decisions).toEqual([true, true, true, false, false, true, false, true, false]);
  });

  it('recovers the full burst after an idle period', async () => {
    emulateTable();
    const { clock, at } = manualClock(0);
    const limiter = new DynamoRateLimiter(documentClient(), TABLE, { perSecond: 10, burst: 2, clock });
    for (let i = 0; i < 3; i += 1) await limiter.tryAcquire('alice');

    at(60_000);
    const decisions = [await limiter.tryAcquire('alice'), await limiter.tryAcquire('alice'), await limiter.tryAcquire('alice')];

    expect(decisions).toEqual([true, true, false]);
  });

  it('rejects an unusable configuration', () => {
    const { clock } = manualClock(0);

    expect(() => new DynamoRateLimiter(documentClient(), TABLE, { perSecond: 0, burst: 1, clock })).toThrow('perSecond');
  });
});
