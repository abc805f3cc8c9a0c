import { createServer } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS } from '../local/engines/credentials';

/** A port free on 127.0.0.1 right now, for an engine a benchmark starts. */
export const freePort = (): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Runs `fn` over items with at most `limit` in flight. */
export const pool = async <T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await fn(items[index] as T, index);
      }
    }),
  );
};

/**
 * A DynamoDB client on `endpoint` that counts every request by command name
 * into `counts` (clear it between measurements), and a document client over
 * it, configured like Parley's.
 */
export function countingDynamoDb(
  endpoint: string,
  region: string,
): { raw: DynamoDBClient; client: DynamoDBDocumentClient; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  const raw = new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS });
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      counts[context.commandName ?? 'unknown'] = (counts[context.commandName ?? 'unknown'] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return { raw, client, counts };
}
