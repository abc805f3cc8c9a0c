/**
 * `npm start`: runs Parley's whole stack on this machine, offline, from the
 * synthesized CDK app. Options are described in docs/local.md.
 */
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SynthError } from './assembly';
import { PortInUseError } from './ports';
import { PostFaults } from './gateway/post-faults';
import { startLocalParley, type LocalParley } from './runtime';
import { LOCAL_SERVICES } from './services';
import { webClientService } from './web/web-client-service';
import type { RequestLogEntry } from './gateway/websocket-gateway';
import type { ServerErrorEntry } from './http-guard';

const { values: args } = parseArgs({
  options: {
    'in-memory': { type: 'boolean', default: false },
    data: { type: 'string' },
    synth: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'no-warm': { type: 'boolean', default: false },
    app: { type: 'string' },
    'cdk-out': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  allowPositionals: false,
});

if (args.help) {
  process.stdout.write(`Usage: npm start -- [options]

  --in-memory     keep DynamoDB, SQS and S3 in memory (nothing written to the data folder but the key)
  --data <dir>    data folder (default .parley, or PARLEY_DATA_DIR)
  --synth         synthesize the CDK app even if lib/ and lambdas/ did not change
  --verbose       show the functions' own logs (always written to <data>/functions.log)
  --json          print machine-readable events (one JSON object per line)

Ports (0 picks a free one): PARLEY_WS_PORT (3001), PARLEY_HTTP_PORT (3002),
PARLEY_DYNAMODB_PORT (3003), PARLEY_SQS_PORT (3004), PARLEY_API_PORT (3005, the HTTP API),
PARLEY_WEB_PORT (3000, the web client).
Limits: PARLEY_IDLE_TIMEOUT_SECONDS (600), PARLEY_MAX_CONNECTION_SECONDS (7200),
PARLEY_FUNCTION_INSTANCES (warm instances per function, 8).
Memory: PARLEY_EMBEDDINGS_URL and PARLEY_EMBEDDINGS_MODEL (an OpenAI-compatible embeddings API
for semantic recall, e.g. http://127.0.0.1:11434/v1 and nomic-embed-text).
Profiling: PARLEY_FUNCTION_CPU_PROFILE=<dir>[,<name part>] writes a V8 CPU profile of each
instance of the functions whose name contains <name part> (all without it) there on stop.
Testing aids: PARLEY_FUNCTION_ENV ('{"NAME":"value"}', replaces variables the functions
already have), PARLEY_FAIL_POSTS (<count>[:<text>], posts the management API refuses).
`);
  process.exit(0);
}

const intEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`${name} must be a whole number, got "${raw}".\n`);
    process.exit(2);
  }
  return value;
};

/** `<dir>[,<name part>]` from PARLEY_FUNCTION_CPU_PROFILE. */
const functionCpuProfile = (raw: string | undefined) => {
  if (!raw) return {};
  const [dir = '', only] = raw.split(',');
  return { functionCpuProfile: { dir: resolve(dir), ...(only ? { only } : {}) } };
};

const json = args.json;
const emit = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
const time = () => new Date().toTimeString().slice(0, 8);
const color = (code: number, text: string) => (process.stdout.isTTY ? `\x1b[${code}m${text}\x1b[0m` : text);

const printRequest = (entry: RequestLogEntry) => {
  if (json) return emit({ event: 'request', ...entry });
  const ok = typeof entry.status === 'number' && entry.status < 400;
  const status = String(entry.status);
  const duration = `${Math.round(entry.durationMs)} ms`.padStart(8);
  const line = `${time()}  ${entry.route.padEnd(16)} ${entry.user.slice(0, 16).padEnd(16)} ${duration}  ${ok ? status : color(31, status)}`;
  process.stdout.write(`${line}${entry.error ? color(31, `  ${entry.error} (request ${entry.requestId})`) : ''}\n`);
};

