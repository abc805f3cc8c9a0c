import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deployResources } from './deploy-resources';
import { startDynamoDbLocal, type DynamoDbLocal } from './engines/dynamodb';
import { startFauxqs, type FauxqsEngine } from './engines/fauxqs';
import { bucketNotifier } from './engines/s3-events';
import { failureDestination } from './event-sources/failure-destination';
import { type RunningEventSources, startEventSources } from './event-sources/start-event-sources';
import type { BatchLogEntry } from './event-sources/types';
import {
  type BaseEnvironmentOptions,
  baseFunctionEnvironment,
  localUrlRewriter,
  type LocalUrls,
} from './functions/function-environment';
import { FunctionPool, type InvocationReport } from './functions/function-pool';
import type { PostFaults } from './gateway/post-faults';
import { HttpApiGateway } from './gateway/http-gateway';
import { type RequestLogEntry, WebSocketGateway } from './gateway/websocket-gateway';
import type { ServerErrorEntry } from './http-guard';
import { loadIdentityProvider, type LocalIdentityProvider } from './identity/identity-provider';
import { startManagementServer } from './management-server';
import type { LocalModel } from './model';
import { buildModel } from './model/build-model';
import { listen, reservePort } from './ports';
import { type AppModule, synthesizeApp } from './synthesize-app';

/**
 * A service the runtime starts beside the engines, such as a local Bedrock
 * endpoint: it contributes environment variables (typically an
 * AWS_ENDPOINT_URL_<SERVICE>) to every function.
 */
export interface LocalService {
  readonly name: string;
  start(context: LocalServiceContext): Promise<StartedLocalService>;
}

export interface LocalServiceContext {
  readonly dataDir: string;
  readonly region: string;
  /** Where a service's HTTP server reports a request it failed to handle. */
  readonly onServerError: (entry: ServerErrorEntry) => void;
}

export interface StartedLocalService {
  readonly url: string;
  readonly environment: Record<string, string>;
  stop(): Promise<void>;
}

export interface LocalParleyOptions {
  /** Data folder: database, queues, signing key, synthesized app, logs. */
  readonly dataDir: string;
  /** Keep DynamoDB, SQS and S3 in memory instead of the data folder. */
  readonly inMemory?: boolean;
  /** Ports; 0 picks a free one. */
  readonly ports?: Partial<Record<'ws' | 'http' | 'api' | 'dynamodb' | 'sqs', number>>;
  readonly region?: string;
  /** The CDK app to run: a module exporting a factory like `buildParleyApp`. */
  readonly app?: AppModule;
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
  /** A request one of the runtime's servers failed to handle (answered 500, never fatal). */
  readonly onServerError?: (entry: ServerErrorEntry) => void;
  readonly onBatch?: (entry: BatchLogEntry) => void;
  /** Every function invocation with its thread CPU time (measuring it costs a little per invocation). */
  readonly onInvocation?: (report: InvocationReport) => void;
  /** Write a V8 CPU profile of each instance of the functions whose key contains `only` (all when absent) to `dir`. */
  readonly functionCpuProfile?: { readonly dir: string; readonly only?: string };
  readonly onProgress?: (message: string) => void;
  /**
   * Values that replace variables the functions' templates set (a test's
   * low fan-out threshold, say): a function gets only those it already has.
   */
  readonly functionEnvironment?: Readonly<Record<string, string>>;
  /** Posts the management API refuses on purpose, for tests (see PostFaults). */
  readonly postFaults?: PostFaults;
  readonly onPostFault?: (entry: { connectionId: string; left: number }) => void;
}

export interface LocalParley {
  readonly wsUrl: string;
  /** The management API and the identity provider's JWKS. */
  readonly httpUrl: string;
  /** The HTTP API for machine clients (docs/http-api.md). */
  readonly apiUrl: string;
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
  /** The output of the last synth (CDK and esbuild bundling). */
  readonly synthLogFile: string;
  /** Live WebSocket connections. */
  connectionCount(): number;
  stop(): Promise<void>;
}

const ACCOUNT_ID = '000000000000';

