/**
 * What each kind of DynamoDB request costs DynamoDB Local in CPU, the
 * engine the local runtime runs on the same cores as the functions: its
 * JVM's CPU time (from /proc) per request, by the request shapes one chat
 * message makes (requests-per-message.ts counts them), against a plain
 * PutItem to a table without a stream in the same run. Then one message's
 * requests added up, the floor DynamoDB Local puts under the local
 * runtime's cost per message whatever the functions do.
 *
 * Each kind: 1,500 requests to warm up, then 3,000 measured, four at a
 * time; the JIT compiles throughout, so the figures are those of a runtime
 * a few minutes old, as a test's or a benchmark's is.
 *
 *   npm run bench -- dynamodb-local-cost
 */
import {
  BatchGetItemCommand,
  CreateTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_CREDENTIALS } from '../local/engines/credentials';
import { startDynamoDbLocal } from '../local/engines/dynamodb';
import { processCpu, threadCpu } from './cpu-accounting';

export interface RequestCost {
  readonly kind: string;
  /** How many of them one message to a room of ten makes (requests-per-message). */
  readonly perMessage: number;
  readonly cpuMsPerRequest: number;
}

export interface DynamoDbLocalCost {
  readonly costs: readonly RequestCost[];
  readonly baselineCpuMs: number;
  /** Stream records read per message (one per mapping of the messages and audit streams) and their cost each. */
  readonly recordReadsPerMessage: number;
  readonly cpuMsPerRecordRead: number;
  /** Share of the JVM's CPU its JIT compiler threads took over the whole run. */
  readonly compilerShare: number;
}

const WARM_UP = 1_500;
const MEASURED = 3_000;
const CONCURRENCY = 4;
const TEXT = 'a message of ordinary length, with a few words in it, as people write in a chat room';

/** CPU ms of a process's threads whose names match (the JIT's compiler threads). */
const threadsCpuMs = (pid: number, name: RegExp): number =>
  [...threadCpu(pid)].filter(([key]) => name.test(key.slice(key.indexOf(':') + 1))).reduce((sum, [, ms]) => sum + ms, 0);

const keyed = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } });

async function createTables(client: DynamoDBClient): Promise<string> {
  const create = (TableName: string, stream: boolean) =>
    client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
      }),
    );
  const messages = await create('messages', true);
  await create('audit', true);
  await create('connections', false);
  await create('memory', false);
  await create('plain', false);
  return messages.TableDescription?.LatestStreamArn as string;
}