const printServerError = (entry: ServerErrorEntry) => {
  if (json) return emit({ event: 'server-error', ...entry });
  const line = `${time()}  ${entry.server}: ${entry.method} ${JSON.stringify(entry.target)} failed (answered 500): ${entry.error}`;
  process.stdout.write(`${color(31, line)}\n`);
};

let appOption: { module: string; exportName: string } | undefined;
if (args.app) {
  const [module, exportName] = args.app.split('#');
  appOption = {
    module: isAbsolute(module ?? '') ? (module as string) : resolve(module ?? ''),
    exportName: exportName ?? 'buildParleyApp',
  };
}

/** PARLEY_FUNCTION_ENV: a JSON object of string values, or nothing. */
const functionEnvironment = (): Record<string, string> | undefined => {
  const raw = process.env['PARLEY_FUNCTION_ENV'];
  if (raw === undefined || raw === '') return undefined;
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new Error('PARLEY_FUNCTION_ENV must be a JSON object of strings, e.g. {"FAN_OUT_SHARD_THRESHOLD":"2"}.');
  }
  return parsed as Record<string, string>;
};

const started = performance.now();
let runtime: LocalParley | undefined;
let stopRequestedAt: number | undefined;
const stop = async (signal: string) => {
  if (stopRequestedAt !== undefined) {
    // npm and tsx relay the terminal's Ctrl-C too: only a later one means "now".
    if (Date.now() - stopRequestedAt < 1_000) return;
    process.stderr.write('Stopping now.\n');
    process.exit(1);
  }
  stopRequestedAt = Date.now();
  if (!json) process.stdout.write(`\n${signal}: stopping Parley…\n`);
  await runtime?.stop();
  if (json) emit({ event: 'stopped' });
  else process.stdout.write('Stopped.\n');
  process.exit(0);
};
process.on('SIGINT', () => void stop('Ctrl-C'));
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGHUP', () => void stop('SIGHUP'));

try {
  runtime = await startLocalParley({
    dataDir: resolve(args.data ?? process.env['PARLEY_DATA_DIR'] ?? '.parley'),
    inMemory: args['in-memory'],
    ports: {
      ws: intEnv('PARLEY_WS_PORT', 3001),
      http: intEnv('PARLEY_HTTP_PORT', 3002),
      api: intEnv('PARLEY_API_PORT', 3005),
      dynamodb: intEnv('PARLEY_DYNAMODB_PORT', 3003),
      sqs: intEnv('PARLEY_SQS_PORT', 3004),
    },
    ...(appOption ? { app: appOption } : {}),
    ...(args['cdk-out'] ? { cdkOut: resolve(args['cdk-out']) } : {}),
    forceSynth: args.synth,
    services: [
      ...LOCAL_SERVICES,
      webClientService({
        port: intEnv('PARLEY_WEB_PORT', 3000),
        wsUrl: () => runtime?.wsUrl,
        s3Url: () => runtime?.sqsEndpoint,
        apiUrl: () => runtime?.apiUrl,
      }),
    ],
    echoFunctionLogs: args.verbose,
    warm: !args['no-warm'],
    maxInstancesPerFunction: Math.max(1, intEnv('PARLEY_FUNCTION_INSTANCES', 8)),
    ...functionCpuProfile(process.env['PARLEY_FUNCTION_CPU_PROFILE']),
    idleTimeoutSeconds: Math.max(1, intEnv('PARLEY_IDLE_TIMEOUT_SECONDS', 600)),
    maxConnectionSeconds: Math.max(1, intEnv('PARLEY_MAX_CONNECTION_SECONDS', 7200)),
    onRequest: printRequest,
    onServerError: printServerError,
    ...(() => {
      const environment = functionEnvironment();
      const faults = PostFaults.parse(process.env['PARLEY_FAIL_POSTS']);
      return {
        ...(environment ? { functionEnvironment: environment } : {}),
        ...(faults ? { postFaults: faults } : {}),
      };
    })(),
    onPostFault: (entry) =>
      json
        ? emit({ event: 'post-fault', ...entry })
        : process.stdout.write(`${color(33, `${time()}  management API refused a post to ${entry.connectionId} on purpose (PARLEY_FAIL_POSTS, ${entry.left} left)`)}
`),
    onBatch: (entry) => {
      if (json) return emit({ event: 'batch', ...entry });
      if (entry.records === 0 && entry.outcome === 'ok') return;
      const mapping = entry.mapping.split('/').pop()?.slice(0, 32);
      const line = `${time()}  ${mapping}  ${entry.records} record(s)  ${Math.round(entry.durationMs)} ms  ${entry.outcome}`;
      process.stdout.write(`${entry.outcome === 'ok' ? line : color(33, line)}\n`);
    },
    onProgress: (message) =>
      json
        ? emit({ event: 'progress', message, atMs: Math.round(performance.now() - started) })
        : process.stdout.write(`${message}\n`),
  });
} catch (error) {
  if (error instanceof PortInUseError || error instanceof SynthError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`Parley could not start: ${detail}\n`);
  process.exit(1);
}

