import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';
import type { LocalBucket, LocalQueue } from '../model';
import { LOCAL_CREDENTIALS } from './credentials';
import { bucketOfPath, corsAnswer } from './s3-cors';
import { createdObjectOf, type CreatedObjectRequest } from './s3-events';

export interface FauxqsEngine {
  readonly endpoint: string;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  /**
   * Calls `listener` after every S3 request that created an object (a form
   * POST, a PUT, a copy, a completed multipart upload) succeeded: fauxqs
   * sends no bucket notifications, so the runtime sends them from this.
   */
  onObjectCreated(listener: (created: CreatedObjectRequest) => void): void;
  /**
   * Answers browsers for these buckets as S3 would by their CORS rules
   * (preflights, and the allow-origin header on the requests themselves):
   * fauxqs answers no CORS, so a page could not post a presigned form.
   */
  useBucketCors(buckets: readonly LocalBucket[]): void;
  stop(): Promise<void>;
}

export interface FauxqsOptions {
  readonly port: number;
  readonly region: string;
  /** Folder for fauxqs's SQLite persistence; absent means in memory. */
  readonly dataDir?: string;
}

interface Persistence {
  load(sqs: unknown, sns: unknown, s3: unknown): void;
  close(): void;
}

/**
 * fauxqs's stores and persistence are what `startFauxqs` wires together; it
 * binds 0.0.0.0, so the runtime builds the same app and listens on loopback.
 */
const loadInternals = async () => {
  const dist = dirname(fileURLToPath(import.meta.resolve('fauxqs')));
  const load = (path: string) => import(pathToFileURL(join(dist, path)).href);
  const [{ SqsStore }, { SnsStore }, { S3Store }, { PersistenceManager }] = await Promise.all([
    load('sqs/sqsStore.js'),
    load('sns/snsStore.js'),
    load('s3/s3Store.js'),
    load('persistence.js'),
  ]);
  return { SqsStore, SnsStore, S3Store, PersistenceManager } as {
    SqsStore: new () => { persistence?: unknown; region: string; allQueues(): Iterable<{ persistence?: unknown }> };
    SnsStore: new () => { persistence?: unknown; region: string };
    S3Store: new () => { persistence?: unknown };
    PersistenceManager: new (dir: string) => Persistence;
  };
};

/** What the CORS hook reads of a request and does with its reply. */
interface CorsRequestSeen {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}
interface CorsReply {
  code(status: number): CorsReply;
  headers(values: Record<string, string>): CorsReply;
  send(body: string): CorsReply;
}

/** Starts fauxqs (SQS and S3) on 127.0.0.1. */
export async function startFauxqs(options: FauxqsOptions): Promise<FauxqsEngine> {
  const internals = await loadInternals();
  const sqsStore = new internals.SqsStore();
  const snsStore = new internals.SnsStore();
  const s3Store = new internals.S3Store();
  sqsStore.region = options.region;
  snsStore.region = options.region;
  let persistence: Persistence | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    persistence = new internals.PersistenceManager(options.dataDir);
    persistence.load(sqsStore, snsStore, s3Store);
    sqsStore.persistence = persistence;
    snsStore.persistence = persistence;
    s3Store.persistence = persistence;
    for (const queue of sqsStore.allQueues()) queue.persistence = persistence;
  }
  const app = buildApp({
    logger: false,
    defaultRegion: options.region,
    stores: { sqsStore, snsStore, s3Store } as unknown as NonNullable<Parameters<typeof buildApp>[0]>['stores'],
  });
  let objectCreated: ((created: CreatedObjectRequest) => void) | undefined;
  app.addHook('onResponse', async (request: Parameters<typeof createdObjectOf>[0], reply: { readonly statusCode: number }) => {
    if (objectCreated === undefined || reply.statusCode < 200 || reply.statusCode >= 300) return;
    const created = createdObjectOf({ method: request.method, url: request.url, headers: request.headers, body: request.body });
    if (created) objectCreated(created);
  });
  let corsRules = new Map<string, LocalBucket['cors']>();
  app.addHook('onRequest', async (request: CorsRequestSeen, reply: CorsReply) => {
    const bucket = bucketOfPath(request.url);
    const rules = bucket === undefined ? undefined : corsRules.get(bucket);
    if (rules === undefined) return;
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(',') : value;
    };
    const answer = corsAnswer(rules, {
      method: request.method,
      origin: header('origin'),
      requestMethod: header('access-control-request-method'),
      requestHeaders: header('access-control-request-headers'),
    });
    if (request.method === 'OPTIONS') {
      // S3 refuses a preflight no rule allows, and any OPTIONS that is no preflight.
      const allowed = answer?.allowed === true;
      reply
        .code(allowed ? 200 : 403)
        .headers(answer?.headers ?? {})
        .send(allowed ? '' : 'CORSResponse: This CORS request is not allowed.');
      return reply;
    }
    if (answer?.allowed) reply.headers(answer.headers);
    return undefined;
  });
  if (persistence) {
    const p = persistence;
    app.addHook('preClose', () => p.close());
  }
  await app.listen({ port: options.port, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const endpoint = `http://127.0.0.1:${port}`;
  const config = { endpoint, region: options.region, credentials: LOCAL_CREDENTIALS };
  const sqs = new SQSClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  return {
    endpoint,
    sqs,
    s3,
    onObjectCreated(listener) {
      objectCreated = listener;
    },
    useBucketCors(buckets) {
      corsRules = new Map(buckets.map((bucket) => [bucket.name, bucket.cors]));
    },
    async stop() {
      sqs.destroy();
      s3.destroy();
      await app.close();
    },
  };
}

/**
 * Creates a queue with the template's attributes, or updates an existing one
 * (a persisted queue). Dead-letter queues must exist first.
 */
export async function ensureQueue(sqs: SQSClient, queue: LocalQueue): Promise<void> {
  try {
    await sqs.send(new CreateQueueCommand({ QueueName: queue.name, Attributes: queue.attributes }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'QueueNameExists' && name !== 'QueueAlreadyExists') throw error;
    const { FifoQueue: _fifo, ...settable } = queue.attributes;
    if (Object.keys(settable).length > 0) {
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: settable }));
    }
  }
}

export async function ensureBucket(s3: S3Client, bucket: LocalBucket): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket.name })).catch((error: { name?: string }) => {
    if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
  });
}
