import { DynamoDialogueStore } from '../adapters/dynamodb/dialogue-store';
import { DynamoScenarioStore } from '../adapters/dynamodb/scenario-store';
import { SqsDialogueJobQueue } from '../adapters/sqs/dialogue-job-queue';
import type { DialogueDeps } from '../use-cases/games/dialogue/dialogue-deps';
import type { AnswerTurnDeps } from '../use-cases/games/dialogue/answer-turn';
import type { ResolveDialogueDeps } from '../use-cases/games/dialogue/resolve-dialogue';
import { gamesModelId, modelClient } from './agents';
import { auditLog, connectionGateway, connectionRepository, roomDeps, systemClock } from './chat';
import { dynamoDocumentClient, sqsClient } from './clients';
import { GAMES_ENV, requireEnv } from './env';

/**
 * Guided dialogues' wiring: the games table, the DialogueJobs queue and the
 * model, from the variables the games' bindings set (lib/game-functions.ts).
 */
export const dialogueStore = () => new DynamoDialogueStore(dynamoDocumentClient(), requireEnv(GAMES_ENV.table));

export const scenarioStore = () => new DynamoScenarioStore(dynamoDocumentClient(), requireEnv(GAMES_ENV.table));

export const dialogueJobQueue = () => new SqsDialogueJobQueue(sqsClient(), requireEnv(GAMES_ENV.dialogueJobsQueueUrl));

/** What the dialogue actions need. */
export const dialogueDeps = (): DialogueDeps => ({
  ...roomDeps(),
  dialogues: dialogueStore(),
  scenarios: scenarioStore(),
  jobs: dialogueJobQueue(),
});

/** What the dialogue worker needs: no rooms or scenarios (a dialogue carries its scenario), the model instead. */
export const dialogueWorkerDeps = (): AnswerTurnDeps & ResolveDialogueDeps => ({
  connections: connectionRepository(),
  gateway: connectionGateway(),
  clock: systemClock,
  audit: auditLog(),
  dialogues: dialogueStore(),
  jobs: dialogueJobQueue(),
  model: modelClient(),
  modelId: gamesModelId(),
});
