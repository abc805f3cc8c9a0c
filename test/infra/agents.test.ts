import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGENT_ENV } from '../../lambdas/wiring/env';
import { DEFAULT_MODEL_ID } from '../../lambdas/domain/agents/config';
import { AGENT_STREAM_FILTERS } from '../../lib/agent-functions';
import { AGENT_JOBS_MAX_RECEIVE_COUNT } from '../../lib/constructs/agent-queues';
import { ConfigError } from '../../lib/config';
import { matchesFilters } from '../../scripts/local/event-sources/filter';
import { actionsOf, resourcesOf, statementsOfFunction, streamRecord, synthParley } from './synth-parley';
import type { SynthesizedParley, Statement } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any> };

/** A message of a room with agents (stamped `agents`, as sendMessage and the worker store it). */
const message = (moderation: string) => ({ entity: 'message', roomId: 'r1', text: '@assistant hi', moderation, agents: true });
/** The same message in a room without agents: the flag is sparse, absent. */
const messageWithoutAgents = (moderation: string) => ({ entity: 'message', roomId: 'r1', text: '@assistant hi', moderation });

describe('agents infrastructure', () => {
  let parley: SynthesizedParley;
  let stateful: Record<string, Resource>;
  let realtime: Record<string, Resource>;
  const queueId = (queue: unknown) => parley.statefulStack.resolve((queue as { node: { defaultChild: { logicalId: string } } }).node.defaultChild.logicalId) as string;
  const mappingOf = (functionId: string): Resource => {
    const fn = parley.functionLogicalId(functionId);
    const mappings = Object.values(realtime).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties['FunctionName']?.Ref === fn,
    );
    expect(mappings).toHaveLength(1);
    return mappings[0]!;
  };
  const functionOf = (id: string) => realtime[parley.functionLogicalId(id)]!;
  /** The actions a function is granted on resources whose reference mentions `needle`. */
  const grantsOn = (functionId: string, needle: string) =>
    statementsOfFunction(parley.realtime, parley.functionLogicalId(functionId))
      .filter((s) => resourcesOf(s).some((r) => JSON.stringify(r).includes(needle)))
      .flatMap(actionsOf)
      .sort();

  beforeAll(() => {
    parley = synthParley();
    stateful = parley.stateful.toJSON().Resources as Record<string, Resource>;
    realtime = parley.realtime.toJSON().Resources as Record<string, Resource>;
  });

  it('queues jobs FIFO, per room and agent, deduplicated by id, with a FIFO dead-letter queue after three receives', () => {
    const { jobs, deadLetters } = parley.statefulStack.data.agentQueues;
    const queue = stateful[queueId(jobs)]!;
    const dlq = stateful[queueId(deadLetters)]!;

    expect(queue.Properties).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queueId(deadLetters), 'Arn'] }, maxReceiveCount: AGENT_JOBS_MAX_RECEIVE_COUNT },
    });
    expect(dlq.Properties).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
  });

  it('keeps a job invisible for longer than the worker can run', () => {
    const queue = stateful[queueId(parley.statefulStack.data.agentQueues.jobs)]!;
    const timeout = functionOf('AgentWorker').Properties['Timeout'] as number;

    expect(timeout).toBe(60);
    expect(queue.Properties['VisibilityTimeout']).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('alarms as soon as a job is dead-lettered or a dispatch fails for good', () => {
    const { deadLetters, dispatchFailures } = parley.statefulStack.data.agentQueues;
    for (const queue of [deadLetters, dispatchFailures]) {
      parley.stateful.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(queue), 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
      });
    }
  });

  it('requires TLS on every agent queue', () => {
    const { jobs, deadLetters, dispatchFailures } = parley.statefulStack.data.agentQueues;
    for (const queue of [jobs, deadLetters, dispatchFailures]) {
      parley.stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });

  it('feeds the worker one job at a time with partial batch responses', () => {
    expect(mappingOf('AgentWorker').Properties).toMatchObject({
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('feeds the dispatcher from the messages stream from now on, in order, with bisect, bounded retries and a failure queue', () => {
    const mapping = mappingOf('AgentDispatcher');
    const messagesTable = parley.tableLogicalId(parley.statefulStack.data.messagesTable);

    expect(JSON.stringify(mapping.Properties['EventSourceArn'])).toContain(`${messagesTable}StreamArn`);
    expect(mapping.Properties).toMatchObject({
      StartingPosition: 'LATEST',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 900,
    });
    expect(mapping.Properties['ParallelizationFactor'] ?? 1).toBe(1);
    expect(JSON.stringify(mapping.Properties['DestinationConfig'].OnFailure.Destination)).toContain(
      queueId(parley.statefulStack.data.agentQueues.dispatchFailures),
    );
  });

  it('lets only moderated text reach the agents, as the contract says', () => {
    const filters = mappingOf('AgentDispatcher').Properties['FilterCriteria'].Filters as Array<{ Pattern: string }>;
    const patterns = filters.map((f) => JSON.parse(f.Pattern));
    const passes = (record: object) => matchesFilters(patterns, record as Record<string, unknown>);

    expect(patterns).toEqual(AGENT_STREAM_FILTERS);
    expect(passes(streamRecord('INSERT', { new: message('allowed') }))).toBe(true);
    expect(passes(streamRecord('INSERT', { new: message('redacted') }))).toBe(true);
    expect(passes(streamRecord('INSERT', { new: message('quarantined') }))).toBe(false);
    expect(passes(streamRecord('INSERT', { new: message('blocked') }))).toBe(false);
    expect(passes(streamRecord('INSERT', { new: message('pending') }))).toBe(false);
    expect(passes(streamRecord('INSERT', { new: { entity: 'message', roomId: 'r1', text: 'no state' } }))).toBe(false);
    expect(passes(streamRecord('MODIFY', { old: message('pending'), new: message('allowed') }))).toBe(true);
    expect(passes(streamRecord('MODIFY', { old: message('pending'), new: message('redacted') }))).toBe(true);
    expect(passes(streamRecord('MODIFY', { old: message('pending'), new: message('quarantined') }))).toBe(false);
    expect(passes(streamRecord('MODIFY', { old: message('pending'), new: message('blocked') }))).toBe(false);
    expect(passes(streamRecord('MODIFY', { old: message('quarantined'), new: message('allowed') }))).toBe(false);
    expect(passes(streamRecord('MODIFY', { old: message('allowed'), new: message('allowed') }))).toBe(false);
    expect(passes(streamRecord('REMOVE', { old: message('allowed') }))).toBe(false);
    expect(passes(streamRecord('INSERT', { new: { entity: 'dedupe', roomId: 'r1', moderation: 'allowed' } }))).toBe(false);
  });

  it('never invokes the dispatcher for a message of a room without agents', () => {
    const filters = mappingOf('AgentDispatcher').Properties['FilterCriteria'].Filters as Array<{ Pattern: string }>;
    const patterns = filters.map((f) => JSON.parse(f.Pattern));
    const passes = (record: object) => matchesFilters(patterns, record as Record<string, unknown>);

    for (const pattern of patterns) expect(pattern.dynamodb.NewImage).toMatchObject({ agents: { BOOL: [true] } });
    expect(passes(streamRecord('INSERT', { new: messageWithoutAgents('allowed') }))).toBe(false);
    expect(passes(streamRecord('INSERT', { new: { ...messageWithoutAgents('allowed'), agents: false } }))).toBe(false);
    expect(passes(streamRecord('MODIFY', { old: messageWithoutAgents('pending'), new: messageWithoutAgents('allowed') }))).toBe(false);
    expect(passes(streamRecord('INSERT', { new: message('allowed') }))).toBe(true);
  });

  it('routes the agent configuration actions, stopAgentReply and regenerateAgentReply to the Agents function', () => {
    const actions = ['addAgent', 'updateAgent', 'listAgents', 'removeAgent', 'stopAgentReply', 'regenerateAgentReply'];
    const routed = Object.values(realtime)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .filter((r) => actions.includes(r.Properties['RouteKey']));

    expect(routed).toHaveLength(actions.length);
    for (const route of routed) {
      const integrationId = (route.Properties['Target']['Fn::Join'][1] as Array<{ Ref?: string }>).find((p) => p.Ref)?.Ref;
      expect(JSON.stringify(realtime[integrationId!]?.Properties['IntegrationUri'])).toContain(parley.functionLogicalId('Agents'));
      expect(route.Properties['RouteResponseSelectionExpression']).toBe('$default');
    }
  });

  it('lets only the worker stream from Bedrock, and only the configured models', () => {
    const bedrock = (id: string) =>
      statementsOfFunction(parley.realtime, parley.functionLogicalId(id)).filter((s) => actionsOf(s).some((a) => a.startsWith('bedrock:')));
    const [statement, ...others] = bedrock('AgentWorker');

    expect(others).toEqual([]);
    expect(actionsOf(statement!)).toEqual(['bedrock:InvokeModelWithResponseStream']);
    const resources = resourcesOf(statement!).map((r) => JSON.stringify(r));
    expect(resources).toHaveLength(3);
    expect(resources.every((r) => r.includes(':bedrock:') && r.includes('::foundation-model/') && !r.includes('*'))).toBe(true);
    expect(resources.some((r) => r.includes(`foundation-model/${DEFAULT_MODEL_ID}`))).toBe(true);
    expect(bedrock('AgentDispatcher')).toEqual([]);
    expect(bedrock('Agents')).toEqual([]);
    expect(functionOf('AgentWorker').Properties['Environment'].Variables[AGENT_ENV.modelIds]).toBe(
      functionOf('Agents').Properties['Environment'].Variables[AGENT_ENV.modelIds],
    );
  });

  it('lets the dispatcher and the Agents function (regenerated answers) send jobs, and the worker bring jobs back and dead-letter them', () => {
    const { jobs, deadLetters } = parley.statefulStack.data.agentQueues;
    const sqsOn = (functionId: string, queue: unknown) =>
      grantsOn(functionId, `${queueId(queue)}Arn`).filter((a) => a.startsWith('sqs:'));

    expect(sqsOn('AgentDispatcher', jobs)).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect(sqsOn('AgentDispatcher', deadLetters)).toEqual([]);
    expect(sqsOn('Agents', jobs)).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect(sqsOn('Agents', deadLetters)).toEqual([]);
    expect(functionOf('Agents').Properties['Environment'].Variables).toHaveProperty(AGENT_ENV.jobsQueueUrl);
    expect(sqsOn('AgentWorker', jobs)).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
    expect(sqsOn('AgentWorker', deadLetters)).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect(functionOf('AgentWorker').Properties['Environment'].Variables).toMatchObject({
      [AGENT_ENV.maxReceiveCount]: String(AGENT_JOBS_MAX_RECEIVE_COUNT),
      [AGENT_ENV.replyModeration]: 'pending',
      // The circuit breaker's thresholds, from its defaults (a run may override them).
      [AGENT_ENV.circuitFailures]: '5',
      [AGENT_ENV.circuitWindowMs]: '60000',
      [AGENT_ENV.circuitCoolDownMs]: '30000',
    });
  });

  it('grants each agent function exactly the table actions it uses', () => {
    const { roomsTable, messagesTable, connectionsTable, memoryTable, auditTable } = parley.statefulStack.data;
    const dynamo = (functionId: string, table: Parameters<SynthesizedParley['tableLogicalId']>[0]) =>
      grantsOn(functionId, `${parley.tableLogicalId(table)}Arn`).filter((a) => a.startsWith('dynamodb:')).map((a) => a.slice(9));

    expect(dynamo('Agents', roomsTable)).toEqual(['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem']);
    // regenerateAgentReply: GetItem, the reply and its attempts' markers; Query, the message it answered.
    expect(dynamo('Agents', messagesTable)).toEqual(['GetItem', 'Query']);
    // UpdateItem: the caller's action budget (GCRA state), spent by every changing action, and a
    // streaming reply's stop request; GetItem: that reply's item; PutItem and DeleteItem: a
    // regeneration's claim, taken and given back.
    expect(dynamo('Agents', connectionsTable)).toEqual(['BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem']);
    expect(dynamo('Agents', auditTable)).toEqual(['PutItem']);
    expect(dynamo('AgentDispatcher', roomsTable)).toEqual(['Query']);
    expect(dynamo('AgentDispatcher', messagesTable)).toEqual([]);
    expect(dynamo('AgentDispatcher', connectionsTable)).toEqual(['PutItem']);
    expect(dynamo('AgentDispatcher', auditTable)).toEqual([]);
    expect(dynamo('AgentWorker', roomsTable)).toEqual(['GetItem']);
    expect(dynamo('AgentWorker', messagesTable)).toEqual(['ConditionCheckItem', 'GetItem', 'PutItem', 'Query']);
    // PutItem: a reply's item while it streams, read for a request to stop it; GetItem and PutItem (conditional):
    // each model's circuit breaker.
    expect(dynamo('AgentWorker', connectionsTable)).toEqual(['BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem']);
    expect(dynamo('AgentWorker', memoryTable)).toEqual(['Query']);
    expect(dynamo('AgentWorker', auditTable)).toEqual(['PutItem']);
  });

  it('lets the functions that speak to the room post to connections, and the dispatcher not', () => {
    const posts = (id: string) =>
      statementsOfFunction(parley.realtime, parley.functionLogicalId(id)).some((s) => actionsOf(s).includes('execute-api:ManageConnections'));

    expect([posts('Agents'), posts('AgentWorker'), posts('AgentDispatcher')]).toEqual([true, true, false]);
  });

  it('takes the models agents may use from the configuration, which must include the default model', () => {
    const custom = synthParley({ agentModelIds: `${DEFAULT_MODEL_ID},amazon.nova-pro-v1:0` });
    const worker = custom.realtime.toJSON().Resources[custom.functionLogicalId('AgentWorker')] as Resource;
    const statement = statementsOfFunction(custom.realtime, custom.functionLogicalId('AgentWorker')).find((s) =>
      actionsOf(s).includes('bedrock:InvokeModelWithResponseStream'),
    );

    expect(worker.Properties['Environment'].Variables[AGENT_ENV.modelIds]).toBe(`${DEFAULT_MODEL_ID},amazon.nova-pro-v1:0`);
    expect(resourcesOf(statement!)).toHaveLength(2);
    expect(() => synthParley({ agentModelIds: 'amazon.nova-pro-v1:0' })).toThrow(ConfigError);
  });

  describe('with inference profiles, an application profile and an OpenAI-compatible endpoint', () => {
    const profile = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
    const global = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
    const application = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6';
    let custom: SynthesizedParley;
    type Granted = Statement & { Condition?: Record<string, Record<string, unknown>> };
    const bedrockOf = (p: SynthesizedParley, id: string) =>
      statementsOfFunction(p.realtime, p.functionLogicalId(id)).filter((s) => actionsOf(s).some((a) => a.startsWith('bedrock:'))) as Granted[];
    /** A resource as text, with the partition, region and account references spelled as ARN placeholders. */
    const arnText = (resource: unknown): string => {
      if (typeof resource === 'string') return resource;
      const value = resource as { 'Fn::Join'?: [string, unknown[]]; Ref?: string };
      if (value['Fn::Join']) return value['Fn::Join'][1].map(arnText).join(value['Fn::Join'][0]);
      const refs: Record<string, string> = { 'AWS::Partition': '<partition>', 'AWS::Region': '<region>', 'AWS::AccountId': '<account>' };
      if (value.Ref !== undefined && refs[value.Ref] !== undefined) return refs[value.Ref]!;
      return JSON.stringify(resource);
    };
    const arns = (statement: Granted | undefined) => resourcesOf(statement!).map(arnText).sort();

    beforeAll(() => {
      custom = synthParley({
        agentModelIds: [DEFAULT_MODEL_ID, profile, global, application, 'openai:gpt-4o-mini'].join(','),
        agentDefaultModelId: profile,
        openAiBaseUrl: 'https://api.openai.com/v1',
      });
    });

    it('grants the profiles and foundation models directly, and the routed models only through the profiles', () => {
      const [direct, routed, viaApplication, ...others] = bedrockOf(custom, 'AgentWorker');

      expect(others).toEqual([]);
      for (const statement of [direct, routed, viaApplication]) expect(actionsOf(statement!)).toEqual(['bedrock:InvokeModelWithResponseStream']);
      expect(direct?.Condition).toBeUndefined();
      expect(arns(direct)).toEqual(
        [
          application,
          `arn:<partition>:bedrock:<region>:<account>:inference-profile/${global}`,
          `arn:<partition>:bedrock:<region>:<account>:inference-profile/${profile}`,
          `arn:<partition>:bedrock:<region>::foundation-model/${DEFAULT_MODEL_ID}`,
        ].sort(),
      );
      // The foundation model in every region the profile may route to; a global profile also by the region-less ARN.
      expect(arns(routed)).toEqual([
        'arn:<partition>:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0',
        'arn:<partition>:bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
        'arn:<partition>:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
      ]);
      const throughProfiles = routed?.Condition?.['StringEquals']?.['bedrock:InferenceProfileArn'] as unknown[];
      expect(throughProfiles.map(arnText).sort()).toEqual([
        `arn:<partition>:bedrock:<region>:<account>:inference-profile/${global}`,
        `arn:<partition>:bedrock:<region>:<account>:inference-profile/${profile}`,
      ]);
      // An application profile does not name its model: any model, only through that profile.
      expect(arns(viaApplication)).toEqual(['arn:<partition>:bedrock:*::foundation-model/*', 'arn:<partition>:bedrock:::foundation-model/*']);
      expect(viaApplication?.Condition).toEqual({ StringEquals: { 'bedrock:InferenceProfileArn': [application] } });
    });

    it('grants nothing of Bedrock for openai: models, and tells the functions every allowed model and the default', () => {
      const all = bedrockOf(custom, 'AgentWorker').flatMap((s) => resourcesOf(s).map(arnText));
      const env = (id: string) => (custom.realtime.toJSON().Resources[custom.functionLogicalId(id)] as Resource).Properties['Environment'].Variables;

      expect(all.some((arn) => arn.includes('gpt'))).toBe(false);
      expect(env('AgentWorker')[AGENT_ENV.modelIds]).toBe([DEFAULT_MODEL_ID, profile, global, application, 'openai:gpt-4o-mini'].join(','));
      expect(env('Agents')[AGENT_ENV.modelIds]).toBe(env('AgentWorker')[AGENT_ENV.modelIds]);
      expect(env('Agents')[AGENT_ENV.defaultModelId]).toBe(profile);
      expect(env('AgentWorker')[AGENT_ENV.openAiBaseUrl]).toBe('https://api.openai.com/v1');
      expect(bedrockOf(custom, 'Agents')).toEqual([]);
      expect(bedrockOf(custom, 'AgentDispatcher')).toEqual([]);
    });

    it('keeps the API key in a secret of the stateful stack that only the model callers may read, and only read', () => {
      // The model endpoint's key; the stateful stack also keeps the guest token secret (guests.test.ts).
      const secrets = Object.entries(custom.stateful.toJSON().Resources as Record<string, Resource>).filter(
        ([id, r]) => r.Type === 'AWS::SecretsManager::Secret' && id.startsWith('ModelEndpointKey'),
      );
      const secretsOf = (id: string) =>
        statementsOfFunction(custom.realtime, custom.functionLogicalId(id)).filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
      const worker = (custom.realtime.toJSON().Resources[custom.functionLogicalId('AgentWorker')] as Resource).Properties['Environment'].Variables;

      expect(secrets).toHaveLength(1);
      const [secretId] = secrets[0]!;
      expect(secretsOf('AgentWorker')).toHaveLength(1);
      expect(actionsOf(secretsOf('AgentWorker')[0]!)).toEqual(['secretsmanager:GetSecretValue']);
      expect(JSON.stringify(secretsOf('AgentWorker')[0]!.Resource)).toContain(`ExportsOutputRef${secretId}`);
      expect(JSON.stringify(worker[AGENT_ENV.openAiApiKeySecret])).toContain(`ExportsOutputRef${secretId}`);
      // The games' workers call the same model through the same endpoint (lib/game-functions.ts).
      const modelCallers = ['AgentWorker', 'ImposterWorker', 'DialogueWorker'];
      for (const caller of modelCallers) expect(secretsOf(caller), caller).toHaveLength(1);
      for (const other of [...custom.realtimeStack.functions.keys()].filter((id) => !modelCallers.includes(id))) {
        expect(secretsOf(other).filter((s) => JSON.stringify(s.Resource).includes(secretId)), other).toEqual([]);
      }
      expect(parley.stateful.toJSON().Resources).not.toMatchObject({ [secretId]: expect.anything() });
    });

    it('reads an existing secret instead, by name or ARN, with a grant matching that secret only', () => {
      const grantOf = (secret: string) => {
        const p = synthParley({ agentModelIds: `${DEFAULT_MODEL_ID},openai:gpt-4o`, openAiBaseUrl: 'https://llm.example.com/v1', openAiApiKeySecret: secret });
        const statements = statementsOfFunction(p.realtime, p.functionLogicalId('AgentWorker')).filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
        const created = Object.entries(p.stateful.toJSON().Resources as Record<string, Resource>).filter(
          ([id, r]) => r.Type === 'AWS::SecretsManager::Secret' && id.startsWith('ModelEndpointKey'),
        );
        expect(created).toEqual([]);
        expect(statements).toHaveLength(1);
        return { resources: resourcesOf(statements[0]!).map(arnText), env: (p.realtime.toJSON().Resources[p.functionLogicalId('AgentWorker')] as Resource).Properties['Environment'].Variables[AGENT_ENV.openAiApiKeySecret] };
      };
      const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:parley/openai';

      expect(grantOf('parley/openai')).toEqual({
        resources: ['arn:<partition>:secretsmanager:<region>:<account>:secret:parley/openai-??????'],
        env: 'parley/openai',
      });
      expect(grantOf(arn)).toEqual({ resources: [arn, `${arn}-??????`], env: arn });
    });
  });
});

