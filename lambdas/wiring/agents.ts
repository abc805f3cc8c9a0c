import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BedrockModelClient } from '../adapters/bedrock/bedrock-model';
import { bedrockRuntimeClient } from '../adapters/bedrock/client';
import { dynamoDocumentClient } from '../adapters/clients';
import { DynamoAgentMessageStore } from '../adapters/dynamodb/agent-message-store';
import { DynamoAgentRepository } from '../adapters/dynamodb/agent-repository';
import { DynamoAmbientFloor } from '../adapters/dynamodb/agent-floor';
import { DynamoTokenLedger } from '../adapters/dynamodb/agent-ledger';
import { SqsAgentJobQueue } from '../adapters/sqs/agent-job-queue';
import { sqsClient } from '../adapters/sqs/client';
import type { RoomFeed } from '../domain/agents/ports';
import { ENV, requireEnv } from '../shared/env';
import { deliverToRoom, type DeliverDeps } from '../use-cases/deliver-to-room';
import { AGENT_ENV, listEnv } from './agent-env';
import { retentionLookup } from './retention-lookup';

/**
 * Builders for the agents' adapters, each from the environment variable the
 * granting construct sets. Handlers call them once, at cold start.
 */
const documents = (): DynamoDBDocumentClient => dynamoDocumentClient();

export const agentRepository = () => new DynamoAgentRepository(documents(), requireEnv(ENV.roomsTable));

export const agentMessageStore = () => {
  const moderation = process.env[AGENT_ENV.replyModeration];
  if (moderation !== undefined && moderation !== '' && moderation !== 'allowed' && moderation !== 'pending') {
    throw new Error(`Environment variable ${AGENT_ENV.replyModeration} must be "allowed" or "pending", got "${moderation}".`);
  }
  return new DynamoAgentMessageStore(documents(), requireEnv(ENV.messagesTable), {
    initialModeration: moderation === 'pending' ? 'pending' : 'allowed',
    retention: retentionLookup(),
  });
};

export const tokenLedger = () => new DynamoTokenLedger(documents(), requireEnv(ENV.connectionsTable));

export const ambientFloor = () => new DynamoAmbientFloor(documents(), requireEnv(ENV.connectionsTable));

/** The job queue; the dead-letter queue only where the binding set it (the worker). */
export const agentJobQueue = () =>
  new SqsAgentJobQueue(sqsClient(), requireEnv(AGENT_ENV.jobsQueueUrl), process.env[AGENT_ENV.jobsDeadLetterQueueUrl] || undefined);

/** The worker's job queue, which must be able to dead-letter. */
export const workerJobQueue = () =>
  new SqsAgentJobQueue(sqsClient(), requireEnv(AGENT_ENV.jobsQueueUrl), requireEnv(AGENT_ENV.jobsDeadLetterQueueUrl));

export const modelClient = () => new BedrockModelClient(bedrockRuntimeClient());

/** Model ids room managers may choose; empty when no list is configured. */
export const allowedModelIds = (): ReadonlySet<string> =>
  new Set([...listEnv(process.env[AGENT_ENV.modelIds]), ...listEnv(process.env[AGENT_ENV.localModelIds])]);

/** Agent frames fanned out to the room with deliverToRoom, counting posts. */
export const roomFeed = (deps: DeliverDeps): RoomFeed => ({
  publish: async (roomId, frame) => {
    const report = await deliverToRoom(deps, roomId, frame);
    return { posts: report.recipients };
  },
});
