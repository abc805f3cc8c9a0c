import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENTS_ENV } from '../../lambdas/wiring/env';
import { INGESTION_MAX_RECEIVE_COUNT, INGESTION_TIMEOUT, INGESTION_VISIBILITY_TIMEOUT } from '../../lib/constructs/document-storage';
import { INGESTION_BATCH_SIZE, INGESTION_MAX_CONCURRENCY, INGESTION_MEMORY_MB } from '../../lib/document-functions';
import { actionsOf, resourcesOf, statementsOfFunction, synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any> };

describe('room documents infrastructure', () => {
  let parley: SynthesizedParley;
  let stateful: Record<string, Resource>;
  let realtime: Record<string, Resource>;
  const logicalIdOf = (construct: unknown) =>
    parley.statefulStack.resolve((construct as { node: { defaultChild: { logicalId: string } } }).node.defaultChild.logicalId) as string;
  const functionOf = (id: string) => realtime[parley.functionLogicalId(id)]!;
  const grantsOn = (functionId: string, needle: string) =>
    [
      ...new Set(
        statementsOfFunction(parley.realtime, parley.functionLogicalId(functionId))
          .filter((s) => resourcesOf(s).some((r) => JSON.stringify(r).includes(needle)))
          .flatMap(actionsOf),
      ),
    ].sort();
  const s3On = (id: string) => grantsOn(id, `${logicalIdOf(parley.statefulStack.data.documents.bucket)}Arn`).filter((a) => a.startsWith('s3:'));

  beforeAll(() => {
    parley = synthParley();
    stateful = parley.stateful.toJSON().Resources as Record<string, Resource>;
    realtime = parley.realtime.toJSON().Resources as Record<string, Resource>;
  });

  it('keeps documents in a KMS-encrypted, versioned bucket that blocks public access and refuses plain HTTP', () => {
    const bucket = stateful[logicalIdOf(parley.statefulStack.data.documents.bucket)]!.Properties;

    expect(bucket).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: expect.anything() } }] },
      LoggingConfiguration: { LogFilePrefix: 'documents/' },
    });
    expect(bucket['LifecycleConfiguration'].Rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 7 }, Status: 'Enabled' })]),
    );
    parley.stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf(parley.statefulStack.data.documents.bucket) },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('lets browsers POST uploads from the configured origins', () => {
    const own = synthParley({ documentUploadOrigins: 'https://chat.example.com, http://127.0.0.1:3000' });
    const bucket = (own.stateful.toJSON().Resources as Record<string, Resource>)[
      own.statefulStack.resolve((own.statefulStack.data.documents.bucket as unknown as { node: { defaultChild: { logicalId: string } } }).node.defaultChild.logicalId) as string
    ]!.Properties;

    expect(bucket['CorsConfiguration'].CorsRules).toEqual([
      expect.objectContaining({ AllowedMethods: ['POST'], AllowedOrigins: ['https://chat.example.com', 'http://127.0.0.1:3000'] }),
    ]);
  });

  it('notifies the ingestion queue of every object created under rooms/', () => {
    parley.stateful.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalIdOf(parley.statefulStack.data.documents.bucket) },
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            QueueArn: { 'Fn::GetAtt': [logicalIdOf(parley.statefulStack.data.documents.queue), 'Arn'] },
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'rooms/' }] } },
          },
        ],
      },
    });
  });

  it('retries an object’s event on the queue, then dead-letters it, and alarms as soon as one lands there', () => {
    const { queue, deadLetters } = parley.statefulStack.data.documents;

    expect(stateful[logicalIdOf(queue)]!.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: INGESTION_VISIBILITY_TIMEOUT.toSeconds(),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(deadLetters), 'Arn'] }, maxReceiveCount: INGESTION_MAX_RECEIVE_COUNT },
    });
    parley.stateful.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(deadLetters), 'QueueName'] } }],
      Threshold: 1,
    });
  });

  it('feeds the ingestion function one object at a time, with partial batch responses, sized for a 200-page PDF', () => {
    const fn = parley.functionLogicalId('IngestDocuments');
    const mappings = Object.values(realtime).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties['FunctionName']?.Ref === fn);

    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({
      BatchSize: INGESTION_BATCH_SIZE,
      ScalingConfig: { MaximumConcurrency: INGESTION_MAX_CONCURRENCY },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(functionOf('IngestDocuments').Properties).toMatchObject({ Timeout: INGESTION_TIMEOUT.toSeconds(), MemorySize: INGESTION_MEMORY_MB });
    expect(functionOf('IngestDocuments').Properties['Environment'].Variables).toMatchObject({
      [DOCUMENTS_ENV.maxReceiveCount]: String(INGESTION_MAX_RECEIVE_COUNT),
    });
  });

  it('routes the documents actions to the documents function only', () => {
    const routes = Object.values(realtime).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    for (const action of ['requestDocumentUpload', 'listDocuments', 'deleteDocument', 'getDocumentPassage']) {
      expect(routes.some((r) => r.Properties['RouteKey'] === action)).toBe(true);
    }
    const integrations = JSON.stringify(Object.values(realtime).filter((r) => r.Type === 'AWS::ApiGatewayV2::Integration'));
    expect(integrations).toContain(parley.functionLogicalId('Documents'));
    expect(integrations).not.toContain(parley.functionLogicalId('IngestDocuments'));
  });

  it('lets only the ingestion function read the bucket and only the documents function sign uploads', () => {
    expect(s3On('Documents')).toEqual(['s3:DeleteObject', 's3:ListBucket', 's3:PutObject']);
    expect(s3On('IngestDocuments')).toEqual(['s3:GetObject']);
    expect(s3On('RoomPurge')).toEqual(['s3:DeleteObject', 's3:ListBucket']);
    for (const id of parley.realtimeStack.functions.keys()) {
      if (!['Documents', 'IngestDocuments', 'RoomPurge'].includes(id)) expect(s3On(id), id).toEqual([]);
    }
  });

  it('grants the knowledge table to the documents, ingestion and purge functions, and reading it to the agent worker', () => {
    const table = `${logicalIdOf(parley.statefulStack.data.knowledgeTable)}Arn`;
    const holders = [...parley.realtimeStack.functions.keys()].filter((id) => grantsOn(id, table).some((a) => a.startsWith('dynamodb:'))).sort();

    expect(holders).toEqual(['AgentWorker', 'Documents', 'IngestDocuments', 'RoomPurge']);
    expect(grantsOn('IngestDocuments', table).filter((a) => a.startsWith('dynamodb:'))).not.toContain('dynamodb:DeleteItem');
    // search_documents reads records and chunks; an agent never writes them.
    expect(grantsOn('AgentWorker', table).filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:Query']);
  });

  it('lets the documents function read one cited chunk by its key (getDocumentPassage)', () => {
    const table = `${logicalIdOf(parley.statefulStack.data.knowledgeTable)}Arn`;

    expect(grantsOn('Documents', table)).toContain('dynamodb:GetItem');
  });
});
