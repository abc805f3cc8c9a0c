/**
 * What one document version may hold to be indexed. Past these, indexing
 * fails with a reason instead of running out of the ingestion function's
 * time or memory: 500 pages of dense text is about 1.5 M characters, and
 * 3 M characters make about 3,500 chunks (see `CHUNKING`).
 */
export const KNOWLEDGE_LIMITS = {
  /** Pages of a PDF. */
  maxPages: 500,
  /** Characters of extracted text, any format. */
  maxCharacters: 3_000_000,
} as const;
