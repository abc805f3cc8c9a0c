import { DynamoLeaderboardStore } from '../adapters/dynamodb/leaderboard-store';
import { DynamoRoundStore } from '../adapters/dynamodb/round-store';
import { SqsImposterJobQueue } from '../adapters/sqs/imposter-job-queue';
import type { AgentTurnDeps } from '../use-cases/games/imposter/take-agent-turn';
import type { SendRoundLineDeps } from '../use-cases/games/imposter/send-round-line';
import type { ImposterDeps } from '../use-cases/games/imposter/deps';
import { gamesModelId, modelClient } from './agents';
import { rateLimiter, roomDeps } from './chat';
import { dynamoDocumentClient, sqsClient } from './clients';
import { GAMES_ENV, requireEnv } from './env';
import { agentRoster, extraDetectors, moderationSettings } from './moderation';
import { retentionLookup } from './retention';

/**
 * The imposter game's wiring: its stores in the games table, its job
 * queue, the model it plays with (GAMES_MODEL_ID, else the agents'
 * default), and the chat core's rooms, connections, audit, moderation and
 * message budget. Handlers call these once, at cold start.
 */

/** What the reveal calls the AI: the model behind it. */
const agentLabel = (): string => `AI (${gamesModelId()})`;

/** Deps of every imposter use case; the worker's and sendRoundLine's add theirs. */
export function imposterDeps(): ImposterDeps {
  const client = dynamoDocumentClient();
  const table = requireEnv(GAMES_ENV.table);
  return {
    ...roomDeps(),
    rounds: new DynamoRoundStore(client, table),
    leaderboards: new DynamoLeaderboardStore(client, table),
    jobs: new SqsImposterJobQueue(sqsClient(), requireEnv(GAMES_ENV.imposterJobsQueueUrl)),
    random: Math.random,
    agentLabel: agentLabel(),
  };
}

/** What a person's line needs besides: the room's moderation, the message budget and retention. */
export const roundLineDeps = (base: ImposterDeps): SendRoundLineDeps => ({
  ...base,
  settings: moderationSettings(),
  agents: agentRoster(),
  detectors: extraDetectors(),
  rateLimiter: rateLimiter(),
  retention: retentionLookup(),
});

/** What the AI's turn needs besides: the model, and the same moderation and retention as people's lines. */
export const agentTurnDeps = (base: ImposterDeps): AgentTurnDeps => ({
  ...base,
  settings: moderationSettings(),
  agents: agentRoster(),
  detectors: extraDetectors(),
  retention: retentionLookup(),
  model: modelClient(),
  modelId: gamesModelId(),
});
