import { DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionRefusedError, type LocalParleyProcess, startLocalParley } from '../support/local-parley';
import { until } from '../support/wait';

/**
 * The runtime's event source mappings and gateway semantics, on a small CDK
 * app of their own (fixtures/consumer-app) synthesized and run exactly like
 * Parley's: whatever lib/ declares is what runs.
 */
describe('event source mappings on the local runtime', () => {
  let runtime: LocalParleyProcess;
  let dynamodb: DynamoDBClient;
  let sqs: SQSClient;
  let table: string;
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

  const counter = async (key: string): Promise<number> => {
    const item = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: key }, sk: { S: 'count' } }, ConsistentRead: true }));
    return Number(item.Item?.['n']?.N ?? 0);
  };
  const putJob = (id: string, extra: Record<string, { BOOL: boolean } | { S: string }> = {}) =>
    dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: id }, sk: { S: 'job' }, kind: { S: 'job' }, ...extra } }));

  beforeAll(async () => {
    runtime = await startLocalParley({ app: 'test/integration/fixtures/consumer-app/app.ts#buildConsumerApp' });
    dynamodb = new DynamoDBClient({ endpoint: runtime.dynamoDbEndpoint, region: runtime.region, credentials });
    sqs = new SQSClient({ endpoint: runtime.sqsEndpoint, region: runtime.region, credentials });
    table = Object.entries(runtime.tables).find(([key]) => key.includes('Events'))?.[1] as string;
  });

  afterAll(async () => {
    dynamodb?.destroy();
    sqs?.destroy();
    await runtime?.stop();
  });

  it('retries a stream record whose first attempt fails and applies it once', async () => {
    // Records in another table first: the consumer's shard then starts past sequence number 1.
    const journal = Object.entries(runtime.tables).find(([key]) => key.includes('Journal'))?.[1] as string;
    for (let i = 0; i < 3; i += 1) {
      await dynamodb.send(new PutItemCommand({ TableName: journal, Item: { pk: { S: `entry-${i}` } } }));
    }
    await putJob('job-retry', { failOnce: { BOOL: true } });
    await putJob('job-after');

    // Records of a shard are delivered in order: once the later job is in, the first is settled.
    await until(() => counter('DELIVERED#job-after'), (n) => n > 0);
    expect(await counter('ATTEMPTS#job-retry')).toBe(2);
    expect(await counter('DELIVERED#job-retry')).toBe(1);
    expect(await counter('DELIVERED#job-after')).toBe(1);
    expect(runtime.events.filter((e) => e.event === 'batch' && String(e['outcome']).includes('failed:'))).toEqual([]);
  });

  it('passes only the records its filter matches', async () => {
    await dynamodb.send(
      new PutItemCommand({ TableName: table, Item: { pk: { S: 'not-a-job' }, sk: { S: 'job' }, kind: { S: 'other' } } }),
    );
    await putJob('job-marker');

    await until(() => counter('DELIVERED#job-marker'), (n) => n > 0);
    expect(await counter('ATTEMPTS#not-a-job')).toBe(0);
  });

  it('sends a record that keeps failing to the on-failure queue after its retries, then moves on', async () => {
    const failuresUrl = Object.entries(runtime.queues).find(([key]) => key.includes('StreamFailures'))?.[1] as string;

    await putJob('job-poison', { alwaysFail: { BOOL: true } });
    const received = await until(
      () => sqs.send(new ReceiveMessageCommand({ QueueUrl: failuresUrl, WaitTimeSeconds: 1 })),
      (r) => (r.Messages ?? []).length > 0,
    );
    await putJob('job-after-poison');
    await until(() => counter('DELIVERED#job-after-poison'), (n) => n > 0);

    const failure = JSON.parse(received.Messages?.[0]?.Body ?? '{}') as {
      requestContext: { condition: string; approximateInvokeCount: number };
      DDBStreamBatchInfo: { batchSize: number; streamArn: string };
    };
    expect(failure.requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(failure.requestContext.approximateInvokeCount).toBe(3); // first attempt + 2 retries
    expect(failure.DDBStreamBatchInfo.batchSize).toBe(1);
    expect(await counter('ATTEMPTS#job-poison')).toBe(3);
    expect(await counter('DELIVERED#job-poison')).toBe(0);
    expect(await counter('DELIVERED#job-after-poison')).toBe(1);
  });

  it('bisects a batch whose invocation throws until the bad record is alone', async () => {
    const failuresUrl = Object.entries(runtime.queues).find(([key]) => key.includes('StreamFailures'))?.[1] as string;
    const job = (id: string, explode = false) => ({
      Put: {
        TableName: table,
        Item: { pk: { S: id }, sk: { S: 'job' }, kind: { S: 'job' }, ...(explode ? { explode: { BOOL: true } } : {}) },
      },
    });

    // One transaction: the three records reach the consumer in one batch.
    await dynamodb.send(new TransactWriteItemsCommand({ TransactItems: [job('job-b1'), job('job-bomb', true), job('job-b2')] }));
    const received = await until(
      () => sqs.send(new ReceiveMessageCommand({ QueueUrl: failuresUrl, WaitTimeSeconds: 1 })),
      (r) => (r.Messages ?? []).length > 0,
    );
    await until(() => counter('DELIVERED#job-b2'), (n) => n > 0);

    const failure = JSON.parse(received.Messages?.[0]?.Body ?? '{}') as { DDBStreamBatchInfo: { batchSize: number } };
    expect(failure.DDBStreamBatchInfo.batchSize).toBe(1);
    expect(await counter('DELIVERED#job-b1')).toBe(1);
    expect(await counter('DELIVERED#job-b2')).toBe(1);
    expect(await counter('DELIVERED#job-bomb')).toBe(0);
  });

  it('runs batches of a shard concurrently with ParallelizationFactor, in order per partition key', async () => {
    const journal = Object.entries(runtime.tables).find(([key]) => key.includes('Journal'))?.[1] as string;
    const keys = Array.from({ length: 8 }, (_, i) => `key-${i}`);
    const entry = (pk: string, version: number) => ({
      Put: { TableName: journal, Item: { pk: { S: pk }, version: { N: String(version) } } },
    });

    for (let version = 1; version <= 3; version += 1) {
      await dynamodb.send(new TransactWriteItemsCommand({ TransactItems: keys.map((k) => entry(k, version)) }));
    }
    const orderOf = async (key: string) => {
      const item = await dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { pk: { S: `ORDER#${key}` }, sk: { S: 'order' } }, ConsistentRead: true }),
      );
      return (item.Item?.['versions']?.L ?? []).map((v) => Number(v.N));
    };
    const orders = await until(
      () => Promise.all(keys.map(orderOf)),
      (all) => all.every((versions) => versions.length >= 3),
      30_000,
    );
    const spansItem = await dynamodb.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: 'SPANS' }, sk: { S: 'spans' } }, ConsistentRead: true }),
    );
    const spans = (spansItem.Item?.['spans']?.L ?? []).map((s) => (s.L ?? []).map((n) => Number(n.N)) as [number, number]);
    const overlapping = spans.some(([start, end], i) => spans.some(([s2], j) => j !== i && s2 >= start && s2 < end));

    expect(orders).toEqual(keys.map(() => [1, 2, 3]));
    expect(overlapping).toBe(true);
  });

  it('keeps a FIFO group in order and moves a failing message to the dead-letter queue', async () => {
    const client = await runtime.connect({ query: 'token=allow-sam' });
    // API Gateway runs a connection's messages concurrently: wait for each send.
    for (let seq = 1; seq <= 5; seq += 1) {
      client.send(JSON.stringify({ action: 'echo', enqueue: { group: 'g1', seq } }));
      await client.waitForCount((f) => f['route'] === 'echo', seq);
    }
    client.send(JSON.stringify({ action: 'echo', enqueue: { group: 'g2', seq: 1, fail: true } }));
    await client.waitForCount((f) => f['route'] === 'echo', 6);

    const log = await until(
      () => dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'LOG#g1' }, sk: { S: 'log' } }, ConsistentRead: true })),
      (r) => (r.Item?.['seqs']?.L ?? []).length >= 5,
    );
    const dlqUrl = Object.entries(runtime.queues).find(([key]) => key.includes('TasksDlq'))?.[1] as string;
    const dead = await until(
      () => sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] })),
      (r) => (r.Messages ?? []).length > 0,
      30_000,
    );
    client.socket.terminate();

    expect((log.Item?.['seqs']?.L ?? []).map((v) => Number(v.N))).toEqual([1, 2, 3, 4, 5]);
    expect(JSON.parse(dead.Messages?.[0]?.Body ?? '{}')).toEqual({ group: 'g2', seq: 1, fail: true });
  });
});

