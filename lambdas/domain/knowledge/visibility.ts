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
  if (document.agentId !== undefined && document.agentId !== agentId) return undefined;
  return servedVersion(document);
}

/**
 * The version of a document whose passages are served at all: the indexed
 * one, unless the document is being deleted. A citation of any other
 * version (superseded, removed) opens nothing.
 */
export function servedVersion(document: Pick<DocumentRecordView, 'indexedVersion' | 'status'>): number | undefined {
  return document.indexedVersion === undefined || LEAVING.has(document.status) ? undefined : document.indexedVersion;
}
