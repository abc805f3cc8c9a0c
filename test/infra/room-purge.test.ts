import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, GAMES_ENV, MEMORY_ENV, ROOM_PURGE_ENV } from '../../lambdas/wiring/env';
import {
  ROOM_PURGE_MAX_RECEIVE_COUNT,
  ROOM_PURGE_VISIBILITY_TIMEOUT,
  ROOM_PURGE_WORKER_TIMEOUT,
} from '../../lib/constructs/room-purge-queues';
import { ROOM_PURGE_BATCH_SIZE, ROOM_PURGE_MAX_CONCURRENCY } from '../../lib/room-purge-functions';
import { actionsOf, resourcesOf, statementsOfFunction, synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any> };

describe('room purge infrastructure', () => {
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
  const dynamoOn = (functionId: string, table: unknown) =>
    grantsOn(functionId, `${logicalIdOf(table)}Arn`).filter((a) => a.startsWith('dynamodb:'));

  beforeAll(() => {
    parley = synthParley();
    stateful = parley.stateful.toJSON().Resources as Record<string, Resource>;
    realtime = parley.realtime.toJSON().Resources as Record<string, Resource>;
  });

  it('queues purge jobs on a standard, encrypted queue with a dead-letter queue', () => {
    const { jobs, deadLetters } = parley.statefulStack.data.roomPurgeQueues;

    expect(stateful[logicalIdOf(jobs)]!.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: ROOM_PURGE_VISIBILITY_TIMEOUT.toSeconds(),
      MessageRetentionPeriod: 4 * 86_400,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(deadLetters), 'Arn'] }, maxReceiveCount: ROOM_PURGE_MAX_RECEIVE_COUNT },
    });
    expect(stateful[logicalIdOf(jobs)]!.Properties['FifoQueue']).toBeUndefined();
    expect(stateful[logicalIdOf(deadLetters)]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    for (const queue of [jobs, deadLetters]) {
      parley.stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalIdOf(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });

  it('alarms on the dead-letter queue as soon as a job lands there, notifying the alarm topic', () => {
    const dlq = logicalIdOf(parley.statefulStack.data.roomPurgeQueues.deadLetters);

    parley.stateful.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
      Threshold: 1,
      AlarmActions: [{ Ref: logicalIdOf(parley.statefulStack.data.alarmTopic) }],
    });
  });

  it('feeds the worker one job at a time, a few workers at most, with partial batch responses', () => {
    const fn = parley.functionLogicalId('RoomPurge');
    const mappings = Object.values(realtime).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties['FunctionName']?.Ref === fn,
    );

    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({
      BatchSize: ROOM_PURGE_BATCH_SIZE,
      ScalingConfig: { MaximumConcurrency: ROOM_PURGE_MAX_CONCURRENCY },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(JSON.stringify(mappings[0]!.Properties['EventSourceArn'])).toContain(logicalIdOf(parley.statefulStack.data.roomPurgeQueues.jobs));
    expect(functionOf('RoomPurge').Properties['Timeout']).toBe(ROOM_PURGE_WORKER_TIMEOUT.toSeconds());
  });

  it('lets the worker only read the tombstone, re-stamp messages, delete memory and enqueue its next job', () => {
    const { roomsTable, messagesTable, memoryTable, connectionsTable, roomPurgeQueues } = parley.statefulStack.data;
    const sqsOn = (id: string, queue: unknown) => grantsOn(id, `${logicalIdOf(queue)}Arn`).filter((a) => a.startsWith('sqs:'));

    expect(dynamoOn('RoomPurge', roomsTable)).toEqual(['dynamodb:GetItem']);
    expect(dynamoOn('RoomPurge', messagesTable)).toEqual(['dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(dynamoOn('RoomPurge', memoryTable)).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:Query']);
    expect(dynamoOn('RoomPurge', connectionsTable)).toEqual([]);
    expect(sqsOn('RoomPurge', roomPurgeQueues.jobs)).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'sqs:SendMessage',
    ]);
    expect(sqsOn('RoomPurge', roomPurgeQueues.deadLetters)).toEqual([]);
    expect(envOf('RoomPurge')).toMatchObject({
      [ENV.roomsTable]: expect.anything(),
      [ENV.messagesTable]: expect.anything(),
      [MEMORY_ENV.table]: expect.anything(),
      [ROOM_PURGE_ENV.queueUrl]: expect.anything(),
    });
  });

  it('lets the worker delete a deleted room’s game data: query and batch-delete the games table, nothing more', () => {
    const { gamesTable } = parley.statefulStack.data;
    const onTable = statementsOfFunction(parley.realtime, parley.functionLogicalId('RoomPurge')).filter((s) =>
      resourcesOf(s).some((r) => JSON.stringify(r).includes(`${logicalIdOf(gamesTable)}Arn`)),
    );

    expect(dynamoOn('RoomPurge', gamesTable)).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:Query']);
    // The table itself, not its byPoints index: the purge reads keys by partition only.
    expect(JSON.stringify(onTable.flatMap(resourcesOf))).not.toContain('/index/');
    expect(envOf('RoomPurge')).toHaveProperty(GAMES_ENV.table);
  });

  it('lets deleteRoom only send the first job, and nothing else reach the queue', () => {
    const { jobs, deadLetters } = parley.statefulStack.data.roomPurgeQueues;
    const sqsOn = (id: string, queue: unknown) => grantsOn(id, `${logicalIdOf(queue)}Arn`).filter((a) => a.startsWith('sqs:'));

    expect(sqsOn('RoomAdmin', jobs)).toEqual(['sqs:SendMessage']);
    expect(sqsOn('RoomAdmin', deadLetters)).toEqual([]);
    expect(envOf('RoomAdmin')).toHaveProperty(ROOM_PURGE_ENV.queueUrl);
    for (const id of ['SendMessage', 'Rooms', 'FanOutWorker']) expect(sqsOn(id, jobs)).toEqual([]);
  });

  it('routes no action to the worker', () => {
    const integrations = JSON.stringify(Object.values(realtime).filter((r) => r.Type === 'AWS::ApiGatewayV2::Integration'));

    expect(integrations).toContain(parley.functionLogicalId('RoomAdmin'));
    expect(integrations).not.toContain(parley.functionLogicalId('RoomPurge'));
  });
});
