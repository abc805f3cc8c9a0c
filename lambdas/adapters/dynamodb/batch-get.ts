import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ParleyError } from '../../domain/errors';
import type { BatchRetryOptions } from './batch-write';
import type { Item } from './items';

/** BatchGetItem's limit of keys per call. */
const MAX_BATCH = 100;
const MAX_DELAY_MS = 1_000;

/**
 * A few items read consistently on a request's path (a send, a memory
 * change): fewer and shorter retries than a bulk read, so a throttled read
 * fails the request soon rather than hold it.
 */
export const CONSISTENT_READ = { consistentRead: true, maxAttempts: 4, baseDelayMs: 25 } as const;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads the items of `keys` from one table with BatchGetItem, 100 keys per
 * call, retrying the keys DynamoDB leaves unprocessed (under throttling)
 * with jittered exponential backoff, as batchWriteAll does for writes.
 * Missing items are simply absent from the result, in no particular order.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
  /** The attributes to read; every attribute when absent. */
  projection: string | undefined,
  /** `consistentRead`: strongly consistent reads (the same read units as as many consistent GetItems). */
  options: BatchRetryOptions & { readonly consistentRead?: boolean } = {},
): Promise<Item[]> {
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const found: Item[] = [];
  for (let start = 0; start < keys.length; start += MAX_BATCH) {
    let pending = keys.slice(start, start + MAX_BATCH) as Item[];
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const result = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ...(projection !== undefined ? { ProjectionExpression: projection } : {}),
              ...(options.consistentRead ? { ConsistentRead: true } : {}),
            },
          },
        }),
      );
      found.push(...(result.Responses?.[tableName] ?? []));
      pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
      if (pending.length === 0) break;
      if (attempt >= maxAttempts) {
        throw new ParleyError(`BatchGetItem left ${pending.length} keys unprocessed after ${maxAttempts} attempts.`);
      }
      await sleep(Math.random() * Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** attempt));
    }
  }
  return found;
}
