import type { DocumentHit, DocumentQuery, DocumentSearch } from '../../domain/knowledge/indexing';
import { bm25Scores } from '../../domain/knowledge/lexical';
import type { ChunkEmbedding, ChunkStore, StoredChunk } from '../../domain/knowledge/ports';
import { searchableVersion } from '../../domain/knowledge/visibility';
import { expandTerms } from '../../domain/memory/lexicon';
import { termsOf } from '../../domain/memory/terms';
import { dequantize, quantize, similarity } from '../../domain/memory/vectors';
import { fuseByRank } from '../../domain/retrieval/rank-fusion';

export interface SearchDeps {
  readonly store: ChunkStore;
  /** Absent: lexical ranking only. */
  readonly embedding?: ChunkEmbedding;
  /** Documents read at once (default 8). */
  readonly readConcurrency?: number;
}

/** Characters of a query searched at most: a question, not a document. */
export const MAX_QUERY_CHARS = 2_000;

/** Passages one search returns at most, whatever `k` asks: a prompt has room for a few. */
export const MAX_HITS = 20;

/** Runs `fn` over `items` with at most `limit` in flight; results in order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i] as T);
      }
    }),
  );
  return results;
}

/**
 * Searches a room's documents for the passages that best answer `query`,
 * for one agent: the room's shared documents and the agent's own, each at
 * its indexed version (`searchableVersion`). Reads the room's document
 * records, then each searchable version's chunks (one Query each, a few at
 * once), and ranks them twice: lexically, by BM25+ over index terms with the
 * query widened by WordNet synonyms (as room memory does), and, when an
 * embedder is configured, by cosine similarity to the query's embedding
 * among chunks embedded by the same embedder. The two rankings are fused by
 * reciprocal rank; ties go to the earlier document and chunk. Returns at
 * most `k` (and `MAX_HITS`) hits, best first; none for a query with no
 * searchable word. A query is cut at `MAX_QUERY_CHARS`.
 */
export async function searchDocuments(deps: SearchDeps, query: DocumentQuery): Promise<DocumentHit[]> {
  const k = Math.min(Math.floor(query.k), MAX_HITS);
  const text = query.text.slice(0, MAX_QUERY_CHARS);
  const queryTerms = expandTerms(termsOf(text));
  if (!(k > 0) || (queryTerms.size === 0 && !deps.embedding) || text.trim() === '') return [];

  const records = await deps.store.documentsOf(query.roomId);
  const allowed = records.flatMap((record) => {
    const version = searchableVersion(record, query.agentId);
    return version === undefined ? [] : [{ record, version }];
  });
  if (allowed.length === 0) return [];
  const [perDocument, queryVector] = await Promise.all([
    mapLimited(allowed, deps.readConcurrency ?? 8, ({ record, version }) => deps.store.chunksOf(query.roomId, record.documentId, version)),
    deps.embedding ? deps.embedding.embedder.embed(text).then((values) => dequantize(quantize(values))) : undefined,
  ]);
  const chunks = perDocument.flat();
  // The record's name is the current one (a rename after indexing shows in citations).
  const nameOf = new Map(allowed.map(({ record }) => [record.documentId, record.name]));

  const lexical = bm25Scores(
    chunks.map((c) => c.terms),
    queryTerms,
  );
  const rankings: Map<number, number>[] = [lexical];
  if (queryVector && deps.embedding) {
    const semantic = new Map<number, number>();
    chunks.forEach((c, i) => {
      if (c.vector === undefined || c.embeddedBy !== deps.embedding?.model) return;
      const score = similarity(queryVector, dequantize(c.vector));
      if (score > 0) semantic.set(i, score);
    });
    rankings.push(semantic);
  }
  // Chunks are read in document order and by chunk number: their position is a stable tie-break.
  const byPosition = (a: number, b: number) => a - b;
  const scores = rankings.length === 1 ? lexical : fuseByRank(rankings, byPosition);
  return [...scores]
    .sort(([ia, a], [ib, b]) => b - a || byPosition(ia, ib))
    .slice(0, k)
    .map(([i, score]) => toHit(chunks[i] as StoredChunk, nameOf.get((chunks[i] as StoredChunk).documentId), score));
}

function toHit(chunk: StoredChunk, name: string | undefined, score: number): DocumentHit {
  return {
    documentId: chunk.documentId,
    version: chunk.version,
    name: name ?? chunk.name,
    section: chunk.section,
    ...(chunk.page !== undefined ? { page: chunk.page } : {}),
    chunk: chunk.chunk,
    text: chunk.text,
    score: Math.round(score * 10_000) / 10_000,
  };
}

/** The DocumentSearch agents use. */
export class ChunkSearch implements DocumentSearch {
  constructor(private readonly deps: SearchDeps) {}

  search(query: DocumentQuery): Promise<DocumentHit[]> {
    return searchDocuments(this.deps, query);
  }
}
