import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BedrockModelClient } from '../adapters/bedrock/bedrock-model';
import { OpenAiChatModel, apiKeyFromSecret } from '../adapters/openai/openai-chat-model';
import { cachedSecret } from '../adapters/secrets/cached-secret';
import { SecretsManagerReader } from '../adapters/secrets/secrets-manager-reader';
import { DynamoAgentMessageStore } from '../adapters/dynamodb/agent-message-store';
import { DynamoAgentRepository } from '../adapters/dynamodb/agent-repository';
import { DynamoAmbientFloor } from '../adapters/dynamodb/agent-floor';
import { DynamoTokenLedger } from '../adapters/dynamodb/agent-ledger';
import { DynamoLiveReplyStore } from '../adapters/dynamodb/live-reply-store';
import { DynamoModelCircuitStore } from '../adapters/dynamodb/model-circuit-store';
import { DEFAULT_CIRCUIT, type CircuitOptions } from '../domain/agents/circuit-breaker';
import { SqsAgentJobQueue } from '../adapters/sqs/agent-job-queue';
import { DEFAULT_MODEL_ID } from '../domain/agents/config';
import { ModelRouter } from '../domain/agents/model-router';
import type { ModelClient, RoomFeed } from '../domain/agents/ports';
import { createRoomFeed } from '../use-cases/agents/room-feed';
import type { FanOutDeps } from '../use-cases/delivery/deliver-message';
import type { DeliverDeps } from '../use-cases/delivery/deliver-to-room';
import { currentTraceHeader } from '../shared/observability';
import { bedrockRuntimeClient, dynamoDocumentClient, secretsManagerClient, sqsClient } from './clients';
import { nextId, systemClock } from './chat';
import { AGENT_ENV, ENV, GAMES_ENV, choiceEnv, intEnv, listEnv, optionalEnv, requireEnv } from './env';

/**
 * The agents' wiring: builders for their adapters, each from the environment
 * variable the granting construct sets. Handlers call them once, at cold
 * start.
 */
const documents = (): DynamoDBDocumentClient => dynamoDocumentClient();

export const agentRepository = () => new DynamoAgentRepository(documents(), requireEnv(ENV.roomsTable));

export const agentMessageStore = () =>
  new DynamoAgentMessageStore(documents(), requireEnv(ENV.messagesTable), {
    initialModeration: choiceEnv(AGENT_ENV.replyModeration, ['allowed', 'pending'], 'allowed'),
  });

export const tokenLedger = () => new DynamoTokenLedger(documents(), requireEnv(ENV.connectionsTable));

export const ambientFloor = () => new DynamoAmbientFloor(documents(), requireEnv(ENV.connectionsTable));

/** Replies while they stream (who asked, a request to stop), beside the budgets. */
export const liveReplyStore = () => new DynamoLiveReplyStore(documents(), requireEnv(ENV.connectionsTable));

/** Each model's circuit breaker, beside the budgets: one item per model. */
export const modelCircuitStore = () => new DynamoModelCircuitStore(documents(), requireEnv(ENV.connectionsTable));

/** The circuit breaker's thresholds: the defaults (DEFAULT_CIRCUIT) unless the environment sets them. */
export const circuitOptions = (): CircuitOptions => ({
  failures: intEnv(AGENT_ENV.circuitFailures, DEFAULT_CIRCUIT.failures),
  windowMs: intEnv(AGENT_ENV.circuitWindowMs, DEFAULT_CIRCUIT.windowMs),
  coolDownMs: intEnv(AGENT_ENV.circuitCoolDownMs, DEFAULT_CIRCUIT.coolDownMs),
  probeTimeoutMs: DEFAULT_CIRCUIT.probeTimeoutMs,
});

/**
 * The job queue; the dead-letter queue only where the binding set it (the
 * worker). Each job carries the enqueuing trace's header (when tracing is
 * on), so the answer's trace links back to the message's dispatch.
 */
export const agentJobQueue = () =>
  new SqsAgentJobQueue(
    sqsClient(),
    requireEnv(AGENT_ENV.jobsQueueUrl),
    optionalEnv(AGENT_ENV.jobsDeadLetterQueueUrl),
    currentTraceHeader,
  );

/** The worker's job queue, which must be able to dead-letter. */
export const workerJobQueue = () =>
  new SqsAgentJobQueue(sqsClient(), requireEnv(AGENT_ENV.jobsQueueUrl), requireEnv(AGENT_ENV.jobsDeadLetterQueueUrl));

/** How long the OpenAI-compatible endpoint's API key is reused before it is read again. */
const API_KEY_TTL_MS = 5 * 60_000;

/**
 * The OpenAI-compatible endpoint, when the function is bound to one
 * (AGENT_OPENAI_BASE_URL), with its API key read from Secrets Manager.
 */
export const openAiModel = (): ModelClient | undefined => {
  const baseUrl = optionalEnv(AGENT_ENV.openAiBaseUrl);
  if (baseUrl === undefined) return undefined;
  const secretId = optionalEnv(AGENT_ENV.openAiApiKeySecret);
  const secret = secretId === undefined ? undefined : cachedSecret(new SecretsManagerReader(secretsManagerClient()), secretId, { ttlMs: API_KEY_TTL_MS });
  return new OpenAiChatModel({ baseUrl, apiKey: async () => (secret ? apiKeyFromSecret(await secret()) : undefined) });
};

/** Agents' models: Bedrock, and `openai:<model>` through the OpenAI-compatible endpoint where one is bound. */
export const modelClient = (): ModelClient => {
  const openai = openAiModel();
  return new ModelRouter({ bedrock: new BedrockModelClient(bedrockRuntimeClient()), ...(openai ? { openai } : {}) });
};

/** The model new agents get when their manager names none. */
export const defaultModelId = (): string => optionalEnv(AGENT_ENV.defaultModelId) ?? DEFAULT_MODEL_ID;

/** The model the games (the imposter's hidden AI, the dialogues' characters) call: GAMES_MODEL_ID, else the agents' default. */
export const gamesModelId = (): string => optionalEnv(GAMES_ENV.modelId) ?? defaultModelId();

/** Model ids room managers may choose; empty when no list is configured. */
export const allowedModelIds = (): ReadonlySet<string> =>
  new Set([...listEnv(AGENT_ENV.modelIds), ...listEnv(AGENT_ENV.localModelIds)]);

/**
 * Agent frames to a room: posted by the function itself, or, with `fanOut`
 * (the agent worker, bound to the fan-out queue), handed to the fan-out
 * workers in a room above the threshold.
 */
export const roomFeed = (deps: DeliverDeps & { readonly fanOut?: FanOutDeps }): RoomFeed =>
  createRoomFeed({ ...deps, clock: systemClock, nextId });
