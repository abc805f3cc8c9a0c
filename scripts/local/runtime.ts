import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { type AppFactory, readCloudAssembly, synthesize } from './assembly';
import { LOCAL_CREDENTIALS } from './engines/credentials';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from './engines/dynamodb';
import { ensureBucket, ensureQueue, startFauxqs, type FauxqsEngine } from './engines/fauxqs';
import { QueuePoller } from './event-sources/queue-poller';
import { StreamPoller } from './event-sources/stream-poller';
import type { BatchInvoker, FailureDestination } from './event-sources/types';
import { FunctionInvocationError, FunctionPool } from './functions/function-pool';
import { type RequestLogEntry, WebSocketGateway } from './gateway/websocket-gateway';
import {
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  loadIdentityProvider,
  type LocalIdentityProvider,
} from './identity/identity-provider';
import { buildModel, type LocalModel } from './model';
import { listen, reservePort } from './ports';

/**
 * A service the runtime starts beside the engines, such as a local Bedrock
 * endpoint: it contributes environment variables (typically an
 * AWS_ENDPOINT_URL_<SERVICE>) to every function.
 */
export interface LocalService {
  readonly name: string;
  start(context: { readonly dataDir: string; readonly region: string }): Promise<StartedLocalService>;
}

export interface StartedLocalService {
  readonly url: string;
  readonly environment: Record<string, string>;
  stop(): Promise<void>;
}

export interface BatchLogEntry {
  readonly mapping: string;
  readonly records: number;
  readonly durationMs: number;
  readonly outcome: string;
}

export interface LocalParleyOptions {
  /** Data folder: database, queues, signing key, synthesized app, logs. */
  readonly dataDir: string;
  /** Keep DynamoDB, SQS and S3 in memory instead of the data folder. */
  readonly inMemory?: boolean;
  /** Ports; 0 picks a free one. */
  readonly ports?: Partial<Record<'ws' | 'http' | 'dynamodb' | 'sqs', number>>;
  readonly region?: string;
  /** The CDK app to run: a module exporting a factory like `buildParleyApp`. */
  readonly app?: { readonly module: string; readonly exportName: string; readonly sources?: readonly string[] };
  /** Where to synthesize; defaults to `<dataDir>/cdk.out`. */
  readonly cdkOut?: string;
  readonly forceSynth?: boolean;
  readonly maxInstancesPerFunction?: number;
  readonly idleTimeoutSeconds?: number;
  readonly maxConnectionSeconds?: number;
  readonly maxMessageBytes?: number;
  readonly echoFunctionLogs?: boolean;
  /** Start one instance of each WebSocket route's function once ready. */
  readonly warm?: boolean;
  readonly services?: readonly LocalService[];
  readonly onRequest?: (entry: RequestLogEntry) => void;
  readonly onBatch?: (entry: BatchLogEntry) => void;
  readonly onProgress?: (message: string) => void;
}

export interface LocalParley {
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly managementUrl: string;
  readonly jwksUrl: string;
  readonly dynamoDbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly dataDir: string;
  readonly inMemory: boolean;
  readonly synthesized: boolean;
  readonly model: LocalModel;
  readonly identity: LocalIdentityProvider;
  readonly services: ReadonlyArray<{ name: string; url: string }>;
  readonly dynamoDbPid: number | undefined;
  readonly functionLogFile: string;
  /** Live WebSocket connections. */
  connectionCount(): number;
  stop(): Promise<void>;
}

const ACCOUNT_ID = '000000000000';
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Context the app receives, so the template itself trusts the local identity provider. */
const LOCAL_CONTEXT = {
  stage: 'local',
  jwtIssuer: LOCAL_ISSUER,
  jwtAudience: LOCAL_AUDIENCE,
  jwksUri: `${LOCAL_ISSUER}/.well-known/jwks.json`,
} as const;

/**
 * Starts Parley's whole stack on this machine: synthesizes the CDK app,
 * starts DynamoDB Local and fauxqs, creates the template's tables, queues and
 * buckets, serves the WebSocket API, its management API and the identity
 * provider's JWKS on 127.0.0.1, and runs the event source mappings.
 */