const readyMs = Math.round(performance.now() - started);
const token = await runtime.identity.issueToken('alice');
if (json) {
  emit({
    event: 'ready',
    readyMs,
    synthesized: runtime.synthesized,
    wsUrl: runtime.wsUrl,
    webUrl: runtime.services.find((s) => s.name === 'Web client')?.url,
    httpUrl: runtime.httpUrl,
    apiUrl: runtime.apiUrl,
    managementUrl: runtime.managementUrl,
    jwksUrl: runtime.jwksUrl,
    dynamoDbEndpoint: runtime.dynamoDbEndpoint,
    sqsEndpoint: runtime.sqsEndpoint,
    dataDir: runtime.dataDir,
    synthLogFile: runtime.synthLogFile,
    services: runtime.services,
    dynamoDbPid: runtime.dynamoDbPid,
    region: runtime.model.region,
    tables: Object.fromEntries(runtime.model.tables.map((t) => [t.key, t.tableName])),
    queues: Object.fromEntries(runtime.model.queues.map((q) => [q.key, q.url])),
  });
} else {
  const m = runtime.model;
  const routes = m.webSocketApis.flatMap((a) => [...a.routes.keys()]);
  const row = (label: string, value: string) => `  ${label.padEnd(16)}${value}`;
  process.stdout.write(
    [
      '',
      color(
        1,
        `Parley is running locally (ready in ${(readyMs / 1000).toFixed(1)} s` +
          `${runtime.synthesized ? ', CDK app synthesized' : ''}).`,
      ),
      '',
      row('WebSocket', runtime.wsUrl),
      row('HTTP API', runtime.apiUrl),
      row('Management API', `${runtime.managementUrl}/@connections/{id}`),
      row('JWKS', runtime.jwksUrl),
      row('DynamoDB Local', runtime.dynamoDbEndpoint),
      row('SQS and S3', `${runtime.sqsEndpoint} (fauxqs)`),
      ...runtime.services.map((s) => row(s.name, s.url)),
      row('Data folder', runtime.inMemory ? `${runtime.dataDir} (tables and queues in memory)` : runtime.dataDir),
      row('Function logs', runtime.functionLogFile),
      ...(runtime.synthesized ? [row('Synth output', runtime.synthLogFile)] : []),
      row(
        'From the app',
        `${m.functions.size} functions, routes ${routes.join(' ')}, ${m.tables.length} tables, ` +
          `${m.queues.length} queues, ${m.eventSourceMappings.length} event source mappings`,
      ),
      '',
      color(1, `Open the web client: ${runtime.services.find((s) => s.name === 'Web client')?.url ?? ''}`),
      '',
      'Connect as alice (tokens for others: npm run token -- <name>):',
      `  npx wscat -c "${runtime.wsUrl}?token=${token}"`,
      `  > {"action":"createRoom","name":"lobby","requestId":"1"}`,
      'Call the HTTP API as alice:',
      `  curl -H "Authorization: Bearer ${token}" ${runtime.apiUrl}/v1/rooms`,
      '',
      'Ctrl-C stops everything. Requests:',
      '',
    ].join('\n'),
  );
}
