import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MEMORY_TABLE } from '../../lambdas/adapters/dynamodb/memory-schema';
import { MEMORY_ENV } from '../../lambdas/wiring/env';
import { MEMORY_STREAM_BATCH_SIZE, MEMORY_STREAM_FILTERS } from '../../lib/memory-functions';
import { matchesFilters } from '../../scripts/local/event-sources/filter';
import { actionsOf, resourcesOf, statementsOfFunction, streamRecord, synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any> };

const message = (moderation: string) => ({ entity: 'message', roomId: 'r1', text: 'hello', moderation });

describe('room memory infrastructure', () => {
  let parley: SynthesizedParley;
  let stateful: Record<string, Resource>;
  let realtime: Record<string, Resource>;
  let mapping: Resource;

  beforeAll(() => {
    parley = synthParley();
    stateful = parley.stateful.toJSON().Resources as Record<string, Resource>;
    realtime = parley.realtime.toJSON().Resources as Record<string, Resource>;
    const memoryFunction = parley.functionLogicalId('MemoryStream');
    const mappings = Object.values(realtime).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties['FunctionName']?.Ref === memoryFunction,
    );
    expect(mappings).toHaveLength(1);
    mapping = mappings[0]!;
  });

  it('keeps memory in its own table, keyed from the schema, encrypted with the content key and expiring by TTL', () => {
    const table = stateful[parley.tableLogicalId(parley.statefulStack.data.memoryTable)]!;
    const keyId = parley.contentKeyLogicalId;

    expect(table.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: MEMORY_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: MEMORY_TABLE.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: MEMORY_TABLE.ttlAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      DeletionProtectionEnabled: true,
    });
    expect(table.Properties['StreamSpecification']).toBeUndefined();
  });

  it('feeds the memory consumer from the messages stream, in order, with bisect, partial batch responses and bounded retries', () => {
    const messagesTable = parley.tableLogicalId(parley.statefulStack.data.messagesTable);

    expect(JSON.stringify(mapping.Properties['EventSourceArn'])).toContain(`${messagesTable}StreamArn`);
    expect(mapping.Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: MEMORY_STREAM_BATCH_SIZE,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 6 * 3600,
    });
    expect(mapping.Properties['ParallelizationFactor'] ?? 1).toBe(1);
  });

  it('sends a change that keeps failing to an encrypted, TLS-only, retained failure queue of the stateful stack', () => {
    const failures = parley.statefulStack.data.streamFailures.memory;
    const queueId = parley.statefulStack.resolve((failures.node.defaultChild as CfnElement).logicalId) as string;
    const queue = stateful[queueId]!;

    expect(JSON.stringify(mapping.Properties['DestinationConfig'].OnFailure.Destination)).toContain(queueId);
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(queue).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    parley.stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('filters the stream so only moderated text reaches memory, as the contract says', () => {
    const patterns = (mapping.Properties['FilterCriteria'].Filters as Array<{ Pattern: string }>).map((f) => JSON.parse(f.Pattern));
    const passes = (record: object) => matchesFilters(patterns, record as Record<string, unknown>);

    expect(patterns).toEqual(MEMORY_STREAM_FILTERS);
    expect(passes(streamRecord('INSERT', { new: message('allowed') }))).toBe(true);
    expect(passes(streamRecord('INSERT', { new: message('redacted') }))).toBe(true);
    expect(passes(streamRecord('INSERT', { new: message('quarantined') }))).toBe(false);
    expect(passes(streamRecord('INSERT', { new: message('blocked') }))).toBe(false);
    expect(passes(streamRecord('INSERT', { new: message('pending') }))).toBe(false);
    expect(passes(streamRecord('INSERT', { new: { entity: 'message', roomId: 'r1', text: 'hello' } }))).toBe(false);
    expect(passes(streamRecord('MODIFY', { old: message('pending'), new: message('allowed') }))).toBe(true);
    expect(passes(streamRecord('MODIFY', { old: message('pending'), new: message('redacted') }))).toBe(true);
    expect(passes(streamRecord('MODIFY', { old: message('pending'), new: message('quarantined') }))).toBe(false);
    expect(passes(streamRecord('MODIFY', { old: message('pending'), new: message('blocked') }))).toBe(false);
    expect(passes(streamRecord('MODIFY', { old: message('allowed'), new: message('blocked') }))).toBe(true);
    expect(passes(streamRecord('REMOVE', { old: message('allowed') }))).toBe(true);
    expect(passes(streamRecord('INSERT', { new: { entity: 'dedupe', roomId: 'r1' } }))).toBe(false);
  });

  it('lets the consumer write memory, read the messages stream and nothing of the messages table itself', () => {
    const statements = statementsOfFunction(parley.realtime, parley.functionLogicalId('MemoryStream'));
    const on = (needle: string) =>
      statements.filter((s) => resourcesOf(s).some((r) => JSON.stringify(r).includes(needle))).flatMap(actionsOf).sort();
    const memoryTable = parley.tableLogicalId(parley.statefulStack.data.memoryTable);
    const messagesTable = parley.tableLogicalId(parley.statefulStack.data.messagesTable);

    expect(on(`${memoryTable}Arn`)).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(on(`${messagesTable}StreamArn`)).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']);
    expect(on(`${messagesTable}Arn`)).toEqual([]);
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('bedrock:'))).toEqual([]);
  });

  it('routes getSummary to a function that reads rooms and queries memory, and writes nothing', () => {
    const statements = statementsOfFunction(parley.realtime, parley.functionLogicalId('MemorySummary'));
    const dynamo = statements.flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:')).sort();
    const route = Object.values(realtime).find(
      (r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties['RouteKey'] === 'getSummary',
    );

    expect(dynamo).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(route?.Properties['RouteResponseSelectionExpression']).toBe('$default');
    const fn = realtime[parley.functionLogicalId('MemorySummary')]!;
    const integrationId = (route?.Properties['Target']['Fn::Join'][1] as Array<{ Ref?: string }>).find((p) => p.Ref)?.Ref;
    expect(JSON.stringify(realtime[integrationId!]?.Properties['IntegrationUri'])).toContain(
      parley.functionLogicalId('MemorySummary'),
    );
    expect(fn.Properties['Environment'].Variables[MEMORY_ENV.table]).toBeDefined();
  });

  it('summarizes every 20 messages, extractively, unless configured otherwise', () => {
    const custom = synthParley({ memorySummaryEvery: '50', memorySummaryModelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' });
    const envOf = (p: SynthesizedParley) =>
      (p.realtime.toJSON().Resources[p.functionLogicalId('MemoryStream')] as Resource).Properties['Environment'].Variables;
    const bedrock = statementsOfFunction(custom.realtime, custom.functionLogicalId('MemoryStream')).filter((s) =>
      actionsOf(s).includes('bedrock:InvokeModel'),
    );

    expect(envOf(parley)).toMatchObject({ [MEMORY_ENV.summaryEvery]: '20' });
    expect(envOf(parley)[MEMORY_ENV.summarizer]).toBeUndefined();
    expect(envOf(custom)).toMatchObject({
      [MEMORY_ENV.summaryEvery]: '50',
      [MEMORY_ENV.summarizer]: 'bedrock',
      [MEMORY_ENV.summaryModelId]: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
    });
    // The profile itself, and the model in the regions it routes to, only through the profile.
    expect(bedrock).toHaveLength(2);
    const [profile, routed] = bedrock as Array<(typeof bedrock)[number] & { Condition?: unknown }>;
    expect(JSON.stringify(profile?.Resource)).toContain('inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(JSON.stringify(routed?.Resource)).toContain(':bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(routed?.Condition).toEqual({ StringEquals: { 'bedrock:InferenceProfileArn': resourcesOf(profile!) } });
  });

  it('embeds messages with the configured Titan model only when configured', () => {
    const custom = synthParley({ memoryEmbeddingModelId: 'amazon.titan-embed-text-v2:0' });
    const grantsOf = (p: SynthesizedParley) =>
      statementsOfFunction(p.realtime, p.functionLogicalId('MemoryStream')).filter((s) =>
        actionsOf(s).includes('bedrock:InvokeModel'),
      );
    const env = (custom.realtime.toJSON().Resources[custom.functionLogicalId('MemoryStream')] as Resource).Properties[
      'Environment'
    ].Variables;

    expect(grantsOf(parley)).toEqual([]);
    expect(grantsOf(custom)).toHaveLength(1);
    expect(JSON.stringify(grantsOf(custom)[0]?.Resource)).toContain('::foundation-model/amazon.titan-embed-text-v2:0');
    expect(env[MEMORY_ENV.embeddingModelId]).toBe('amazon.titan-embed-text-v2:0');
  });
});
