import { DynamoDocumentRepository } from '../adapters/dynamodb/document-repository';
import { S3DocumentStore } from '../adapters/s3/document-store';
import type { DocumentActionDeps } from '../use-cases/knowledge/document-deps';
import type { IngestDocumentDeps } from '../use-cases/knowledge/ingest-document';
import type { RemoveRoomDocumentsDeps } from '../use-cases/knowledge/remove-room-documents';
import { agentRepository } from './agents';
import { auditLog, connectionGateway, connectionRepository, nextId, roomRepository, systemClock } from './chat';
import { dynamoDocumentClient, s3Client } from './clients';
import { DOCUMENTS_ENV, intEnv, requireEnv } from './env';
import { documentIndexer, documentPassages } from './knowledge-index';

/**
 * Room documents' wiring, from the variables their bindings set
 * (lib/document-functions.ts): the records in the knowledge table, the
 * objects in the documents bucket, and the index's port.
 */
export const documentRepository = () =>
  new DynamoDocumentRepository(dynamoDocumentClient(), requireEnv(DOCUMENTS_ENV.knowledgeTable));

export const documentStore = () => new S3DocumentStore(s3Client(), requireEnv(DOCUMENTS_ENV.bucket));

/** The documents' socket actions. */
export const documentActionDeps = (): DocumentActionDeps => ({
  rooms: roomRepository(),
  connections: connectionRepository(),
  gateway: connectionGateway(),
  documents: documentRepository(),
  store: documentStore(),
  clock: systemClock,
  agents: agentRepository(),
  audit: auditLog(),
  nextId,
  uploadSeconds: intEnv(DOCUMENTS_ENV.uploadSeconds, 300),
  indexer: documentIndexer(),
  passages: documentPassages(),
});

/** The ingestion function. */
export const ingestionDeps = (): IngestDocumentDeps => ({
  rooms: roomRepository(),
  connections: connectionRepository(),
  gateway: connectionGateway(),
  documents: documentRepository(),
  store: documentStore(),
  clock: systemClock,
  indexer: documentIndexer(),
});

/** A deleted room's documents, for its purge. */
export const roomDocumentsPurgeDeps = (): RemoveRoomDocumentsDeps => ({
  documents: documentRepository(),
  store: documentStore(),
  indexer: documentIndexer(),
});

/** The ingestion queue's maxReceiveCount (lib sets it from the queue's redrive policy). */
export const ingestionMaxReceiveCount = (): number => intEnv(DOCUMENTS_ENV.maxReceiveCount, 5);
