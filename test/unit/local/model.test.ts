import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCloudAssembly } from '../../../scripts/local/assembly';
import type { LocalModel } from '../../../scripts/local/model';
import { buildModel } from '../../../scripts/local/model/build-model';
import { buildConsumerApp } from '../../integration/fixtures/consumer-app/app';

describe('buildModel', () => {
  let outdir: string;
  let model: LocalModel;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'parley-model-'));
    // Bundling is skipped: the model needs the templates, not the code.
    buildConsumerApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } }).synth();
    model = buildModel(readCloudAssembly(outdir), {
      region: 'us-east-1',
      accountId: '000000000000',
      sqsEndpoint: 'http://127.0.0.1:4000',
    });
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('reads the WebSocket routes, their functions, the authorizer and the two-way routes', () => {
    const [api] = model.webSocketApis;
    const routes = api?.routes;

    expect(api?.stage).toBe('test');
    expect(api?.routeSelectionExpression).toBe('$request.body.action');
    expect([...(routes?.keys() ?? [])].sort()).toEqual(['$connect', '$default', 'echo']);
    expect(model.functions.get(routes?.get('echo')?.functionKey ?? '')?.logicalId).toMatch(/^Echo/);
    expect(routes?.get('$connect')?.authorizer?.identitySource).toEqual(['route.request.querystring.token']);
    expect(routes?.get('echo')?.returnResponse).toBe(true);
    expect(routes?.get('$connect')?.returnResponse).toBe(false);
  });

  it('reads tables with their stream and TTL, and queues with FIFO and redrive', () => {
    model.resolveQueues();
    const tasks = model.queues.find((q) => q.key.includes('Tasks0'));
    const dlq = model.queues.find((q) => q.key.includes('TasksDlq'));

    expect(model.tables[0]).toMatchObject({ streamViewType: 'NEW_AND_OLD_IMAGES', ttlAttribute: 'expiresAt' });
    expect(tasks?.name.endsWith('.fifo')).toBe(true);
    expect(tasks?.url).toBe(`http://127.0.0.1:4000/000000000000/${tasks?.name}`);
    expect(tasks?.attributes).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '3' });
    expect(JSON.parse(tasks?.attributes['RedrivePolicy'] ?? '{}')).toEqual({ deadLetterTargetArn: dlq?.arn, maxReceiveCount: 2 });
  });

  it('reads event source mappings once the stream exists', () => {
    for (const t of model.tables) t.streamArn = `arn:aws:dynamodb:ddblocal:000000000000:table/${t.tableName}/stream/1`;
    const [table] = model.tables;

    const stream = model.eventSourceMappings.find((m) => m.kind === 'dynamodb' && m.sourceArn === table?.streamArn);
    const parallel = model.eventSourceMappings.find((m) => m.kind === 'dynamodb' && m !== stream);
    const queue = model.eventSourceMappings.find((m) => m.kind === 'sqs');

    expect(stream).toMatchObject({
      sourceArn: table?.streamArn,
      batchSize: 10,
      bisectOnError: true,
      reportBatchItemFailures: true,
      maximumRetryAttempts: 2,
      startingPosition: 'TRIM_HORIZON',
      onFailureArn: model.queues.find((q) => q.key.includes('StreamFailures'))?.arn,
      filterPatterns: [{ eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['job'] } } } }],
    });
    expect(queue).toMatchObject({ batchSize: 5, reportBatchItemFailures: true, maximumRetryAttempts: -1 });
    expect(stream?.parallelizationFactor).toBe(1);
    expect(parallel?.parallelizationFactor).toBe(4);
  });

  it('resolves function environments, mapping the stage callback URL through the rewrite', () => {
    const [api] = model.webSocketApis;
    model.resolveEnvironments((value) =>
      value.replace(`https://${api?.apiId}.execute-api.us-east-1.amazonaws.com`, 'http://127.0.0.1:3002'),
    );
    const echo = [...model.functions.values()].find((f) => f.logicalId.startsWith('Echo'));

    expect(echo?.environment['WS_MANAGEMENT_ENDPOINT']).toBe('http://127.0.0.1:3002/test');
    expect(echo?.environment['TASKS_QUEUE_URL']).toMatch(/^http:\/\/127\.0\.0\.1:4000\/000000000000\/.+\.fifo$/);
    expect(echo?.timeoutSeconds).toBe(1);
  });
});
