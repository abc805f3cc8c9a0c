import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { DOCUMENTS_ENV } from '../lambdas/wiring/env';
import { INGESTION_MAX_RECEIVE_COUNT, INGESTION_TIMEOUT } from './constructs/document-storage';
import type { FunctionSpec } from './function-spec';
import { bindMemoryEmbedder } from './memory-functions';

/** Object events one ingestion invocation takes: one, since a large PDF fills most of an invocation. */
export const INGESTION_BATCH_SIZE = 1;

/** Ingestions at once: bounds the embedding calls and chunk writes a burst of uploads makes. */
export const INGESTION_MAX_CONCURRENCY = 5;

/**
 * Memory of the ingestion function: a 20 MB PDF, its text and its chunks'
 * vectors fit several times over, and Lambda's CPU share grows with memory
 * (1,769 MB is one full vCPU), which parsing uses.
 */
export const INGESTION_MEMORY_MB = 2048;

/**
 * Room documents: the owners' and moderators' socket actions (upload
 * grants, listing, deletion) and the ingestion function behind the queue the
 * documents bucket notifies. Only the documents function signs uploads and
 * only the ingestion function reads the bucket.
 */
export const DOCUMENT_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'Documents',
    handlerFile: 'documents',
    description: 'Grants document uploads (presigned POST), lists a room’s documents, deletes them with their index, opens cited passages',
    routes: ['requestDocumentUpload', 'listDocuments', 'deleteDocument', 'getDocumentPassage'],
    bind: (fn, { data, api, stage, config }) => {
      // GetItem: the room, the caller's membership, an upload's agent; Query: the moderators to tell.
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem', 'Query'] });
      // GetItem: a document's record and a cited chunk; Query and BatchWriteItem: a deleted document's chunks, removed through the index's port.
      fn.bindKnowledgeTable(data.knowledgeTable, { actions: ['GetItem', 'Query', 'PutItem', 'DeleteItem', 'BatchWriteItem'] });
      fn.bindDocumentsBucket(data.documents.bucket, 'upload');
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
      fn.bindConnectionsTable(data.connectionsTable, { actions: ['Query', 'DeleteItem', 'BatchWriteItem'] });
      fn.bindManagementApi(api, stage);
      fn.setEnvironment({ [DOCUMENTS_ENV.uploadSeconds]: config.documentUploadSeconds });
    },
  },
  {
    id: 'IngestDocuments',
    handlerFile: 'ingest-documents',
    description: 'Indexes uploaded document versions from the documents bucket’s events; tells moderators each status',
    routes: [],
    timeout: INGESTION_TIMEOUT,
    memorySize: INGESTION_MEMORY_MB,
    bind: (fn, { data, api, stage, config }) => {
      fn.bindRoomsTable(data.roomsTable, { actions: ['Query'] });
      // GetItem/UpdateItem: the record; Query and BatchWriteItem: the index's chunks.
      fn.bindKnowledgeTable(data.knowledgeTable, { actions: ['GetItem', 'UpdateItem', 'Query', 'BatchWriteItem'] });
      // Chunks are embedded with room memory's embeddings model when one is configured.
      bindMemoryEmbedder(fn, config);
      fn.bindDocumentsBucket(data.documents.bucket, 'ingest');
      fn.bindConnectionsTable(data.connectionsTable, { actions: ['Query', 'DeleteItem', 'BatchWriteItem'] });
      fn.bindManagementApi(api, stage);
      fn.setEnvironment({ [DOCUMENTS_ENV.maxReceiveCount]: INGESTION_MAX_RECEIVE_COUNT });
      fn.function.addEventSource(
        new SqsEventSource(data.documents.queue, {
          batchSize: INGESTION_BATCH_SIZE,
          maxConcurrency: INGESTION_MAX_CONCURRENCY,
          reportBatchItemFailures: true,
        }),
      );
    },
  },
];
