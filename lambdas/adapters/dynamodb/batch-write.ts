import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ParleyError } from '../../domain/errors';

export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

export interface BatchRetryOptions {
  /** Calls per chunk before giving up on unprocessed items (default 6). */
  readonly maxAttempts?: number;
  /** Base of the exponential backoff between calls (default 50 ms, capped at 1 s). */
  readonly baseDelayMs?: number;
}

/** BatchWriteItem's limit of requests per call. */
const MAX_BATCH = 25;
const MAX_DELAY_MS = 1_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes `requests` to one table with BatchWriteItem, 25 per call, and
 * retries the items DynamoDB leaves unprocessed (under throttling) with
 * jittered exponential backoff. Throws when items are still unprocessed
 * after `maxAttempts` calls, so nothing is silently lost.
 */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  options: BatchRetryOptions = {},
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 50;
  for (let start = 0; start < requests.length; start += MAX_BATCH) {
    let pending = requests.slice(start, start + MAX_BATCH);
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = result.UnprocessedItems?.[tableName] ?? [];
      if (pending.length === 0) break;
      if (attempt >= maxAttempts) {
        throw new ParleyError(
          `BatchWriteItem left ${pending.length} requests unprocessed after ${maxAttempts} attempts.`,
        );
      }
      // Full jitter spreads the retries of concurrent writers apart.
      await sleep(Math.random() * Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** attempt));
    }
  }
}
