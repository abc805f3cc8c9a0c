import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ParleyError } from '../../domain/errors';
import type { Item } from './items';

/** Tries of a read DynamoDB leaves (partly) unprocessed under throttling, the first included. */
const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 25;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads a few items of one table (at most 100 keys) with one strongly
 * consistent BatchGetItem, in place of as many consistent GetItems: one
 * request and one round trip, the same read units. Keys DynamoDB leaves
 * unprocessed are asked for again with jittered backoff, a few times, then
 * the read fails rather than answer without them. Missing items are absent.
 */
export async function consistentBatchGet(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
): Promise<Item[]> {
  const found: Item[] = [];
  let pending = [...keys];
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const result = await client.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
    );
    found.push(...((result.Responses?.[tableName] ?? []) as Item[]));
    pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
    if (pending.length === 0) break;
    if (attempt >= MAX_ATTEMPTS) {
      throw new ParleyError(`BatchGetItem left ${pending.length} keys unprocessed after ${MAX_ATTEMPTS} attempts.`);
    }
    await sleep(Math.random() * BASE_DELAY_MS * 2 ** attempt);
  }
  return found;
}