interface LocalPorts {
  readonly ws: number;
  readonly http: number;
  readonly api: number;
  readonly dynamodb: number;
  readonly sqs: number;
}

/** What to undo on stop, in the reverse order of starting; one failing step does not keep the others from running. */
class Cleanups {
  private readonly steps: Array<() => Promise<void>> = [];

  add(...steps: Array<() => Promise<void>>): void {
    this.steps.push(...steps);
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) await step().catch(() => undefined);
  }
}

/** Checks every port before anything starts, so a clash is reported first. */
async function reservePorts(ports: LocalParleyOptions['ports'] = {}): Promise<LocalPorts> {
  return {
    ws: await reservePort(ports.ws ?? 3001, 'WebSocket API', 'PARLEY_WS_PORT'),
    http: await reservePort(ports.http ?? 3002, 'management API and JWKS', 'PARLEY_HTTP_PORT'),
    api: await reservePort(ports.api ?? 3005, 'HTTP API', 'PARLEY_API_PORT'),
    dynamodb: await reservePort(ports.dynamodb ?? 3003, 'DynamoDB Local', 'PARLEY_DYNAMODB_PORT', '0.0.0.0'),
    sqs: await reservePort(ports.sqs ?? 3004, 'SQS and S3 (fauxqs)', 'PARLEY_SQS_PORT'),
  };
}

/** Starts DynamoDB Local and fauxqs side by side; `dataDir` undefined keeps their data in memory. */
async function startEngines(
  ports: LocalPorts,
  region: string,
  dataDir: string | undefined,
  cleanups: Cleanups,
): Promise<{ dynamo: DynamoDbLocal; fauxqs: FauxqsEngine }> {
  const [dynamo, fauxqs] = await Promise.all([
    startDynamoDbLocal({ port: ports.dynamodb, region, ...(dataDir ? { dataDir: join(dataDir, 'dynamodb') } : {}) }),
    startFauxqs({ port: ports.sqs, region, ...(dataDir ? { dataDir: join(dataDir, 'fauxqs') } : {}) }),
  ]);
  cleanups.add(() => dynamo.stop(), () => fauxqs.stop());
  return { dynamo, fauxqs };
}

/** Starts the extra local services one after the other. */
async function startServices(
  services: readonly LocalService[],
  context: LocalServiceContext,
  cleanups: Cleanups,
): Promise<Array<{ readonly name: string; readonly started: StartedLocalService }>> {
  const running: Array<{ name: string; started: StartedLocalService }> = [];
  for (const service of services) {
    const started = await service.start(context);
    running.push({ name: service.name, started });
    cleanups.add(() => started.stop());
  }
  return running;
}

function createGateways(model: LocalModel, functions: FunctionPool, options: LocalParleyOptions): WebSocketGateway[] {
  const onRequest = options.onRequest ?? (() => undefined);
  const onServerError = options.onServerError ?? (() => undefined);
  return model.webSocketApis.map(
    (api) =>
      new WebSocketGateway({
        api,
        functions,
        region: model.region,
        accountId: model.accountId,
        idleTimeoutSeconds: options.idleTimeoutSeconds ?? 600,
        maxConnectionSeconds: options.maxConnectionSeconds ?? 7200,
        maxMessageBytes: options.maxMessageBytes ?? 128 * 1024,
        maxFrameBytes: 32 * 1024,
        onRequest,
        onServerError,
        ...(options.postFaults ? { postFaults: options.postFaults } : {}),
        ...(options.onPostFault ? { onPostFault: options.onPostFault } : {}),
      }),
  );
}

/** The first WebSocket API gets the WebSocket port; any other API a free one. */
async function listenGateways(gateways: readonly WebSocketGateway[], wsPort: number, cleanups: Cleanups): Promise<void> {
  for (const [index, gateway] of gateways.entries()) {
    const port = await listen(gateway.server, index === 0 ? wsPort : 0, 'WebSocket API', 'PARLEY_WS_PORT');
    gateway.setDomainName(`127.0.0.1:${port}`);
    cleanups.add(() => gateway.close());
  }
}

