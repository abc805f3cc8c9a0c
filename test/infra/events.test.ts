import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_ENV } from '../../lambdas/wiring/env';
import { ANALYTICS_BATCH_SIZE, EVENTS_AUDIT_STREAM_FILTERS, EVENTS_MESSAGE_STREAM_FILTERS } from '../../lib/event-functions';
import { actionsOf, resourcesOf, statementsOfFunction, synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any> };

describe('domain events infrastructure', () => {
  let parley: SynthesizedParley;
  let stateful: Record<string, Resource>;
  let realtime: Record<string, Resource>;
  const logicalIdOf = (construct: unknown) =>
    parley.statefulStack.resolve((construct as { node: { defaultChild: { logicalId: string } } }).node.defaultChild.logicalId) as string;
  const functionOf = (id: string) => realtime[parley.functionLogicalId(id)]!;
  const statements = (id: string) => statementsOfFunction(parley.realtime, parley.functionLogicalId(id));
  const mappingsOf = (id: string) =>
    Object.values(realtime).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties['FunctionName'].Ref === parley.functionLogicalId(id),
    );

  beforeAll(() => {
    parley = synthParley();
    stateful = parley.stateful.toJSON().Resources as Record<string, Resource>;
    realtime = parley.realtime.toJSON().Resources as Record<string, Resource>;
  });

  it('publishes from the audit and messages streams, filtered to what can be an event', () => {
    const mappings = mappingsOf('PublishEvents');
    const streams = mappings.map((m) => JSON.stringify(m.Properties['EventSourceArn']));
    expect(streams.some((s) => s.includes(logicalIdOf(parley.statefulStack.data.auditTable)))).toBe(true);
    expect(streams.some((s) => s.includes(logicalIdOf(parley.statefulStack.data.messagesTable)))).toBe(true);
    const patterns = mappings.flatMap((m) => m.Properties['FilterCriteria'].Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern)));
    expect(patterns).toEqual(expect.arrayContaining([...EVENTS_AUDIT_STREAM_FILTERS, ...EVENTS_MESSAGE_STREAM_FILTERS]));
    for (const mapping of mappings) {
      expect(mapping.Properties).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'], BisectBatchOnFunctionError: true });
    }
  });

  it('lets the publisher put events on Parley’s bus only, and read rooms in batches', () => {
    const puts = statements('PublishEvents').filter((s) => actionsOf(s).includes('events:PutEvents'));
    expect(puts).toHaveLength(1);
    expect(JSON.stringify(resourcesOf(puts[0]!))).toContain(logicalIdOf(parley.statefulStack.data.eventBus));
    expect(statements('PublishEvents').flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:') && !a.includes('Stream'))).toEqual(
      expect.arrayContaining(['dynamodb:BatchGetItem']),
    );
    expect(functionOf('PublishEvents').Properties['Environment'].Variables[EVENTS_ENV.busName]).toBeDefined();
    for (const id of parley.realtimeStack.functions.keys()) {
      if (id === 'PublishEvents') continue;
      expect(statements(id).flatMap(actionsOf), id).not.toContain('events:PutEvents');
    }
  });

  it('alarms when the bus refuses events', () => {
    parley.realtime.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'EventPublishFailed',
      Namespace: 'Parley',
      Threshold: 1,
      AlarmActions: Match.anyValue(),
    });
  });

  it('sends every Parley event on the bus to the analytics queue, with a dead-letter queue', () => {
    parley.stateful.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalIdOf(parley.statefulStack.data.eventBus) },
      EventPattern: { source: ['parley'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(parley.statefulStack.data.analyticsEvents.queue), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(parley.statefulStack.data.analyticsEvents.deadLetters), 'Arn'] } },
        }),
      ],
    });
    expect(stateful[logicalIdOf(parley.statefulStack.data.analyticsEvents.queue)]!.Properties['RedrivePolicy']).toMatchObject({
      maxReceiveCount: expect.any(Number),
    });
  });

  it('keeps analytics events in an encrypted, private, TLS-only bucket that expires them', () => {
    const bucketId = logicalIdOf(parley.statefulStack.data.analyticsEvents.bucket);
    expect(stateful[bucketId]!.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ Prefix: 'events/', ExpirationInDays: expect.any(Number) })] },
    });
    parley.stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('drains the analytics queue in large, windowed batches and writes under events/ only', () => {
    const [mapping] = mappingsOf('ArchiveEvents');
    expect(mapping!.Properties).toMatchObject({ BatchSize: ANALYTICS_BATCH_SIZE, MaximumBatchingWindowInSeconds: 20 });
    const s3 = statements('ArchiveEvents').filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3.flatMap(actionsOf)).toEqual(['s3:PutObject']);
    expect(JSON.stringify(resourcesOf(s3[0]!))).toContain('/events/*');
    expect(functionOf('ArchiveEvents').Properties['Environment'].Variables[EVENTS_ENV.analyticsBucket]).toBeDefined();
  });
});

describe('the publisher’s audit stream filter', () => {
  it('lets the audit entries of rounds, votes and dialogues through, like every new entry', async () => {
    const { matchesFilters } = await import('../../scripts/local/event-sources/filter');
    const { AUDIT_ENTITY } = await import('../../lambdas/adapters/dynamodb/audit-schema');
    const entry = (action: string, eventName = 'INSERT') => ({
      eventName,
      dynamodb: { NewImage: { entity: { S: AUDIT_ENTITY }, action: { S: action } } },
    });
    const games = ['game.roundStarted', 'game.voteCast', 'game.roundEnded', 'dialogue.initiated', 'dialogue.progressed', 'dialogue.resolved'];

    for (const action of games) expect(matchesFilters(EVENTS_AUDIT_STREAM_FILTERS, entry(action)), action).toBe(true);
    expect(matchesFilters(EVENTS_AUDIT_STREAM_FILTERS, entry('game.roundEnded', 'MODIFY'))).toBe(false);
  });
});
