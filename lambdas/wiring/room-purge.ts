import { DynamoGamesPurge } from '../adapters/dynamodb/games-purge';
import { DynamoMemoryPurge, DynamoPartitionPurge } from '../adapters/dynamodb/memory-purge';
import { INTEGRATIONS_TABLE } from '../adapters/dynamodb/integrations-schema';
import { DynamoMessageExpiries } from '../adapters/dynamodb/message-expiries';
import { SqsRoomPurgeQueue } from '../adapters/sqs/room-purge-queue';
import type { PurgeDeletedRoomDeps } from '../use-cases/purge-deleted-room';
import { removeRoomDocuments } from '../use-cases/knowledge/remove-room-documents';
import { roomRepository } from './chat';
import { roomDocumentsPurgeDeps } from './documents';
import { dynamoDocumentClient, sqsClient } from './clients';
import { ENV, GAMES_ENV, INTEGRATIONS_ENV, MEMORY_ENV, requireEnv, ROOM_PURGE_ENV } from './env';

/** A deleted room's purge, from the variables its bindings set (lib/room-purge-functions.ts). */
export const roomPurgeQueue = () => new SqsRoomPurgeQueue(sqsClient(), requireEnv(ROOM_PURGE_ENV.queueUrl));

/** What the room-purge worker needs: the room's tombstone, its messages, memory, integrations, games and documents, and the queue. */
export const roomPurgeDeps = (): PurgeDeletedRoomDeps => ({
  rooms: roomRepository(),
  messages: new DynamoMessageExpiries(dynamoDocumentClient(), requireEnv(ENV.messagesTable)),
  memory: new DynamoMemoryPurge(dynamoDocumentClient(), requireEnv(MEMORY_ENV.table)),
  queue: roomPurgeQueue(),
  integrations: new DynamoPartitionPurge(dynamoDocumentClient(), requireEnv(INTEGRATIONS_ENV.table), INTEGRATIONS_TABLE),
  games: new DynamoGamesPurge(dynamoDocumentClient(), requireEnv(GAMES_ENV.table)),
  documents: ((documents) => ({ removeAll: (roomId: string) => removeRoomDocuments(documents, roomId) }))(roomDocumentsPurgeDeps()),
});