/** The HTTP APIs: the first on the API port, any other on a free one. Resolves the first's URL. */
async function startHttpApis(
  model: LocalModel,
  functions: FunctionPool,
  options: LocalParleyOptions,
  apiPort: number,
  cleanups: Cleanups,
): Promise<string> {
  let firstUrl = `http://127.0.0.1:${apiPort}`;
  for (const [index, api] of model.httpApis.entries()) {
    const gateway = new HttpApiGateway({
      api,
      invoke: async (key, event) => (await functions.invoke(key, event)).result,
      region: model.region,
      accountId: model.accountId,
      onRequest: options.onRequest ?? (() => undefined),
      onServerError: options.onServerError ?? (() => undefined),
    });
    const port = await listen(gateway.server, index === 0 ? apiPort : 0, 'HTTP API', 'PARLEY_API_PORT');
    gateway.setPort(port);
    cleanups.add(() => gateway.close());
    const url = `http://127.0.0.1:${port}${api.stage === '$default' ? '' : `/${api.stage}`}`;
    if (index === 0) firstUrl = url;
  }
  return firstUrl;
}

/** The functions' worker pool, each function with the local engines' endpoints in its environment. */
function startFunctions(
  model: LocalModel,
  options: LocalParleyOptions,
  local: Omit<BaseEnvironmentOptions, 'region'> & {
    readonly functionLogFile: string;
    readonly managementPort: number;
    readonly gateways: () => readonly WebSocketGateway[];
  },
): FunctionPool {
  const { functionLogFile, managementPort, gateways, ...environment } = local;
  return new FunctionPool(model.functions, {
    maxInstancesPerFunction: options.maxInstancesPerFunction ?? 8,
    logFile: functionLogFile,
    echoLogs: options.echoFunctionLogs ?? false,
    ...(options.onInvocation ? { onInvocation: options.onInvocation } : {}),
    ...(options.functionCpuProfile ? { cpuProfile: options.functionCpuProfile } : {}),
    managementFastPath: {
      origin: { hostname: '127.0.0.1', port: managementPort },
      call: (request) => {
        for (const gateway of gateways()) {
          const answer = gateway.managementCall(request);
          if (answer) return answer;
        }
        return { status: 403, headers: { 'x-amzn-errortype': 'ForbiddenException' }, body: '{"message":"Forbidden"}' };
      },
    },
    ...(options.functionEnvironment ? { environmentOverrides: options.functionEnvironment } : {}),
    baseEnvironment: baseFunctionEnvironment({ region: model.region, ...environment }),
  });
}

/** Runs the event source mappings; `dataDir` undefined keeps no stream checkpoints. */
function wireEventSources(
  model: LocalModel,
  functions: FunctionPool,
  options: LocalParleyOptions,
  local: { readonly dynamo: DynamoDbLocal; readonly fauxqs: FauxqsEngine; readonly dataDir: string | undefined },
): RunningEventSources {
  const { dynamo, fauxqs, dataDir } = local;
  const onProgress = options.onProgress ?? (() => undefined);
  return startEventSources({
    model,
    functions,
    region: model.region,
    dynamoDbEndpoint: dynamo.endpoint,
    sqs: fauxqs.sqs,
    sendToFailureDestination: failureDestination({ model, functions, sqs: fauxqs.sqs, s3: fauxqs.s3, onProgress }),
    ...(dataDir === undefined ? {} : { checkpointDir: join(dataDir, 'event-sources') }),
    maxInstancesPerFunction: options.maxInstancesPerFunction ?? 8,
    ...(options.onBatch ? { onBatch: options.onBatch } : {}),
  });
}

