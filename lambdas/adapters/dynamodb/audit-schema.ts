/**
 * Key design of the audit table (append-only; no function may update or
 * delete its items, and the infrastructure tests hold every grant to that).
 *
 *   pk ROOM#<roomId>   sk ENTRY#<entryId>          an audit entry (entity "auditEntry")
 *   index byTime: pk ROOM#<roomId> / at <occurredAt>#<entryId>   the room's trail in time order
 *
 * `entryId` is a hash of the room and the entry's idempotency key, so a
 * retried write meets the first one's key and its condition fails: one entry
 * per event. A global (not local) index keeps a busy room's trail free of the
 * 10 GB item-collection limit of local indexes.
 *
 * The table's stream (NEW_IMAGE) feeds the archiver, which copies every
 * entry to the Object Lock bucket.
 */
export const AUDIT_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  byTimeIndex: { name: 'byTime', partitionKey: 'pk', sortKey: 'at' },
} as const;

export const AUDIT_ENTITY = 'auditEntry';