export async function startLocalParley(options: LocalParleyOptions): Promise<LocalParley> {
  const progress = options.onProgress ?? (() => undefined);
  const region = options.region ?? 'us-east-1';
  const dataDir = resolve(options.dataDir);
  const inMemory = options.inMemory ?? false;
  mkdirSync(dataDir, { recursive: true });
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };

  try {
    const ports = options.ports ?? {};
    // Check ports first so a clash is reported before anything starts.
    const wsPort = await reservePort(ports.ws ?? 3001, 'WebSocket API', 'PARLEY_WS_PORT');
    const httpPort = await reservePort(ports.http ?? 3002, 'management API and JWKS', 'PARLEY_HTTP_PORT');
    const dynamoPort = await reservePort(ports.dynamodb ?? 3003, 'DynamoDB Local', 'PARLEY_DYNAMODB_PORT', '0.0.0.0');
    const sqsPort = await reservePort(ports.sqs ?? 3004, 'SQS and S3 (fauxqs)', 'PARLEY_SQS_PORT');

    const identity = await loadIdentityProvider(dataDir);
    const app = options.app ?? { module: join(REPO_ROOT, 'lib/parley-app.ts'), exportName: 'buildParleyApp' };
    const cdkOut = resolve(options.cdkOut ?? join(dataDir, 'cdk.out'));
    progress('Synthesizing the CDK app…');
    const synthesized = await synthesize({
      outdir: cdkOut,
      context: { ...LOCAL_CONTEXT },
      force: options.forceSynth ?? false,
      sources:
        app.sources ??
        (options.app
          ? [dirname(app.module), join(REPO_ROOT, 'package-lock.json')]
          : ['lib', 'bin', 'lambdas', 'package-lock.json', 'cdk.json'].map((p) => join(REPO_ROOT, p))),
      loadApp: async () => {
        const module = (await import(pathToFileURL(app.module).href)) as Record<string, unknown>;
        const factory = module[app.exportName];
        if (typeof factory !== 'function') throw new Error(`${app.module} does not export ${app.exportName}`);
        return factory as AppFactory;
      },
    });
    const stacks = readCloudAssembly(cdkOut);
    // Lambda's Node.js runtime provides the AWS SDK, so bundles leave @aws-sdk/*
    // external; here the project's own copy plays that part.
    const modules = join(cdkOut, 'node_modules');
    if (!existsSync(modules)) {
      try {
        symlinkSync(join(REPO_ROOT, 'node_modules'), modules, process.platform === 'win32' ? 'junction' : 'dir');
      } catch (error) {
        // Another runtime sharing this cloud assembly linked it first.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }

    progress('Starting DynamoDB Local and fauxqs…');
    const [dynamo, fauxqs]: [DynamoDbLocal, FauxqsEngine] = await Promise.all([
      startDynamoDbLocal({ port: dynamoPort, region, ...(inMemory ? {} : { dataDir: join(dataDir, 'dynamodb') }) }),
      startFauxqs({ port: sqsPort, region, ...(inMemory ? {} : { dataDir: join(dataDir, 'fauxqs') }) }),
    ]);
    cleanups.push(() => dynamo.stop(), () => fauxqs.stop());

    const services: StartedLocalService[] = [];
    const serviceInfo: Array<{ name: string; url: string }> = [];
    for (const service of options.services ?? []) {
      const started = await service.start({ dataDir, region });
      services.push(started);
      serviceInfo.push({ name: service.name, url: started.url });
      cleanups.push(() => started.stop());
    }

    const model = buildModel(stacks, { region, accountId: ACCOUNT_ID, sqsEndpoint: fauxqs.endpoint });
    await Promise.all(
      model.tables.map(async (table) => {
        const streamArn = await ensureTable(dynamo.client, table);
        if (streamArn) table.streamArn = streamArn;
      }),
    );
    model.resolveQueues();
    // Dead-letter queues first: a redrive policy names an existing queue.
    const hasRedrive = (q: (typeof model.queues)[number]) => Number('RedrivePolicy' in q.attributes);
    const ordered = [...model.queues].sort((a, b) => hasRedrive(a) - hasRedrive(b));
    for (const queue of ordered) await ensureQueue(fauxqs.sqs, queue);
    for (const bucket of model.buckets) await ensureBucket(fauxqs.s3, bucket);

    const httpUrl = `http://127.0.0.1:${httpPort}`;
    const wsUrl = `ws://127.0.0.1:${wsPort}`;
    const jwksUrl = `${httpUrl}/.well-known/jwks.json`;
    // The app's remote URLs, mapped to this machine: the stage's callback URL
    // (management API), the API endpoint, and the identity provider's JWKS.
    const rewrites: Array<[string, string]> = [[LOCAL_CONTEXT.jwksUri, jwksUrl]];
    model.webSocketApis.forEach((api) => {
      rewrites.push([`https://${api.apiId}.execute-api.${region}.amazonaws.com`, httpUrl]);
      rewrites.push([`wss://${api.apiId}.execute-api.${region}.amazonaws.com`, wsUrl]);
    });
    model.resolveEnvironments((value) => {
      for (const [from, to] of rewrites) if (value.startsWith(from)) return to + value.slice(from.length);
      return value;
    });

    const functionLogFile = join(dataDir, 'functions.log');
    const pool = new FunctionPool(model.functions, {
      maxInstancesPerFunction: options.maxInstancesPerFunction ?? 8,
      logFile: functionLogFile,
      echoLogs: options.echoFunctionLogs ?? false,
      baseEnvironment: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        LANG: 'en_US.UTF-8',
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        // Keep a developer's ~/.aws profiles from steering the functions elsewhere.
        AWS_CONFIG_FILE: join(dataDir, 'aws-config-none'),
        AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'aws-credentials-none'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamo.endpoint,
        AWS_ENDPOINT_URL_SQS: fauxqs.endpoint,
        AWS_ENDPOINT_URL_S3: fauxqs.endpoint,
        AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
        ...Object.assign({}, ...services.map((s) => s.environment)),
      },
    });
    cleanups.push(() => pool.close());

    const onRequest = options.onRequest ?? (() => undefined);
    const gateways = model.webSocketApis.map(
      (api) =>
        new WebSocketGateway({
          api,
          functions: pool,
          region,
          accountId: ACCOUNT_ID,
          idleTimeoutSeconds: options.idleTimeoutSeconds ?? 600,
          maxConnectionSeconds: options.maxConnectionSeconds ?? 7200,
          maxMessageBytes: options.maxMessageBytes ?? 128 * 1024,
          maxFrameBytes: 32 * 1024,
          onRequest,
        }),
    );

    const http: Server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://local').pathname;
      if (path === '/.well-known/jwks.json' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(identity.jwks));
        return;
      }
      if (path === '/health') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      for (const gateway of gateways) if (gateway.handleManagement(req, res, path)) return;
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'ForbiddenException' });
      res.end(JSON.stringify({ message: 'Forbidden' }));
    });
    http.keepAliveTimeout = 60_000;
    await listen(http, httpPort, 'management API and JWKS', 'PARLEY_HTTP_PORT');
    cleanups.push(() => new Promise<void>((r) => { http.closeAllConnections(); http.close(() => r()); }));

    const [firstGateway, ...otherGateways] = gateways;
    if (firstGateway) {
      await listen(firstGateway.server, wsPort, 'WebSocket API', 'PARLEY_WS_PORT');
      firstGateway.setDomainName(`127.0.0.1:${wsPort}`);
      cleanups.push(() => firstGateway.close());
    }
    for (const gateway of otherGateways) {
      const port = await listen(gateway.server, 0, 'WebSocket API', 'PARLEY_WS_PORT');
      gateway.setDomainName(`127.0.0.1:${port}`);
      cleanups.push(() => gateway.close());
    }

    // Event source mappings.
    const invokerFor = (functionKey: string): BatchInvoker => async (event) => {
      try {
        const invocation = await pool.invoke(functionKey, event);
        return { ok: true, result: invocation.result };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const kind = error instanceof FunctionInvocationError ? error.kind : 'error';
        return { ok: false, error: kind === 'timeout' ? 'timeout' : `error: ${message}`, errorType: 'Unhandled' };
      }
    };
    const sendToFailureDestination: FailureDestination = async (mapping, failure) => {
      if (!mapping.onFailureArn) return;
      const fn = pool.get(mapping.functionKey);
      const invocationRecord = {
        requestContext: {
          requestId: crypto.randomUUID(),
          functionArn: fn.arn,
          condition: failure.condition,
          approximateInvokeCount: failure.approximateInvokeCount,
        },
        responseContext: {
          statusCode: 200,
          executedVersion: '$LATEST',
          functionError: failure.functionError ?? 'Unhandled',
        },
        version: '1.0',
        timestamp: new Date().toISOString(),
        ...failure.batchInfo,
      };
      // An S3 destination also receives the failed invocation's payload, the records included.
      const bucketName = /^arn:aws[\w-]*:s3:::([^/]+)$/.exec(mapping.onFailureArn)?.[1];
      if (bucketName !== undefined && model.buckets.some((b) => b.name === bucketName)) {
        const now = new Date();
        const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
        const time = now.toISOString().slice(0, 19).replaceAll(':', '.');
        const shardId = String((failure.batchInfo['DDBStreamBatchInfo'] as { shardId?: string } | undefined)?.shardId ?? 'shard');
        const mappingId = mapping.id.replace(/\W+/g, '-');
        await fauxqs.s3.send(
          new PutObjectCommand({
            Bucket: bucketName,
            Key: `aws/lambda/${mappingId}/${shardId}/${day}/${time}-${crypto.randomUUID()}`,
            Body: JSON.stringify({ ...invocationRecord, payload: JSON.stringify(failure.payload ?? { Records: [] }) }),
            ContentType: 'application/json',
          }),
        );
        return;
      }
      const queue = model.queueByArn(mapping.onFailureArn);
      if (!queue) {
        progress(`On-failure destination ${mapping.onFailureArn} is not a local queue or bucket; the records are dropped.`);
        return;
      }
      await fauxqs.sqs.send(
        new SendMessageCommand({
          QueueUrl: queue.url,
          MessageBody: JSON.stringify(invocationRecord),
          ...(queue.fifo ? { MessageGroupId: 'lambda', MessageDeduplicationId: crypto.randomUUID() } : {}),
        }),
      );
    };
    // A stream record's partition key: the table's HASH attribute in its Keys.
    const partitionKeyOf = (streamArn: string) => {
      const table = model.tableByStreamArn(streamArn);
      const hashKey = table?.keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
      return (record: { readonly dynamodb: Record<string, unknown> }) => {
        const keys = record.dynamodb['Keys'] as Record<string, unknown> | undefined;
        return JSON.stringify(hashKey ? keys?.[hashKey] : keys);
      };
    };
    const streams = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region, credentials: LOCAL_CREDENTIALS });
    cleanups.push(async () => streams.destroy());
    const pollers: Array<{ start(): void; stop(): Promise<void> }> = [];
    for (const mapping of model.eventSourceMappings) {
      if (!mapping.enabled) continue;
      if (mapping.kind === 'dynamodb') {
        pollers.push(
          new StreamPoller({
            mapping,
            client: streams,
            region,
            invoke: invokerFor(mapping.functionKey),
            sendToFailureDestination,
            partitionKeyOf: partitionKeyOf(mapping.sourceArn),
            ...(inMemory
              ? {}
              : { checkpointFile: join(dataDir, 'event-sources', `${mapping.id.replace(/\W+/g, '-')}.json`) }),
            ...(options.onBatch ? { onBatch: options.onBatch } : {}),
          }),
        );
      } else {
        const queue = model.queueByArn(mapping.sourceArn);
        if (!queue) continue;
        pollers.push(
          new QueuePoller({
            mapping,
            queue,
            sqs: fauxqs.sqs,
            region,
            invoke: invokerFor(mapping.functionKey),
            concurrency: Math.min(mapping.maximumConcurrency ?? 5, options.maxInstancesPerFunction ?? 8),
            ...(options.onBatch ? { onBatch: options.onBatch } : {}),
          }),
        );
      }
    }
    for (const poller of pollers) poller.start();
    // Pollers stop first, so no batch is cut off by the engines going away.
    cleanups.push(async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    });

    if (options.warm ?? true) {
      const keys = new Set<string>();
      for (const api of model.webSocketApis) {
        for (const route of api.routes.values()) {
          if (route.functionKey) keys.add(route.functionKey);
          if (route.authorizer) keys.add(route.authorizer.functionKey);
        }
      }
      pool.warm(keys);
    }

    let stopping: Promise<void> | undefined;
    return {
      wsUrl,
      httpUrl,
      managementUrl: `${httpUrl}/${model.webSocketApis[0]?.stage ?? ''}`.replace(/\/$/, ''),
      jwksUrl,
      dynamoDbEndpoint: dynamo.endpoint,
      sqsEndpoint: fauxqs.endpoint,
      dataDir,
      inMemory,
      synthesized,
      model,
      identity,
      services: serviceInfo,
      dynamoDbPid: dynamo.pid,
      functionLogFile,
      connectionCount: () => gateways.reduce((n, g) => n + g.size, 0),
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