/** The request shapes of one message, each given a unique number for its keys. */
function requestKinds(client: DynamoDBClient): Array<{ kind: string; perMessage: number; send: (n: number) => Promise<unknown> }> {
  return [
    {
      kind: 'UpdateItem, conditional (the sender’s rate limit)',
      perMessage: 1,
      send: (n) =>
        client.send(
          new UpdateItemCommand({
            TableName: 'connections',
            Key: keyed(`CONN#${n % 100}`, 'RATE'),
            UpdateExpression: 'SET tokens = if_not_exists(tokens, :zero) + :one',
            ConditionExpression: 'attribute_not_exists(tokens) OR tokens < :most',
            ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' }, ':most': { N: '1000000000' } },
          }),
        ),
    },
    {
      kind: 'BatchGetItem of 2 keys, consistent (membership and settings; memory’s marker and cursor)',
      perMessage: 2,
      send: (n) =>
        client.send(
          new BatchGetItemCommand({
            RequestItems: { memory: { Keys: [keyed(`ROOM#${n % 100}`, 'CURSOR'), keyed(`ROOM#${n % 100}`, `MSG#${n}`)], ConsistentRead: true } },
          }),
        ),
    },
    {
      kind: 'TransactWriteItems of 2 conditional puts, streamed table (the message and its idempotency marker)',
      perMessage: 1,
      send: (n) =>
        client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: 'messages', Item: { ...keyed(`ROOM#${n % 100}`, `MSG#${n}`), text: { S: TEXT } }, ConditionExpression: 'attribute_not_exists(pk)' } },
              { Put: { TableName: 'messages', Item: keyed(`ROOM#${n % 100}`, `CLIENT#${n}`), ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          }),
        ),
    },
    {
      kind: 'TransactWriteItems of 3 items (memory’s marker, window and cursor)',
      perMessage: 1,
      send: (n) =>
        client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: 'memory', Item: { ...keyed(`ROOM#${n % 100}`, `MSG#${n}`), text: { S: TEXT } }, ConditionExpression: 'attribute_not_exists(pk)' } },
              { Put: { TableName: 'memory', Item: { ...keyed(`ROOM#${n % 100}`, `WINDOW#${n}`), text: { S: TEXT } } } },
              {
                Update: {
                  TableName: 'memory',
                  Key: keyed(`ROOM#${n % 100}`, `SEQ#${n}`),
                  UpdateExpression: 'SET seq = if_not_exists(seq, :zero) + :one',
                  ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' } },
                },
              },
            ],
          }),
        ),
    },
    {
      kind: 'Query of a partition of 10 items (the room’s connections)',
      perMessage: 1,
      send: (n) =>
        client.send(new QueryCommand({ TableName: 'connections', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `ROOM#${n % 100}` } } })),
    },
    {
      kind: 'Query of an empty partition (a room’s webhooks, per event)',
      perMessage: 2,
      send: (n) =>
        client.send(new QueryCommand({ TableName: 'connections', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `HOOKS#${n % 100}` } } })),
    },
    {
      kind: 'PutItem, conditional, streamed table (the moderation decision’s audit entry)',
      perMessage: 1,
      send: (n) =>
        client.send(
          new PutItemCommand({
            TableName: 'audit',
            Item: { ...keyed(`ROOM#${n % 100}`, `AUDIT#${n}`), action: { S: 'moderation.allowed' }, detail: { S: TEXT } },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
    },
  ];
}

const runAll = async (count: number, offset: number, send: (n: number) => Promise<unknown>) => {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      await send(offset + n);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
};

export async function measureDynamoDbLocalCost(log: (line: string) => void = () => undefined): Promise<DynamoDbLocalCost> {
  const region = 'eu-west-1';
  const engine = await startDynamoDbLocal({ port: 0, region });
  const pid = engine.pid as number;
  const streams = new DynamoDBStreamsClient({ endpoint: engine.endpoint, region, credentials: LOCAL_CREDENTIALS });
  try {
    const streamArn = await createTables(engine.client);
    // Ten connections in every room, as in a room of ten.
    for (let room = 0; room < 100; room += 1) {
      for (let member = 0; member < 10; member += 1) {
        await engine.client.send(new PutItemCommand({ TableName: 'connections', Item: keyed(`ROOM#${room}`, `CONN#${member}`) }));
      }
    }
    const baseline = (n: number) => engine.client.send(new PutItemCommand({ TableName: 'plain', Item: { ...keyed(`P#${n % 100}`, `I#${n}`), text: { S: TEXT } } }));
    const kinds = requestKinds(engine.client);
    log('Warming up…');
    await runAll(WARM_UP, 1_000_000, baseline);
    for (const [i, kind] of kinds.entries()) await runAll(WARM_UP, 1_000_000 * (i + 2), kind.send);

    const measure = async (send: (n: number) => Promise<unknown>) => {
      const before = processCpu(pid);
      await runAll(MEASURED, 0, send);
      return (processCpu(pid) - before) / MEASURED;
    };
    log('Measuring…');
    const baselineCpuMs = await measure(baseline);
    const costs: RequestCost[] = [];
    for (const kind of kinds) costs.push({ kind: kind.kind, perMessage: kind.perMessage, cpuMsPerRequest: await measure(kind.send) });

    // Stream reads: pages of 100 records of the messages table's stream, from its start.
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? [];
    const shardId = shards[0]?.ShardId as string;
    const before = processCpu(pid);
    let records = 0;
    for (let page = 0; page < 50; page += 1) {
      const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
      records += (await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 100 }))).Records?.length ?? 0;
    }
    const cpuMsPerRecordRead = (processCpu(pid) - before) / Math.max(1, records);
    const compilerShare = threadsCpuMs(pid, /Compiler/) / processCpu(pid);
    // Each message's record is read by the five mappings of the messages
    // stream, its audit entry's by the two of the audit stream.
    return { costs, baselineCpuMs, recordReadsPerMessage: 7, cpuMsPerRecordRead, compilerShare };
  } finally {
    streams.destroy();
    await engine.stop();
  }
}

export function formatDynamoDbLocalCost(result: DynamoDbLocalCost): string {
  const rows = result.costs.map(
    (c) => `| ${c.kind} | ${c.cpuMsPerRequest.toFixed(3)} | ${(c.cpuMsPerRequest / result.baselineCpuMs).toFixed(2)}× | ${c.perMessage} | ${(c.cpuMsPerRequest * c.perMessage).toFixed(2)} |`,
  );
  const streamMs = result.cpuMsPerRecordRead * result.recordReadsPerMessage;
  const total = result.costs.reduce((n, c) => n + c.cpuMsPerRequest * c.perMessage, 0) + streamMs;
  return [
    '| request | DynamoDB Local CPU-ms per request | against a plain PutItem | per message to a room of ten | CPU-ms per message |',
    '|---|---:|---:|---:|---:|',
    `| PutItem to a table without a stream (baseline) | ${result.baselineCpuMs.toFixed(3)} | 1.00× | – | – |`,
    ...rows,
    `| a stream record read (GetRecords, pages of 100) | ${result.cpuMsPerRecordRead.toFixed(3)} | ${(result.cpuMsPerRecordRead / result.baselineCpuMs).toFixed(2)}× | ${result.recordReadsPerMessage} | ${streamMs.toFixed(2)} |`,
    `| **one message** | | | | **${total.toFixed(1)}** |`,
    '',
    `The JIT's compiler threads took ${(result.compilerShare * 100).toFixed(0)} % of DynamoDB Local's CPU over the run.`,
  ].join('\n');
}
