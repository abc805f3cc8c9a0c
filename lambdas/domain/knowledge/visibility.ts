import type { DocumentRecordView } from './ports';

/** Statuses of a document on its way out: its chunks are no longer served, whatever version was indexed. */
const LEAVING = new Set(['deleting', 'deleted']);

/**
 * Whether search may serve a document's chunks to an agent, and which
 * version's: the indexed one, of a document shared by the room's agents or
 * belonging to the asking agent. While a replacement is indexing (or failed)
 * the previous indexed version stays searchable.
 */
export function searchableVersion(document: DocumentRecordView, agentId: string | undefined): number | undefined {
  if (document.indexedVersion === undefined || LEAVING.has(document.status)) return undefined;
  if (document.agentId !== undefined && document.agentId !== agentId) return undefined;
  return document.indexedVersion;
}
