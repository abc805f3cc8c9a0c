import { beforeAll, describe, expect, it } from 'vitest';
import { RETENTION_ENV } from '../../lambdas/wiring/env';
import { ConfigError } from '../../lib/config';
import { ARCHIVE_STREAM_FILTERS } from '../../lib/retention-functions';
import { matchesFilters } from '../../scripts/local/event-sources/filter';
import { actionsOf, resourcesOf, statementsOfFunction, synthParley, type Statement } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any> };

const logicalIdOf = (parley: SynthesizedParley, bucket: unknown): string =>
  parley.statefulStack.resolve((bucket as { node: { defaultChild: { logicalId: string } } }).node.defaultChild.logicalId);

/** The statements of a function that name S3 actions, as `action on resource` lines. */
const s3Grants = (statements: Statement[]): string[] =>
  statements
    .filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')))
    .flatMap((s) =>
      actionsOf(s).flatMap((action) => resourcesOf(s).map((resource) => `${action} on ${JSON.stringify(resource)}`)),
    )
    .sort();

describe('retention and archive infrastructure', () => {
  let parley: SynthesizedParley;
  let stateful: Record<string, Resource>;
  let realtime: Record<string, Resource>;
  let archiveId: string;
  let failuresId: string;
  let keyId: string;

  beforeAll(() => {
    parley = synthParley();
    stateful = parley.stateful.toJSON().Resources as Record<string, Resource>;
    realtime = parley.realtime.toJSON().Resources as Record<string, Resource>;
    archiveId = logicalIdOf(parley, parley.statefulStack.data.messageArchive);
    failuresId = logicalIdOf(parley, parley.statefulStack.data.archiveFailures);
    keyId = parley.contentKeyLogicalId;
  });

  const bucket = (id: string) => stateful[id]!.Properties;
  const policyOf = (id: string) =>
    Object.values(stateful).find((r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties['Bucket']?.Ref === id);

  it('encrypts both buckets with the content key and S3 Bucket Keys, versions them and blocks public access', () => {
    for (const id of [archiveId, failuresId]) {
      expect(bucket(id)).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
              },
            },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
    }
  });

  it('refuses any request to either bucket that does not use TLS', () => {
    for (const id of [archiveId, failuresId]) {
      const statements = policyOf(id)?.Properties['PolicyDocument'].Statement as Array<Record<string, any>>;

      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('logs access to both buckets in a separate, S3-encrypted, private log bucket', () => {
    const logsId = bucket(archiveId)['LoggingConfiguration'].DestinationBucketName.Ref as string;

    expect(bucket(archiveId)['LoggingConfiguration']).toEqual({ DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'archive/' });
    expect(bucket(failuresId)['LoggingConfiguration']).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 'failed-batches/',
    });
    expect(bucket(logsId)).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
    });
  });

  it('moves archive objects to Glacier Instant Retrieval after 90 days and deletes them after 2555 by default', () => {
    const rules = bucket(archiveId)['LifecycleConfiguration'].Rules as Array<Record<string, unknown>>;

    expect(rules).toContainEqual({
      Id: 'age-out-archived-messages',
      Status: 'Enabled',
      Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
      ExpirationInDays: 2555,
      NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    });
  });

  it('keeps failed batches until they are replayed, forgetting only replaced versions', () => {
    const rules = bucket(failuresId)['LifecycleConfiguration'].Rules as Array<Record<string, unknown>>;

    expect(rules.some((rule) => 'ExpirationInDays' in rule || 'Transitions' in rule)).toBe(false);
    expect(rules).toContainEqual(expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } }));
  });

  it('takes the lifecycle from the configuration', () => {
    const custom = synthParley({ archiveTransitionDays: '30', archiveStorageClass: 'DEEP_ARCHIVE', archiveExpirationDays: '400' });
    const id = logicalIdOf(custom, custom.statefulStack.data.messageArchive);
    const rules = (custom.stateful.toJSON().Resources as Record<string, Resource>)[id]!.Properties['LifecycleConfiguration']
      .Rules as Array<Record<string, unknown>>;

    expect(rules[0]).toMatchObject({ Transitions: [{ StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 30 }], ExpirationInDays: 400 });
  });

  it('refuses an expiration before the storage class’s minimum duration', () => {
    expect(() => synthParley({ archiveTransitionDays: '90', archiveStorageClass: 'DEEP_ARCHIVE', archiveExpirationDays: '200' })).toThrow(
      ConfigError,
    );
    expect(() => synthParley({ archiveTransitionDays: '90', archiveStorageClass: 'DEEP_ARCHIVE', archiveExpirationDays: '200' })).toThrow(
      /archiveExpirationDays: must be at least archiveTransitionDays \+ 180/,
    );
  });

  describe('the archive consumer', () => {
    let mapping: Resource;

    beforeAll(() => {
      const fn = parley.functionLogicalId('ArchiveMessages');
      const mappings = Object.values(realtime).filter(
        (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties['FunctionName']?.Ref === fn,
      );
      expect(mappings).toHaveLength(1);
      mapping = mappings[0]!;
    });

    it('reads the messages stream with partial batch responses, bisect and bounded retries', () => {
      const messagesTable = parley.tableLogicalId(parley.statefulStack.data.messagesTable);

      expect(JSON.stringify(mapping.Properties['EventSourceArn'])).toContain(`${messagesTable}StreamArn`);
      expect(mapping.Properties).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 500,
        MaximumBatchingWindowInSeconds: 30,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 10,
        MaximumRecordAgeInSeconds: 12 * 3600,
      });
    });

    it('sends batches it gives up on to the failed-batches bucket, which keeps their records', () => {
      expect(JSON.stringify(mapping.Properties['DestinationConfig'].OnFailure.Destination)).toContain(
        `${failuresId}Arn`,
      );
    });

    it('lets in message removals only: expiries and deletions, not markers or writes', () => {
      const patterns = (mapping.Properties['FilterCriteria'].Filters as Array<{ Pattern: string }>).map(
        (f) => JSON.parse(f.Pattern) as unknown,
      );
      const removal = (entity: string, userIdentity?: object) => ({
        eventName: 'REMOVE',
        dynamodb: { OldImage: { entity: { S: entity }, roomId: { S: 'r1' } } },
        ...(userIdentity ? { userIdentity } : {}),
      });
      const ttl = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };

      expect(patterns).toEqual(ARCHIVE_STREAM_FILTERS);
      expect(matchesFilters(patterns, removal('message', ttl))).toBe(true);
      expect(matchesFilters(patterns, removal('message'))).toBe(true);
      expect(matchesFilters(patterns, removal('dedupe', ttl))).toBe(false);
      expect(matchesFilters(patterns, { eventName: 'INSERT', dynamodb: { NewImage: { entity: { S: 'message' } } } })).toBe(false);
    });

    it('may write archive objects and failed batches, and read or delete nothing', () => {
      const grants = s3Grants(statementsOfFunction(parley.realtime, parley.functionLogicalId('ArchiveMessages')));

      expect(grants.filter((g) => !g.startsWith('s3:PutObject') && !g.startsWith('s3:ListBucket'))).toEqual([]);
      const puts = grants.filter((g) => g.startsWith('s3:PutObject'));
      expect(['/archive/*', '/deleted/*', '/aws/lambda/*'].map((prefix) => puts.filter((g) => g.includes(prefix)).length)).toEqual([
        1, 1, 1,
      ]);
      expect(grants.filter((g) => g.startsWith('s3:PutObject'))).toHaveLength(3);
    });
  });

  it('lets owners’ link function list and read archive/ only, never write or read deletions', () => {
    const statements = statementsOfFunction(parley.realtime, parley.functionLogicalId('Retention'));
    const grants = s3Grants(statements);
    const list = statements.find((s) => actionsOf(s).includes('s3:ListBucket')) as Statement & { Condition?: unknown };

    expect(grants.map((g) => g.split(' on ')[0])).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(grants[0]).toContain('/archive/*');
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['archive/*'] } });
  });

  it('lets the replay read and delete failed batches and write archive objects', () => {
    const grants = s3Grants(statementsOfFunction(parley.realtime, parley.functionLogicalId('ArchiveReplay')));

    expect([...new Set(grants.map((g) => g.split(' on ')[0]))]).toEqual([
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    expect(grants.filter((g) => g.startsWith('s3:GetObject') || g.startsWith('s3:DeleteObject')).every((g) => g.includes('/aws/lambda/*'))).toBe(
      true,
    );
  });

  it('routes the retention actions to the Retention function', () => {
    const fn = parley.functionLogicalId('Retention');
    const integrations = Object.entries(realtime).filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Integration');
    const integrationOf = (routeKey: string) => {
      const route = Object.values(realtime).find(
        (r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties['RouteKey'] === routeKey,
      );
      const target = JSON.stringify(route?.Properties['Target']);
      return integrations.find(([id]) => target.includes(id))?.[1];
    };

    for (const action of ['setRetention', 'getRetention', 'getArchive']) {
      expect(JSON.stringify(integrationOf(action)?.Properties['IntegrationUri'])).toContain(fn);
    }
  });

  it('gives the functions that store messages the default retention', () => {
    const envOf = (id: string) =>
      realtime[parley.functionLogicalId(id)]!.Properties['Environment'].Variables as Record<string, unknown>;
    const custom = synthParley({ defaultRetention: 'forever' });

    expect(envOf('SendMessage')[RETENTION_ENV.defaultRetention]).toBe('365');
    expect(
      (custom.realtime.toJSON().Resources as Record<string, Resource>)[custom.functionLogicalId('SendMessage')]!.Properties[
        'Environment'
      ].Variables[RETENTION_ENV.defaultRetention],
    ).toBe('forever');
    expect(envOf('Retention')).toMatchObject({
      [RETENTION_ENV.archiveLinkSeconds]: '300',
      [RETENTION_ENV.archiveMaxRangeDays]: '31',
    });
  });
});
