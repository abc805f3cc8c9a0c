import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BY_POINTS_INDEX } from '../lambdas/adapters/dynamodb/games-schema';
import { AGENT_ENV, GAMES_ENV } from '../lambdas/wiring/env';
import { DIALOGUE_WORKER_TIMEOUT, IMPOSTER_WORKER_TIMEOUT } from './constructs/game-queues';
import type { ParleyFunction, TableAccess } from './constructs/parley-function';
import type { BindContext, FunctionSpec } from './function-spec';

/**
 * What every game function reads and tells: the room and its members, the
 * room's connections (who is online, where frames go, the action budget),
 * the audit trail (append-only), and the management API.
 */
function bindGameRoom(fn: ParleyFunction, { data, api, stage }: BindContext): void {
  // The room, the caller's membership and the room's moderation settings; Query: the room's members.
  fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem', 'BatchGetItem', 'Query'] });
  // Query: the room's connections; DeleteItem/BatchWriteItem: connections found gone; UpdateItem: rate budgets.
  fn.bindConnectionsTable(data.connectionsTable, { actions: ['Query', 'GetItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'] });
  fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
  fn.bindManagementApi(api, stage);
}

/** The model the games call: the configured default agent model, and its endpoint when it is an OpenAI-compatible one. */
function bindGameModel(fn: ParleyFunction, { data, config }: BindContext): void {
  fn.bindAgentModels([config.agentDefaultModelId]);
  fn.setEnvironment({ [GAMES_ENV.modelId]: config.agentDefaultModelId, [AGENT_ENV.defaultModelId]: config.agentDefaultModelId });
  if (config.openAiBaseUrl !== undefined && data.modelEndpointKey !== undefined) {
    fn.bindOpenAiEndpoint({ baseUrl: config.openAiBaseUrl, apiKey: data.modelEndpointKey });
  }
}

/** Reads and writes of the games table: items, transactions of them, and the ranking index. */
const GAMES_TABLE_ACCESS: TableAccess<typeof BY_POINTS_INDEX.name> = {
  actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem', 'Query'],
  queryIndexes: [BY_POINTS_INDEX.name],
};

/**
 * Game and dialogue rooms (docs/games.md, docs/dialogues.md): the imposter
 * game's actions and its worker (the hidden AI's lines, rounds' ends), and
 * dialogues' actions and their worker (answering turns, resolving).
 */
export const GAME_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'Imposter',
    handlerFile: 'imposter',
    description: 'Starts imposter rounds, takes their lines and votes, and reads rounds and leaderboards',
    routes: ['startRound', 'sendRoundLine', 'castVote', 'getRound', 'getLeaderboard'],
    bind: (fn, context) => {
      bindGameRoom(fn, context);
      fn.bindGamesTable(context.data.gamesTable, GAMES_TABLE_ACCESS);
      // The round's timer and the hidden AI's next line.
      fn.bindGameJobs('imposter', context.data.gameQueues.imposterJobs);
    },
  },
  {
    id: 'ImposterWorker',
    handlerFile: 'imposter-worker',
    description: 'Writes the hidden AI’s lines and ends imposter rounds on time, from the imposter job queue',
    routes: [],
    timeout: IMPOSTER_WORKER_TIMEOUT,
    bind: (fn, context) => {
      bindGameRoom(fn, context);
      fn.bindGamesTable(context.data.gamesTable, GAMES_TABLE_ACCESS);
      bindGameModel(fn, context);
      // A timer that falls short of the round's end, and the AI's next line, go back on the queue.
      fn.bindGameJobs('imposter', context.data.gameQueues.imposterJobs);
      fn.function.addEventSource(
        new SqsEventSource(context.data.gameQueues.imposterJobs, { batchSize: 1, reportBatchItemFailures: true }),
      );
    },
  },
  {
    id: 'Dialogue',
    handlerFile: 'dialogue',
    description: 'Lists and uploads scenarios, starts dialogues, takes their turns and ends them',
    routes: ['listScenarios', 'uploadScenario', 'startDialogue', 'takeDialogueTurn', 'endDialogue', 'getDialogue'],
    bind: (fn, context) => {
      bindGameRoom(fn, context);
      fn.bindGamesTable(context.data.gamesTable, GAMES_TABLE_ACCESS);
      // Turns are answered, and dialogues resolved, by the worker.
      fn.bindGameJobs('dialogue', context.data.gameQueues.dialogueJobs);
    },
  },
  {
    id: 'DialogueWorker',
    handlerFile: 'dialogue-worker',
    description: 'Answers dialogue turns (characters’ replies, state, options) and resolves dialogues, from the dialogue job queue',
    routes: [],
    timeout: DIALOGUE_WORKER_TIMEOUT,
    bind: (fn, context) => {
      bindGameRoom(fn, context);
      fn.bindGamesTable(context.data.gamesTable, GAMES_TABLE_ACCESS);
      bindGameModel(fn, context);
      // A turn that reaches the goal or the turn limit enqueues the resolution.
      fn.bindGameJobs('dialogue', context.data.gameQueues.dialogueJobs);
      fn.function.addEventSource(
        new SqsEventSource(context.data.gameQueues.dialogueJobs, { batchSize: 1, reportBatchItemFailures: true }),
      );
    },
  },
];
