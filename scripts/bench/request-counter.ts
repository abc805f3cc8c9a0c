/**
 * A counting HTTP proxy for the AWS JSON protocols (DynamoDB, SQS): it
 * forwards every request unchanged to its target and counts it by operation
 * (`X-Amz-Target`) and by the tables or queues its body names. Put between
 * the local runtime's functions and its engines (PARLEY_FUNCTION_ENV's
 * AWS_ENDPOINT_URL_<SERVICE>), it counts exactly the requests the deployed
 * code makes, whatever the machine's load.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type LocalParleyProcess, startLocalParley } from '../../test/support/local-parley';
import { freePort } from './support';

/** Counts by `<operation> <table or queue>`, e.g. `PutItem messages`. */
export type RequestCounts = Map<string, number>;

export interface RequestCounter {
  readonly endpoint: string;
  readonly counts: RequestCounts;
  /** Forgets what was counted so far. */
  reset(): void;
  close(): Promise<void>;
}

/** The resources a DynamoDB or SQS request body names (tables, queues by their last path part). */
export function resourcesOf(body: string): string[] {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return [];
  }
  const names = new Set<string>();
  if (typeof parsed['TableName'] === 'string') names.add(parsed['TableName']);
  if (typeof parsed['QueueUrl'] === 'string') names.add(parsed['QueueUrl'].split('/').pop() ?? '');
  if (parsed['RequestItems'] && typeof parsed['RequestItems'] === 'object') {
    for (const table of Object.keys(parsed['RequestItems'])) names.add(table);
  }
  if (Array.isArray(parsed['TransactItems'])) {
    for (const item of parsed['TransactItems'] as Array<Record<string, { TableName?: string }>>) {
      for (const part of Object.values(item)) if (part.TableName) names.add(part.TableName);
    }
  }
  return [...names];
}

/** Starts a counting proxy on 127.0.0.1 in front of `target` (an http:// origin). */
export async function startRequestCounter(target: string, rename: (resource: string) => string = (r) => r): Promise<RequestCounter> {
  const counts: RequestCounts = new Map();
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? req.method).split('.').pop() as string;
      const resources = resourcesOf(body.toString('utf8')).map(rename).sort();
      const key = `${operation} ${resources.join(' + ') || '–'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const forward = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    reset: () => counts.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A logical id's short form, as the counts name tables and queues: `Rooms` for `…/RoomsTable1A2B3C4D`-style ids. */
export const shortName = (key: string) => (key.split('/').pop() ?? key).replace(/[0-9A-F]{8}$/, '');

export interface CountedRuntime {
  readonly runtime: LocalParleyProcess;
  readonly dynamo: RequestCounter;
  readonly sqs: RequestCounter;
  /** Stops the runtime, then both proxies. */
  stop(): Promise<void>;
}

/**
 * Starts the local runtime with its functions' DynamoDB and SQS requests
 * going through two counting proxies, whose counts name tables and queues by
 * their short logical ids.
 */
export async function startCountedRuntime(): Promise<CountedRuntime> {
  const [dynamoPort, sqsPort] = [await freePort(), await freePort()];
  const names = new Map<string, string>();
  const rename = (resource: string) => names.get(resource) ?? resource;
  const dynamo = await startRequestCounter(`http://127.0.0.1:${dynamoPort}`, rename);
  const sqs = await startRequestCounter(`http://127.0.0.1:${sqsPort}`, rename);
  const runtime = await startLocalParley({
    env: {
      PARLEY_DYNAMODB_PORT: String(dynamoPort),
      PARLEY_SQS_PORT: String(sqsPort),
      PARLEY_FUNCTION_ENV: JSON.stringify({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_ENDPOINT_URL_SQS: sqs.endpoint }),
    },
  }).catch(async (error: unknown) => {
    await Promise.all([dynamo.close(), sqs.close()]);
    throw error;
  });
  for (const [key, table] of Object.entries(runtime.tables)) names.set(table, shortName(key));
  for (const [key, url] of Object.entries(runtime.queues)) names.set(url.split('/').pop() ?? url, shortName(key));
  return {
    runtime,
    dynamo,
    sqs,
    stop: async () => {
      await runtime.stop();
      await dynamo.close();
      await sqs.close();
    },
  };
}
