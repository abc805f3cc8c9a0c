import { Duration } from 'aws-cdk-lib';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { DEFAULT_CIRCUIT } from '../lambdas/domain/agents/circuit-breaker';
import { AGENT_ENV } from '../lambdas/wiring/env';
import { AGENT_JOBS_MAX_RECEIVE_COUNT, AGENT_WORKER_TIMEOUT } from './constructs/agent-queues';
import { bindFanOutProducer } from './fan-out-functions';
import { bindMemoryEmbedder } from './memory-functions';
import { StreamConsumer } from './constructs/stream-consumer';
import { MODERATED_TEXT_IN_ROOMS_WITH_AGENTS_FILTERS } from './message-stream-filters';
import type { FunctionSpec } from './function-spec';
import { bindMessageRetention } from './retention-functions';

/**
 * Which changes of the messages table reach the agents: only text that
 * passed moderation (see MODERATED_TEXT_FILTERS), and only in rooms with
 * agents (the message's `agents` flag), so Lambda never invokes the
 * dispatcher for a room without agents. Later changes (a release, a hide,
 * an edit of moderation's fields) never make an agent answer a message again.
 */
export const AGENT_STREAM_FILTERS = MODERATED_TEXT_IN_ROOMS_WITH_AGENTS_FILTERS;

/**
 * The agents' functions: the configuration actions, the dispatcher that
 * turns moderated messages into jobs, and the worker that answers them.
 */
export const AGENT_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'Agents',
    handlerFile: 'agents',
    description: 'Adds, updates, lists and removes a room’s agents, and stops and regenerates their replies',
    routes: ['addAgent', 'updateAgent', 'listAgents', 'removeAgent', 'stopAgentReply', 'regenerateAgentReply'],
    bind: (fn, { data, api, stage, config }) => {
      // UpdateItem: adding or removing an agent counts it on the room's settings item, in the same transaction.
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem', 'PutItem', 'DeleteItem', 'UpdateItem', 'Query'] });
      // GetItem and UpdateItem: a streaming reply's item, read and marked to stop (stopAgentReply).
      // PutItem and DeleteItem: a regeneration's claim, taken and given back (regenerateAgentReply).
      fn.bindConnectionsTable(data.connectionsTable, {
        actions: ['Query', 'DeleteItem', 'BatchWriteItem', 'GetItem', 'UpdateItem', 'PutItem'],
      });
      // regenerateAgentReply: GetItem reads the reply and its attempts' markers; Query, the message it answered.
      fn.bindMessagesTable(data.messagesTable, { actions: ['GetItem', 'Query'] });
      // regenerateAgentReply enqueues the new answer's job.
      fn.bindAgentJobProducer(data.agentQueues.jobs);
      // Configuration changes are audited (append-only).
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
      fn.bindManagementApi(api, stage);
      fn.setEnvironment({
        [AGENT_ENV.modelIds]: config.agentModelIds.join(','),
        [AGENT_ENV.defaultModelId]: config.agentDefaultModelId,
      });
    },
  },
  {
    id: 'AgentDispatcher',
    handlerFile: 'agent-dispatcher',
    description: 'Turns moderated messages into agent jobs, from the messages stream',
    routes: [],
    bind: (fn, { data }) => {
      fn.bindRoomsTable(data.roomsTable, { actions: ['Query'] });
      fn.bindConnectionsTable(data.connectionsTable, { actions: ['PutItem'] });
      fn.bindAgentJobProducer(data.agentQueues.jobs);
      new StreamConsumer(fn, 'MessagesStream', {
        table: data.messagesTable,
        filters: AGENT_STREAM_FILTERS,
        // A new deployment answers new messages, not the last day of history.
        startingPosition: StartingPosition.LATEST,
        batchSize: 10,
        reportBatchItemFailures: true,
        retryAttempts: 3,
        // An answer to a message older than this would only confuse the room.
        maxRecordAge: Duration.minutes(15),
        onFailure: { queue: data.agentQueues.dispatchFailures },
      });
    },
  },
  {
    id: 'AgentWorker',
    handlerFile: 'agent-worker',
    description: 'Answers agent jobs: builds the prompt, streams the model’s reply to the room and stores it',
    routes: [],
    timeout: AGENT_WORKER_TIMEOUT,
    bind: (fn, context) => {
      const { data, api, stage, config } = context;
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem'] });
      fn.bindMessagesTable(data.messagesTable, { actions: ['Query', 'GetItem', 'PutItem', 'ConditionCheckItem'] });
      fn.bindConnectionsTable(data.connectionsTable, {
        // PutItem: a reply's item while it streams, read for a request to stop it.
        // GetItem and PutItem (conditional on its version): each model's circuit breaker.
        actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'DeleteItem', 'BatchWriteItem'],
      });
      // Each job's call is audited (append-only).
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
      // Recalling room memory, for agents that use it.
      fn.bindMemoryTable(data.memoryTable, { actions: ['Query'] });
      bindMemoryEmbedder(fn, config);
      // Searching the room's documents, for agents given `search_documents`: their records and chunks.
      fn.bindKnowledgeTable(data.knowledgeTable, { actions: ['Query'] });
      fn.bindManagementApi(api, stage);
      // A large room's replies go to the fan-out workers, as its people's messages do.
      bindFanOutProducer(fn, context);
      fn.bindAgentJobConsumer(data.agentQueues.jobs, data.agentQueues.deadLetters, AGENT_JOBS_MAX_RECEIVE_COUNT);
      fn.bindAgentModels(config.agentModelIds);
      if (config.openAiBaseUrl !== undefined && data.modelEndpointKey !== undefined) {
        fn.bindOpenAiEndpoint({ baseUrl: config.openAiBaseUrl, apiKey: data.modelEndpointKey });
      }
      // Replies expire with their room's retention, like people's messages.
      bindMessageRetention(fn, config);
      // Agents' replies are moderated like people's messages.
      fn.setEnvironment({ [AGENT_ENV.replyModeration]: 'pending' });
      // Each model's circuit breaker (docs/agents.md); written out so that a run can tune them.
      fn.setEnvironment({
        [AGENT_ENV.circuitFailures]: String(DEFAULT_CIRCUIT.failures),
        [AGENT_ENV.circuitWindowMs]: String(DEFAULT_CIRCUIT.windowMs),
        [AGENT_ENV.circuitCoolDownMs]: String(DEFAULT_CIRCUIT.coolDownMs),
      });
      fn.function.addEventSource(
        new SqsEventSource(data.agentQueues.jobs, {
          // One job per invocation: jobs of different rooms and agents run in
          // parallel instead of waiting behind each other's streamed replies.
          batchSize: 1,
          reportBatchItemFailures: true,
        }),
      );
    },
  },
];
