import type { CfnElement } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_TABLE } from '../../lambdas/adapters/dynamodb/audit-schema';
import { MODERATION_TABLE } from '../../lambdas/adapters/dynamodb/moderation-schema';
import { AUDIT_STREAM_FILTER, MODERATION_BATCH_SIZE, MODERATION_STREAM_FILTERS } from '../../lib/moderation-functions';
import { matchesFilters } from '../../scripts/local/event-sources/filter';
import { actionsOf, allStatements, resourcesOf, statementsOfFunction, synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any> };

const insert = (image: Record<string, string>, eventName = 'INSERT') => ({
  eventName,
  dynamodb: { NewImage: Object.fromEntries(Object.entries(image).map(([k, v]) => [k, { S: v }])) },
});

describe('moderation and audit infrastructure', () => {
  let parley: SynthesizedParley;
  let stateful: Record<string, Resource>;
  let realtime: Record<string, Resource>;
  let ids: { audit: string; moderation: string; archive: string; key: string; consumerFailures: string; archiverFailures: string };

  const mappingOf = (functionId: string): Resource => {
    const fn = parley.functionLogicalId(functionId);
    const mappings = Object.values(realtime).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties['FunctionName']?.Ref === fn,
    );
    expect(mappings).toHaveLength(1);
    return mappings[0]!;
  };
  /** Every statement, of any function, whose resources name `logicalId` (directly or through an export). */
  const statementsOn = (logicalId: string) =>
    allStatements(parley.realtime).filter((s) => JSON.stringify(resourcesOf(s)).includes(logicalId));

  beforeAll(() => {
    parley = synthParley();
    stateful = parley.stateful.toJSON().Resources as Record<string, Resource>;
    realtime = parley.realtime.toJSON().Resources as Record<string, Resource>;
    const { data } = parley.statefulStack;
    ids = {
      audit: parley.tableLogicalId(data.auditTable),
      moderation: parley.tableLogicalId(data.moderationTable),
      archive: parley.statefulStack.resolve((data.auditArchive.node.defaultChild as CfnElement).logicalId) as string,
      key: parley.contentKeyLogicalId,
      consumerFailures: parley.statefulStack.resolve((data.streamFailures.moderation.node.defaultChild as CfnElement).logicalId) as string,
      archiverFailures: parley.statefulStack.resolve((data.streamFailures.auditArchive.node.defaultChild as CfnElement).logicalId) as string,
    };
  });

  it('keeps the audit trail in a table keyed from the schema, streamed, encrypted and protected', () => {
    expect(stateful[ids.audit]!.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: AUDIT_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: AUDIT_TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: AUDIT_TABLE.byTimeIndex.name,
          KeySchema: [
            { AttributeName: AUDIT_TABLE.byTimeIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: AUDIT_TABLE.byTimeIndex.sortKey, KeyType: 'RANGE' },
          ],
        },
      ],
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [ids.key, 'Arn'] } },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it('lets no function update or delete audit entries: the trail is append-only', () => {
    const actions = new Set(statementsOn(ids.audit).flatMap(actionsOf));

    expect([...actions].filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
  });

  it('archives the trail to a versioned, encrypted, private bucket with Object Lock in compliance mode for a year', () => {
    expect(stateful[ids.archive]!.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { LogFilePrefix: 'archive/' },
    });
  });

  it('takes the lock mode and retention from the configuration', () => {
    const configured = synthParley({ auditLockMode: 'governance', auditRetentionDays: '30' });

    configured.stateful.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } },
    });
  });

  it('lets the archiver only add objects under audit/, never read, delete or change their retention', () => {
    const statements = statementsOfFunction(parley.realtime, parley.functionLogicalId('AuditArchiver'));
    const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    const onArchive = statementsOn(ids.archive).flatMap(actionsOf).filter((a) => a.startsWith('s3:'));

    expect(s3.map(actionsOf)).toEqual([['s3:PutObject']]);
    expect(JSON.stringify(resourcesOf(s3[0]!))).toContain('/audit/*');
    expect([...new Set(onArchive)]).toEqual(['s3:PutObject']);
  });

  it('keeps originals in their own encrypted, expiring table that only the moderation functions read, and SendMessage only writes', () => {
    const grantees = new Set(
      Object.entries(realtime)
        .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties).includes(ids.moderation))
        .flatMap(([, r]) => (r.Properties['Roles'] as Array<{ Ref: string }>).map((role) => role.Ref)),
    );

    expect(stateful[ids.moderation]!.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: MODERATION_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: MODERATION_TABLE.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: MODERATION_TABLE.ttlAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [ids.key, 'Arn'] } },
    });
    // HttpMessages sends for the HTTP API as SendMessage does (http-api.test.ts).
    expect([...grantees].map((role) => role.replace(/Role[0-9A-F]{8}$/, '')).sort()).toEqual([
      'HttpMessages',
      'Moderation',
      'ModerationConsumer',
      'SendMessage',
    ]);
    const sendMessageOnOriginals = statementsOfFunction(parley.realtime, parley.functionLogicalId('SendMessage'))
      .filter((s) => JSON.stringify(resourcesOf(s)).includes(ids.moderation))
      .flatMap(actionsOf);
    expect(sendMessageOnOriginals).toEqual(['dynamodb:PutItem']);
  });

  it('lets only the Moderation function query the moderation table (the review queue), and keeps the messages table free of indexes', () => {
    const onModeration = (id: string) =>
      statementsOfFunction(parley.realtime, parley.functionLogicalId(id))
        .filter((s) => JSON.stringify(resourcesOf(s)).includes(ids.moderation))
        .flatMap(actionsOf);
    const messagesTable = stateful[parley.tableLogicalId(parley.statefulStack.data.messagesTable)]!;

    expect(onModeration('Moderation').sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query']);
    expect(onModeration('ModerationConsumer').sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem']);
    expect(statementsOn(ids.moderation).filter((s) => actionsOf(s).includes('dynamodb:Query'))).toHaveLength(1);
    expect(messagesTable.Properties['GlobalSecondaryIndexes']).toBeUndefined();
  });

  it('feeds the consumer new pending messages and people’s new moderated ones, in small bisected batches with bounded retries and a failure queue', () => {
    const mapping = mappingOf('ModerationConsumer');
    const patterns = (mapping.Properties['FilterCriteria'].Filters as Array<{ Pattern: string }>).map((f) => JSON.parse(f.Pattern));
    const passes = (record: ReturnType<typeof insert>) => matchesFilters(patterns, record);

    expect(mapping.Properties).toMatchObject({
      BatchSize: MODERATION_BATCH_SIZE,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
    });
    expect(JSON.stringify(mapping.Properties['DestinationConfig'].OnFailure.Destination)).toContain(ids.consumerFailures);
    expect(stateful[ids.consumerFailures]).toMatchObject({ Type: 'AWS::SQS::Queue', DeletionPolicy: 'Retain' });
    expect(patterns).toEqual(MODERATION_STREAM_FILTERS);
    expect(passes(insert({ entity: 'message', senderType: 'agent', moderation: 'pending' }))).toBe(true);
    expect(passes(insert({ entity: 'message', senderType: 'human', moderation: 'pending' }))).toBe(true);
    for (const state of ['allowed', 'redacted', 'blocked']) {
      expect(passes(insert({ entity: 'message', senderType: 'human', moderation: state }))).toBe(true);
      expect(passes(insert({ entity: 'message', senderType: 'human', moderation: state }, 'MODIFY'))).toBe(false);
    }
    expect(passes(insert({ entity: 'message', senderType: 'human', moderation: 'quarantined' }))).toBe(true);
    expect(passes(insert({ entity: 'message', senderType: 'agent', moderation: 'allowed' }))).toBe(false);
    expect(passes(insert({ entity: 'message', senderType: 'human', moderation: 'pending' }, 'MODIFY'))).toBe(false);
    expect(passes(insert({ entity: 'dedupe' }))).toBe(false);
  });

  it('feeds the archiver new audit entries and retries whole batches, then parks them', () => {
    const mapping = mappingOf('AuditArchiver');
    const pattern = JSON.parse(mapping.Properties['FilterCriteria'].Filters[0].Pattern);

    expect(mapping.Properties).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
    });
    expect(JSON.stringify(mapping.Properties['DestinationConfig'].OnFailure.Destination)).toContain(ids.archiverFailures);
    expect(stateful[ids.archiverFailures]).toMatchObject({ Type: 'AWS::SQS::Queue', DeletionPolicy: 'Retain' });
    expect(mapping.Properties['FunctionResponseTypes']).toBeUndefined();
    expect(pattern).toEqual(AUDIT_STREAM_FILTER);
    expect(matchesFilters([pattern], insert({ entity: 'auditEntry' }))).toBe(true);
  });

  it('feeds the consumer the changes that put a message in the review queue or take it out, and no others', () => {
    const patterns = (mappingOf('ModerationConsumer').Properties['FilterCriteria'].Filters as Array<{ Pattern: string }>).map((f) =>
      JSON.parse(f.Pattern),
    );
    const image = (moderation: string) => ({ entity: { S: 'message' }, senderType: { S: 'agent' }, moderation: { S: moderation } });
    const change = (eventName: string, before?: string, after?: string) => ({
      eventName,
      dynamodb: { ...(before ? { OldImage: image(before) } : {}), ...(after ? { NewImage: image(after) } : {}) },
    });
    const passes = (record: object) => matchesFilters(patterns, record as Record<string, unknown>);

    // Held: a reply's decision, an edit moderation quarantined, an unhide or a new expiry.
    expect(passes(change('MODIFY', 'pending', 'quarantined'))).toBe(true);
    expect(passes(change('MODIFY', 'allowed', 'quarantined'))).toBe(true);
    expect(passes(change('MODIFY', 'quarantined', 'quarantined'))).toBe(true);
    // No longer held: released, deleted, expired or purged.
    expect(passes(change('MODIFY', 'quarantined', 'allowed'))).toBe(true);
    expect(passes(change('REMOVE', 'quarantined'))).toBe(true);
    // Everything else stays away.
    expect(passes(change('MODIFY', 'pending', 'allowed'))).toBe(false);
    expect(passes(change('MODIFY', 'allowed', 'allowed'))).toBe(false);
    expect(passes(change('REMOVE', 'allowed'))).toBe(false);
    expect(passes({ eventName: 'REMOVE', dynamodb: { OldImage: { entity: { S: 'dedupe' }, moderation: { S: 'quarantined' } } } })).toBe(false);
  });

  it('grants Bedrock Guardrails only when a guardrail is configured, then only that one, to the functions that moderate', () => {
    const guardrailGrants = (p: SynthesizedParley) =>
      allStatements(p.realtime).filter((s) => actionsOf(s).includes('bedrock:ApplyGuardrail'));
    const grantedTo = (p: SynthesizedParley, id: string) =>
      statementsOfFunction(p.realtime, p.functionLogicalId(id)).some((s) => actionsOf(s).includes('bedrock:ApplyGuardrail'));
    const configured = synthParley({ moderationGuardrailId: 'abc123def456', moderationGuardrailVersion: '3' });

    expect(guardrailGrants(parley)).toEqual([]);
    // SendMessage (and HttpMessages, for the HTTP API) checks people's messages inline; the consumer checks agents' replies.
    expect(guardrailGrants(configured)).toHaveLength(3);
    expect(grantedTo(configured, 'HttpMessages')).toBe(true);
    expect(grantedTo(configured, 'SendMessage')).toBe(true);
    expect(grantedTo(configured, 'ModerationConsumer')).toBe(true);
    for (const grant of guardrailGrants(configured)) {
      expect(JSON.stringify(resourcesOf(grant))).toContain('guardrail/abc123def456');
    }
  });
});
