/**
 * Key design of the memory table, which holds what room memory derives from
 * the messages table's stream (docs/memory.md explains the choice of a table
 * of its own). One partition per room:
 *
 *   <roomId>  CURSOR                       how many messages the room remembered and its open window
 *   <roomId>  MSG#<messageId>              a message's marker: its window and the last stream record applied
 *                                          (a tombstone once forgotten, expiring after TOMBSTONE_TTL_SECONDS)
 *   <roomId>  CHUNK#<windowStart:12>       a window of remembered messages (the unit of retrieval)
 *   <roomId>  SUMMARY#<throughSeq:12>      the rolling summary through that message
 *
 * Sequence numbers are zero-padded so the sort key orders windows and
 * summaries numerically.
 */
export const MEMORY_TABLE = {
  partitionKey: 'roomId',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
} as const;

export const MEMORY_ENTITY = {
  cursor: 'memoryCursor',
  marker: 'memoryMarker',
  chunk: 'memoryChunk',
  summary: 'memorySummary',
} as const;

/** Stream records live 24 hours; a tombstone outlives any replay of an earlier change. */
export const TOMBSTONE_TTL_SECONDS = 2 * 86_400;

const pad = (n: number): string => String(n).padStart(12, '0');

export const memoryKeys = {
  cursor: 'CURSOR',
  marker: (messageId: string): string => `MSG#${messageId}`,
  chunkPrefix: 'CHUNK#',
  chunk: (windowStart: number): string => `CHUNK#${pad(windowStart)}`,
  summaryPrefix: 'SUMMARY#',
  summary: (throughSeq: number): string => `SUMMARY#${pad(throughSeq)}`,
} as const;
