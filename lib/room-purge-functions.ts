import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ROOM_PURGE_WORKER_TIMEOUT } from './constructs/room-purge-queues';
import type { FunctionSpec } from './function-spec';

/** Jobs one worker invocation takes: one, since each job already fills most of an invocation's time. */
export const ROOM_PURGE_BATCH_SIZE = 1;

/**
 * Workers at once, whatever the number of rooms being purged: each makes up
 * to ten writes at a time, so purges never take more than a bounded share of
 * the messages table's write capacity from the rooms that are talking.
 */
export const ROOM_PURGE_MAX_CONCURRENCY = 5;

/**
 * A deleted room's purge worker, behind the room-purge queue: it reads the
 * room's tombstone, pages through its messages and moves each one's expiry
 * to the deletion time (Query and a conditional UpdateItem: never a
 * DeleteItem, so TTL removes them and the archive consumer archives them),
 * deletes the room's memory, integrations, game data and documents, and enqueues its next job on its own queue.
 */
export const ROOM_PURGE_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'RoomPurge',
    handlerFile: 'room-purge',
    description: 'Archives and removes a deleted room’s messages (by their expiry) and its memory, from the room-purge queue',
    routes: [],
    timeout: ROOM_PURGE_WORKER_TIMEOUT,
    bind: (fn, { data }) => {
      // The tombstone: a purge runs only for a deleted room.
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem'] });
      fn.bindMessagesTable(data.messagesTable, { actions: ['Query', 'UpdateItem'] });
      fn.bindMemoryTable(data.memoryTable, { actions: ['Query', 'BatchWriteItem'] });
      // The room's API keys and webhooks with their records: the whole partition, a page at a time.
      fn.bindIntegrationsTable(data.integrationsTable, { actions: ['Query', 'BatchWriteItem'] });
      // The room's rounds, dialogues and leaderboard with their own partitions, a page at a time; never the byPoints index.
      fn.bindGamesTable(data.gamesTable, { actions: ['Query', 'BatchWriteItem'] });
      // The room's documents: their records and, through the index's port, their chunks; their objects.
      fn.bindKnowledgeTable(data.knowledgeTable, { actions: ['Query', 'DeleteItem', 'BatchWriteItem'] });
      fn.bindDocumentsBucket(data.documents.bucket, 'purge');
      // SendMessage: the rest of a purge goes back on the queue as the next job.
      fn.bindRoomPurgeQueue(data.roomPurgeQueues.jobs);
      fn.function.addEventSource(
        new SqsEventSource(data.roomPurgeQueues.jobs, {
          batchSize: ROOM_PURGE_BATCH_SIZE,
          maxConcurrency: ROOM_PURGE_MAX_CONCURRENCY,
          reportBatchItemFailures: true,
        }),
      );
    },
  },
];