/** The functions behind the WebSocket routes and their authorizers, which people wait on. */
function routeFunctionKeys(model: LocalModel): Set<string> {
  const keys = new Set<string>();
  for (const api of model.webSocketApis) {
    for (const route of api.routes.values()) {
      if (route.functionKey) keys.add(route.functionKey);
      if (route.authorizer) keys.add(route.authorizer.functionKey);
    }
  }
  return keys;
}

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
  const cleanups = new Cleanups();

  try {
    const ports = await reservePorts(options.ports);
    const identity = await loadIdentityProvider(dataDir);
    const cdkOut = resolve(options.cdkOut ?? join(dataDir, 'cdk.out'));
    const synthLogFile = join(dataDir, 'synth.log');
    const { synthesized, stacks } = await synthesizeApp({
      ...(options.app ? { app: options.app } : {}),
      cdkOut,
      force: options.forceSynth ?? false,
      logFile: synthLogFile,
      onSynthStart: () => progress(`Synthesizing the CDK app (bundler output in ${synthLogFile})…`),
    });

    progress('Starting DynamoDB Local and fauxqs…');
    const { dynamo, fauxqs } = await startEngines(ports, region, inMemory ? undefined : dataDir, cleanups);
    const onServerError = options.onServerError ?? (() => undefined);
    const services = await startServices(options.services ?? [], { dataDir, region, onServerError }, cleanups);
    const model = buildModel(stacks, { region, accountId: ACCOUNT_ID, sqsEndpoint: fauxqs.endpoint });
    await deployResources(model, dynamo, fauxqs);

    const httpUrl = `http://127.0.0.1:${ports.http}`;
    const urls: LocalUrls = { httpUrl, wsUrl: `ws://127.0.0.1:${ports.ws}`, jwksUrl: `${httpUrl}/.well-known/jwks.json` };
    model.resolveEnvironments(localUrlRewriter(model, urls));
    const functionLogFile = join(dataDir, 'functions.log');
    let gateways: WebSocketGateway[] = [];
    const pool = startFunctions(model, options, {
      dataDir,
      functionLogFile,
      managementPort: ports.http,
      gateways: () => gateways,
      dynamoDbEndpoint: dynamo.endpoint,
      sqsEndpoint: fauxqs.endpoint,
      services: services.map((s) => s.started.environment),
    });
    cleanups.add(() => pool.close());

    gateways = createGateways(model, pool, options);
    const managementServer = await startManagementServer({ port: ports.http, identity, gateways, onServerError });
    cleanups.add(() => managementServer.close());
    await listenGateways(gateways, ports.ws, cleanups);
    const apiUrl = await startHttpApis(model, pool, options, ports.api, cleanups);

    // fauxqs answers no CORS: browsers' uploads to the buckets are answered by the template's rules.
    fauxqs.useBucketCors(model.buckets);
    // fauxqs sends no S3 events: the bucket notifications the template configures are sent from here.
    fauxqs.onObjectCreated(
      bucketNotifier({
        model,
        s3: fauxqs.s3,
        sqs: fauxqs.sqs,
        onError: (error, created) =>
          onServerError({
            server: 'S3 notifications',
            method: created.eventName,
            target: `${created.bucket}/${created.key}`.slice(0, 200),
            error: error instanceof Error ? error.message : String(error),
          }),
      }),
    );
    const eventSources = wireEventSources(model, pool, options, { dynamo, fauxqs, dataDir: inMemory ? undefined : dataDir });
    // Pollers stop first, so no batch is cut off by the engines going away.
    cleanups.add(() => eventSources.stop());

    if (options.warm ?? true) pool.warm(routeFunctionKeys(model));

    let stopping: Promise<void> | undefined;
    return {
      wsUrl: urls.wsUrl,
      httpUrl,
      apiUrl,
      managementUrl: `${httpUrl}/${model.webSocketApis[0]?.stage ?? ''}`.replace(/\/$/, ''),
      jwksUrl: urls.jwksUrl,
      dynamoDbEndpoint: dynamo.endpoint,
      sqsEndpoint: fauxqs.endpoint,
      dataDir,
      inMemory,
      synthesized,
      model,
      identity,
      services: services.map(({ name, started }) => ({ name, url: started.url })),
      dynamoDbPid: dynamo.pid,
      functionLogFile,
      synthLogFile,
      connectionCount: () => gateways.reduce((n, g) => n + g.size, 0),
      stop: () => (stopping ??= cleanups.run()),
    };
  } catch (error) {
    await cleanups.run();
    throw error;
  }
}
