/**
 * A counting proxy in front of DynamoDB Local for the cost benchmark. It asks
 * DynamoDB for `ReturnConsumedCapacity: TOTAL` on every request that accepts
 * it (DynamoDB Local does not check request signatures, so the body may be
 * rewritten), and adds up the capacity units each response reports, as read
 * or write units by operation.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';

/** Operations that read (billed in read request units on demand). */
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
/** Operations that write (billed in write request units on demand). */
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export interface CapacityUse {
  readonly operation: string;
  readonly readUnits: number;
  readonly writeUnits: number;
}

/**
 * The capacity units one response reports. `ConsumedCapacity` is an object
 * for single-item and query operations and a list (one entry per table) for
 * batches and transactions. An entry gives `ReadCapacityUnits` and
 * `WriteCapacityUnits` when the service splits them, otherwise only
 * `CapacityUnits`, which then counts as the operation's kind.
 *
 * DynamoDB bills a transaction twice the units of the same plain reads or
 * writes; DynamoDB Local reports the plain units (two 1 KB puts in one
 * TransactWriteItems: 2 units, where DynamoDB bills 4), so transactions are
 * doubled here.
 */
export function capacityOf(operation: string, response: unknown): CapacityUse {
  const consumed = (response as { ConsumedCapacity?: unknown } | null)?.ConsumedCapacity;
  const entries = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Array<{
    CapacityUnits?: number;
    ReadCapacityUnits?: number;
    WriteCapacityUnits?: number;
  }>;
  const factor = operation.startsWith('Transact') ? 2 : 1;
  let readUnits = 0;
  let writeUnits = 0;
  for (const entry of entries) {
    if (entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined) {
      readUnits += entry.ReadCapacityUnits ?? 0;
      writeUnits += entry.WriteCapacityUnits ?? 0;
    } else if (WRITES.has(operation)) writeUnits += entry.CapacityUnits ?? 0;
    else if (READS.has(operation)) readUnits += entry.CapacityUnits ?? 0;
  }
  return { operation, readUnits: readUnits * factor, writeUnits: writeUnits * factor };
}

/** The operation named by a DynamoDB request's `X-Amz-Target` (`DynamoDB_20120810.PutItem`), or undefined. */
export function operationOf(target: string | undefined): string | undefined {
  const match = /^DynamoDB_\d+\.(\w+)$/.exec(target ?? '');
  return match?.[1];
}

export interface CapacityTotals {
  requests: Record<string, number>;
  readUnits: number;
  writeUnits: number;
}

export const emptyTotals = (): CapacityTotals => ({ requests: {}, readUnits: 0, writeUnits: 0 });

export interface CapacityProxy {
  readonly endpoint: string;
  /** Totals since the last reset. */
  readonly totals: CapacityTotals;
  reset(): void;
  stop(): Promise<void>;
}

const readBody = (stream: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

/** Starts the proxy on 127.0.0.1 in front of `upstream` (`http://127.0.0.1:<port>`). */
export async function startCapacityProxy(upstream: string): Promise<CapacityProxy> {
  const target = new URL(upstream);
  let totals = emptyTotals();
  const server: Server = createServer(async (req, res) => {
    try {
      let body = await readBody(req);
      const operation = operationOf(req.headers['x-amz-target'] as string | undefined);
      if (operation && (READS.has(operation) || WRITES.has(operation))) {
        const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        parsed['ReturnConsumedCapacity'] ??= 'TOTAL';
        body = Buffer.from(JSON.stringify(parsed));
      }
      const headers = { ...req.headers, 'content-length': String(body.length), host: target.host };
      const upstreamRes = await new Promise<IncomingMessage>((resolve, reject) => {
        const out = httpRequest(
          { host: target.hostname, port: target.port, path: req.url, method: req.method, headers },
          resolve,
        );
        out.on('error', reject);
        out.end(body);
      });
      const answer = await readBody(upstreamRes);
      if (operation) {
        totals.requests[operation] = (totals.requests[operation] ?? 0) + 1;
        if (upstreamRes.statusCode === 200) {
          const use = capacityOf(operation, JSON.parse(answer.toString('utf8')));
          totals.readUnits += use.readUnits;
          totals.writeUnits += use.writeUnits;
        }
      }
      const outHeaders = { ...upstreamRes.headers, 'content-length': String(answer.length) };
      delete outHeaders['transfer-encoding'];
      res.writeHead(upstreamRes.statusCode ?? 500, outHeaders).end(answer);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: String(error) }));
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get totals() {
      return totals;
    },
    reset: () => {
      totals = emptyTotals();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
