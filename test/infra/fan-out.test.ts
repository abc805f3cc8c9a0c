import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAN_OUT_SHARD_SIZE, DEFAULT_FAN_OUT_THRESHOLD } from '../../lambdas/domain/fan-out';
import { FAN_OUT_ENV } from '../../lambdas/wiring/env';
import { ConfigError } from '../../lib/config';
import { FAN_OUT_MAX_RECEIVE_COUNT, FAN_OUT_VISIBILITY_TIMEOUT, FAN_OUT_WORKER_TIMEOUT } from '../../lib/constructs/fan-out-queues';
import { FAN_OUT_BATCH_SIZE } from '../../lib/fan-out-functions';
import { actionsOf, resourcesOf, statementsOfFunction, synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any> };

describe('sharded fan-out infrastructure', () => {
  let parley: SynthesizedParley;
  let stateful: Record<string, Resource>;
  let realtime: Record<string, Resource>;
  const logicalIdOf = (construct: unknown) =>
    parley.statefulStack.resolve((construct as { node: { defaultChild: { logicalId: string } } }).node.defaultChild.logicalId) as string;
  const functionOf = (id: string) => realtime[parley.functionLogicalId(id)]!;
  const envOf = (id: string) => functionOf(id).Properties['Environment'].Variables as Record<string, unknown>;
  /** The actions a function is granted on resources whose reference mentions `needle`. */
  const grantsOn = (functionId: string, needle: string) =>
    [
      ...new Set(
        statementsOfFunction(parley.realtime, parley.functionLogicalId(functionId))
          .filter((s) => resourcesOf(s).some((r) => JSON.stringify(r).includes(needle)))
          .flatMap(actionsOf),
      ),
    ].sort();

  beforeAll(() => {
    parley = synthParley();
    stateful = parley.stateful.toJSON().Resources as Record<string, Resource>;
    realtime = parley.realtime.toJSON().Resources as Record<string, Resource>;
  });

  it('queues jobs FIFO per group, deduplicated by id, encrypted with the content key, with a FIFO dead-letter queue', () => {
    const { jobs, deadLetters } = parley.statefulStack.data.fanOutQueues;
    const key = logicalIdOf(parley.statefulStack.data.contentKey);

    expect(stateful[logicalIdOf(jobs)]!.Properties).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
      VisibilityTimeout: FAN_OUT_VISIBILITY_TIMEOUT.toSeconds(),
      MessageRetentionPeriod: 3600,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(deadLetters), 'Arn'] }, maxReceiveCount: FAN_OUT_MAX_RECEIVE_COUNT },
    });
    expect(stateful[logicalIdOf(deadLetters)]!.Properties).toMatchObject({
      FifoQueue: true,
      KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
      MessageRetentionPeriod: 4 * 86_400,
    });
  });

  it('alarms on the dead-letter queue as soon as a job lands there, notifying the alarm topic', () => {
    const dlq = logicalIdOf(parley.statefulStack.data.fanOutQueues.deadLetters);
    const topic = logicalIdOf(parley.statefulStack.data.alarmTopic);

    parley.stateful.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
      Threshold: 1,
      AlarmActions: [{ Ref: topic }],
    });
  });

  it('refuses plain HTTP on both queues', () => {
    const { jobs, deadLetters } = parley.statefulStack.data.fanOutQueues;
    for (const queue of [jobs, deadLetters]) {
      parley.stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalIdOf(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });

  it('feeds the worker from the job queue in small batches with partial batch responses', () => {
    const fn = parley.functionLogicalId('FanOutWorker');
    const mappings = Object.values(realtime).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties['FunctionName']?.Ref === fn,
    );

    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({ BatchSize: FAN_OUT_BATCH_SIZE, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(JSON.stringify(mappings[0]!.Properties['EventSourceArn'])).toContain(logicalIdOf(parley.statefulStack.data.fanOutQueues.jobs));
    expect(functionOf('FanOutWorker').Properties['Timeout']).toBe(FAN_OUT_WORKER_TIMEOUT.toSeconds());
  });

  it('lets sendMessage only send to the job queue, and the worker consume it and send its retries', () => {
    const { jobs, deadLetters } = parley.statefulStack.data.fanOutQueues;
    const sqsOn = (id: string, queue: unknown) => grantsOn(id, `${logicalIdOf(queue)}Arn`).filter((a) => a.startsWith('sqs:'));

    expect(sqsOn('SendMessage', jobs)).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect(sqsOn('FanOutWorker', jobs)).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'sqs:SendMessage',
    ]);
    for (const id of ['SendMessage', 'FanOutWorker']) expect(sqsOn(id, deadLetters)).toEqual([]);
  });

  it('lets the agent worker hand a large room’s reply to the fan-out queue, with the same threshold and shard size', () => {
    const { jobs, deadLetters } = parley.statefulStack.data.fanOutQueues;
    const sqsOn = (id: string, queue: unknown) => grantsOn(id, `${logicalIdOf(queue)}Arn`).filter((a) => a.startsWith('sqs:'));

    expect(sqsOn('AgentWorker', jobs)).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect(sqsOn('AgentWorker', deadLetters)).toEqual([]);
    expect(envOf('AgentWorker')).toMatchObject({
      [FAN_OUT_ENV.shardThreshold]: String(DEFAULT_FAN_OUT_THRESHOLD),
      [FAN_OUT_ENV.shardSize]: String(DEFAULT_FAN_OUT_SHARD_SIZE),
    });
    expect(envOf('AgentWorker')).toHaveProperty(FAN_OUT_ENV.queueUrl);
  });

  it('lets the worker post to connections and remove gone ones, and touch no other table', () => {
    const { roomsTable, messagesTable, connectionsTable } = parley.statefulStack.data;
    const dynamo = (table: Parameters<SynthesizedParley['tableLogicalId']>[0]) =>
      grantsOn('FanOutWorker', `${parley.tableLogicalId(table)}Arn`).filter((a) => a.startsWith('dynamodb:'));
    const statements = statementsOfFunction(parley.realtime, parley.functionLogicalId('FanOutWorker'));

    expect(dynamo(connectionsTable)).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem']);
    expect(dynamo(roomsTable)).toEqual([]);
    expect(dynamo(messagesTable)).toEqual([]);
    expect(statements.some((s) => actionsOf(s).includes('execute-api:ManageConnections'))).toBe(true);
    expect(envOf('FanOutWorker')).toHaveProperty(FAN_OUT_ENV.queueUrl);
    expect(envOf('FanOutWorker')).toHaveProperty('WS_MANAGEMENT_ENDPOINT');
  });

  it('gives sendMessage the queue, the threshold and the shard size, from the configuration or their defaults', () => {
    expect(envOf('SendMessage')).toMatchObject({
      [FAN_OUT_ENV.shardThreshold]: String(DEFAULT_FAN_OUT_THRESHOLD),
      [FAN_OUT_ENV.shardSize]: String(DEFAULT_FAN_OUT_SHARD_SIZE),
    });
    expect(envOf('SendMessage')).toHaveProperty(FAN_OUT_ENV.queueUrl);

    const custom = synthParley({ fanOutShardThreshold: '1000', fanOutShardSize: '400' });
    const variables = (custom.realtime.toJSON().Resources[custom.functionLogicalId('SendMessage')] as Resource).Properties['Environment'].Variables;
    expect(variables).toMatchObject({ [FAN_OUT_ENV.shardThreshold]: '1000', [FAN_OUT_ENV.shardSize]: '400' });
  });

  it('refuses a shard size outside what one job and one invocation can carry', () => {
    expect(() => synthParley({ fanOutShardSize: '5000' })).toThrow(ConfigError);
    expect(() => synthParley({ fanOutShardThreshold: '0' })).toThrow(ConfigError);
  });
});