describe('the WebSocket gateway on the local runtime', () => {
  let runtime: LocalParleyProcess;

  beforeAll(async () => {
    runtime = await startLocalParley({
      app: 'test/integration/fixtures/consumer-app/app.ts#buildConsumerApp',
      env: { PARLEY_IDLE_TIMEOUT_SECONDS: '2' },
    });
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('selects routes by action, falls back to $default, and sends two-way responses', async () => {
    const client = await runtime.connect({ query: 'token=allow-ann' });

    client.send(JSON.stringify({ action: 'echo' }));
    client.send(JSON.stringify({ action: 'nothing-here' }));
    client.send('plain text');

    const echo = await client.waitFor((f) => f['route'] === 'echo');
    const fallbacks = await client.waitForCount((f) => f['route'] === '$default', 2);
    client.socket.terminate();
    expect(echo).toMatchObject({ user: 'ann', hasEndpoint: true });
    expect(fallbacks.map((f) => f['received']).sort()).toEqual(['plain text', '{"action":"nothing-here"}']);
  });

  it('pushes through the management API at the callback URL from the template', async () => {
    const client = await runtime.connect({ query: 'token=allow-ben' });

    client.send(JSON.stringify({ action: 'echo', push: 'pushed by the function' }));

    await client.waitFor((f) => f['route'] === 'echo');
    expect(client.raw).toContain('pushed by the function');
    client.socket.terminate();
  });

  it('answers 410 Gone for a connection that is gone', async () => {
    const response = await fetch(`${runtime.managementUrl}/@connections/${encodeURIComponent('nobody00000000=')}`, {
      method: 'POST',
      body: 'hello',
    });

    expect(response.status).toBe(410);
    expect(response.headers.get('x-amzn-errortype')).toBe('GoneException');
  });

  it('describes and closes a live connection through the management API', async () => {
    const client = await runtime.connect({ query: 'token=allow-eve' });
    client.send(JSON.stringify({ action: 'echo' }));
    const { connectionId } = (await client.waitFor((f) => f['route'] === 'echo')) as { connectionId?: string };
    const url = `${runtime.managementUrl}/@connections/${encodeURIComponent(connectionId ?? '')}`;

    const info = (await (await fetch(url)).json()) as { connectedAt: string; identity: { sourceIp: string } };
    const deleted = await fetch(url, { method: 'DELETE' });
    const closed = await client.closed;
    const afterwards = await fetch(url);

    expect(info.identity.sourceIp).toBe('127.0.0.1');
    expect(Number.isNaN(Date.parse(info.connectedAt))).toBe(false);
    expect(deleted.status).toBe(204);
    expect(closed.code).toBe(1000);
    expect(afterwards.status).toBe(410);
  });

  it('turns a denied authorizer into 403 and a failed one into 401', async () => {
    await expect(runtime.connect({ query: 'token=deny' })).rejects.toMatchObject(new ConnectionRefusedError(403));
    await expect(runtime.connect({ query: 'token=junk' })).rejects.toMatchObject(new ConnectionRefusedError(401));
  });

  it('keeps serving after a function crashes or times out', async () => {
    const client = await runtime.connect({ query: 'token=allow-cid' });

    client.send(JSON.stringify({ action: 'echo', crash: true }));
    client.send(JSON.stringify({ action: 'echo', sleepMs: 3_000 }));
    const failures = await client.waitForCount((f) => f['message'] === 'Internal server error', 2);
    client.send(JSON.stringify({ action: 'echo' }));
    const answer = await client.waitFor((f) => f['route'] === 'echo');
    client.socket.terminate();

    expect(failures).toHaveLength(2);
    expect(answer).toMatchObject({ user: 'cid' });
    const timeout = await runtime.waitForEvent((e) => e.event === 'request' && e['status'] === 'timeout');
    expect(timeout['route']).toBe('echo');
  });

  it('closes an idle connection after the idle timeout', async () => {
    const client = await runtime.connect({ query: 'token=allow-dee' });

    const closed = await client.closed;

    expect(closed.code).toBe(1001);
  });
});
