/**
 * Key design of the knowledge table: a room's documents and their index,
 * in a table of its own so only the documents and ingestion functions are
 * granted it and its writes add nothing to the messages table's stream.
 * One partition per room:
 *
 *   <roomId>  DOC#<documentId>                          the document's record: name, type, size, version, status
 *   <roomId>  CHUNK#<documentId>#<version:6>#<chunk:6>  one chunk of a version: its text, section, terms and vector
 *
 * A room's search reads the CHUNK# range of its partition (in-function
 * search: docs/knowledge.md gives the corpus sizes this fits).
 */
export const KNOWLEDGE_TABLE = {
  partitionKey: 'roomId',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
} as const;

export const KNOWLEDGE_ENTITY = {
  document: 'knowledgeDocument',
  chunk: 'knowledgeChunk',
} as const;

const pad = (n: number): string => String(n).padStart(6, '0');

export const knowledgeKeys = {
  documentPrefix: 'DOC#',
  document: (documentId: string): string => `DOC#${documentId}`,
  chunkPrefix: 'CHUNK#',
  chunksOf: (documentId: string): string => `CHUNK#${documentId}#`,
  chunksOfVersion: (documentId: string, version: number): string => `CHUNK#${documentId}#${pad(version)}#`,
  chunk: (documentId: string, version: number, chunk: number): string => `CHUNK#${documentId}#${pad(version)}#${pad(chunk)}`,
} as const;
