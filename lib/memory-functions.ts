import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { MEMORY_ENV } from '../lambdas/wiring/env';
import { EDITED_AT_ATTRIBUTE } from '../lambdas/adapters/dynamodb/message-items';
import { StreamConsumer } from './constructs/stream-consumer';
import { MESSAGE_ITEM, MODERATED_TEXT_FILTERS, moderationStates, READABLE_MODERATION } from './message-stream-filters';
import type { ParleyConfig } from './config';
import { ModelEndpointKey } from './constructs/model-endpoint-key';
import type { ParleyFunction } from './constructs/parley-function';
import type { FunctionSpec } from './function-spec';

/**
 * Which changes of the messages table reach room memory: the moderated text
 * every consumer of message text may see (MODERATED_TEXT_FILTERS), plus
 * a visible message redacted, quarantined or blocked afterwards (memory
 * replaces or forgets it), a visible message its sender edited (memory
 * replaces its text; `editedAt` is set by editMessage only) and a message
 * deleted (memory forgets it).
 */
export const MEMORY_STREAM_FILTERS: ReadonlyArray<Record<string, unknown>> = [
  ...MODERATED_TEXT_FILTERS,
  {
    eventName: ['MODIFY'],
    dynamodb: {
      OldImage: { ...MESSAGE_ITEM, moderation: READABLE_MODERATION },
      NewImage: { moderation: moderationStates('redacted', 'quarantined', 'blocked') },
    },
  },
  {
    eventName: ['MODIFY'],
    dynamodb: {
      OldImage: { ...MESSAGE_ITEM, moderation: READABLE_MODERATION },
      NewImage: { moderation: READABLE_MODERATION, [EDITED_AT_ATTRIBUTE]: { S: [{ exists: true }] } },
    },
  },
  { eventName: ['REMOVE'], dynamodb: { OldImage: MESSAGE_ITEM } },
];

/**
 * The embeddings model, when one is configured, for a function that
 * remembers (it embeds messages) or recalls (it embeds the query): Titan,
 * or the OpenAI-compatible API with its key's secret (an existing one,
 * named in the configuration; none, no key is sent).
 */
export function bindMemoryEmbedder(fn: ParleyFunction, config: ParleyConfig): void {
  if (config.memoryEmbeddingModelId !== undefined) {
    fn.bindMemoryEmbeddings(config.memoryEmbeddingModelId);
    return;
  }
  if (config.memoryEmbeddingBaseUrl === undefined || config.memoryEmbeddingModel === undefined) return;
  const secret = config.memoryEmbeddingApiKeySecret;
  fn.bindMemoryOpenAiEmbeddings({
    baseUrl: config.memoryEmbeddingBaseUrl,
    model: config.memoryEmbeddingModel,
    // An existing secret only: ModelEndpointKey creates nothing then, it names the ARNs to grant.
    ...(secret === undefined ? {} : { apiKey: new ModelEndpointKey(fn, 'MemoryEmbeddingKey', { existingSecret: secret, removalPolicy: RemovalPolicy.RETAIN }) }),
  });
}

/** Records per invocation: a batch stays well inside the function's 10 s even when a summary is due. */
export const MEMORY_STREAM_BATCH_SIZE = 25;

/**
 * Room memory's functions: the stream consumer that remembers moderated
 * messages and refreshes summaries, and the getSummary action.
 */
export const MEMORY_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'MemoryStream',
    handlerFile: 'memory-stream',
    description: 'Remembers moderated messages in windows and rolling summaries, from the messages stream',
    routes: [],
    bind: (fn, { data, config }) => {
      fn.bindMemoryTable(data.memoryTable, { actions: ['BatchGetItem', 'PutItem', 'UpdateItem', 'Query', 'BatchWriteItem'] });
      fn.setEnvironment({ [MEMORY_ENV.summaryEvery]: config.memorySummaryEvery });
      if (config.memorySummaryModelId !== undefined) fn.bindMemorySummaryModel(config.memorySummaryModelId);
      bindMemoryEmbedder(fn, config);
      new StreamConsumer(fn, 'MessagesStream', {
        table: data.messagesTable,
        filters: MEMORY_STREAM_FILTERS,
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: MEMORY_STREAM_BATCH_SIZE,
        reportBatchItemFailures: true,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(6),
        onFailure: { queue: data.streamFailures.memory },
      });
    },
  },
  {
    id: 'MemorySummary',
    handlerFile: 'memory-summary',
    description: 'Returns a room’s rolling summary to its members',
    routes: ['getSummary'],
    bind: (fn, { data }) => {
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem'] });
      fn.bindMemoryTable(data.memoryTable, { actions: ['Query'] });
    },
  },
];
