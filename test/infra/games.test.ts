import { beforeAll, describe, expect, it } from 'vitest';
import { BY_POINTS_INDEX, GAMES_TABLE } from '../../lambdas/adapters/dynamodb/games-schema';
import { AGENT_ENV, GAMES_ENV } from '../../lambdas/wiring/env';
import { DIALOGUE_WORKER_TIMEOUT, GAME_JOBS_MAX_RECEIVE_COUNT, IMPOSTER_WORKER_TIMEOUT } from '../../lib/constructs/game-queues';
import { actionsOf, resourcesOf, statementsOfFunction, synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any> };

describe('games infrastructure', () => {
  let parley: SynthesizedParley;
  let stateful: Record<string, Resource>;
  let realtime: Record<string, Resource>;
  const logicalIdOf = (construct: unknown) =>
    parley.statefulStack.resolve((construct as { node: { defaultChild: { logicalId: string } } }).node.defaultChild.logicalId) as string;
  const envOf = (id: string) => realtime[parley.functionLogicalId(id)]!.Properties['Environment'].Variables as Record<string, unknown>;
  /** The actions a function is granted on resources whose reference mentions `needle`. */
  const grantsOn = (functionId: string, needle: string) =>
    [
      ...new Set(
        statementsOfFunction(parley.realtime, parley.functionLogicalId(functionId))
          .filter((s) => resourcesOf(s).some((r) => JSON.stringify(r).includes(needle)))
          .flatMap(actionsOf),
      ),
    ].sort();
  const gamesTableId = () => logicalIdOf(parley.statefulStack.data.gamesTable);

  beforeAll(() => {
    parley = synthParley();
    stateful = parley.stateful.toJSON().Resources as Record<string, Resource>;
    realtime = parley.realtime.toJSON().Resources as Record<string, Resource>;
  });

  it('keys the games table from its schema, with the sparse byPoints index sorted by a number', () => {
    const table = stateful[gamesTableId()]!.Properties;

    expect(table['KeySchema']).toEqual([
      { AttributeName: GAMES_TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: GAMES_TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table['TimeToLiveSpecification']).toEqual({ AttributeName: GAMES_TABLE.ttlAttribute, Enabled: true });
    expect(table['AttributeDefinitions']).toContainEqual({ AttributeName: BY_POINTS_INDEX.sortKey, AttributeType: 'N' });
    expect(table['GlobalSecondaryIndexes']).toEqual([
      expect.objectContaining({
        IndexName: BY_POINTS_INDEX.name,
        KeySchema: [
          { AttributeName: BY_POINTS_INDEX.partitionKey, KeyType: 'HASH' },
          { AttributeName: BY_POINTS_INDEX.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['playerId', 'kind', 'displayName', 'rounds'] },
      }),
    ]);
    // Round lines and dialogue turns are text people wrote: the content key, as for messages.
    expect(table['SSESpecification']).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
  });

  it('queues each game’s jobs on a standard queue with a dead-letter queue that alarms', () => {
    const queues = parley.statefulStack.data.gameQueues;
    const pairs = [
      [queues.imposterJobs, queues.imposterDeadLetters, IMPOSTER_WORKER_TIMEOUT],
      [queues.dialogueJobs, queues.dialogueDeadLetters, DIALOGUE_WORKER_TIMEOUT],
    ] as const;
    for (const [jobs, deadLetters, timeout] of pairs) {
      expect(stateful[logicalIdOf(jobs)]!.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        VisibilityTimeout: timeout.toSeconds() * 6,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(deadLetters), 'Arn'] }, maxReceiveCount: GAME_JOBS_MAX_RECEIVE_COUNT },
      });
      expect(stateful[logicalIdOf(jobs)]!.Properties['FifoQueue']).toBeUndefined();
      parley.stateful.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(deadLetters), 'QueueName'] } }],
      });
    }
  });

  it('grants the games table and its ranking index to the game functions, and never a scan or a batch', () => {
    for (const id of ['Imposter', 'ImposterWorker', 'Dialogue', 'DialogueWorker']) {
      const onTable = grantsOn(id, `${gamesTableId()}Arn`).filter((a) => a.startsWith('dynamodb:'));
      expect(onTable, id).not.toContain('dynamodb:Scan');
      expect(onTable, id).not.toContain('dynamodb:BatchWriteItem');
      expect(onTable, id).toContain('dynamodb:Query');
      expect(envOf(id)[GAMES_ENV.table], id).toBeDefined();
    }
    const indexGrants = statementsOfFunction(parley.realtime, parley.functionLogicalId('Imposter')).filter((s) =>
      JSON.stringify(resourcesOf(s)).includes(`/index/${BY_POINTS_INDEX.name}`),
    );
    expect(indexGrants.flatMap(actionsOf)).toEqual(['dynamodb:Query']);
  });

  it('lets only the workers call the model, and each function enqueue only its own game’s jobs', () => {
    const { imposterJobs, dialogueJobs } = parley.statefulStack.data.gameQueues;
    const bedrockOf = (id: string) => grantsOn(id, 'bedrock').filter((a) => a.startsWith('bedrock:'));
    expect(bedrockOf('ImposterWorker')).toEqual(['bedrock:InvokeModelWithResponseStream']);
    expect(bedrockOf('DialogueWorker')).toEqual(['bedrock:InvokeModelWithResponseStream']);
    expect(bedrockOf('Imposter')).toEqual([]);
    expect(bedrockOf('Dialogue')).toEqual([]);
    expect(envOf('ImposterWorker')[GAMES_ENV.modelId]).toBe(envOf('ImposterWorker')[AGENT_ENV.defaultModelId]);

    const sendsTo = (id: string, queue: unknown) => grantsOn(id, logicalIdOf(queue)).includes('sqs:SendMessage');
    expect(sendsTo('Imposter', imposterJobs)).toBe(true);
    expect(sendsTo('Imposter', dialogueJobs)).toBe(false);
    expect(sendsTo('Dialogue', dialogueJobs)).toBe(true);
    expect(sendsTo('Dialogue', imposterJobs)).toBe(false);
    expect(envOf('Imposter')[GAMES_ENV.imposterJobsQueueUrl]).toBeDefined();
    expect(envOf('Dialogue')[GAMES_ENV.dialogueJobsQueueUrl]).toBeDefined();
  });
});
