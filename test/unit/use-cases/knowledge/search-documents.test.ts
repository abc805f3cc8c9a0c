import { describe, expect, it } from 'vitest';
import { LexicalEmbedder } from '../../../../lambdas/adapters/knowledge/lexical-embedder';
import type { ParsedDocument } from '../../../../lambdas/domain/knowledge/chunking';
import type { DocumentRecordView } from '../../../../lambdas/domain/knowledge/ports';
import { indexDocument } from '../../../../lambdas/use-cases/knowledge/index-document';
import { MAX_HITS, searchDocuments } from '../../../../lambdas/use-cases/knowledge/search-documents';
import { CountingEmbedder, InMemoryChunkStore } from '../../../support/fakes/knowledge';

const embedding = () => ({ model: 'lexical-hash-512', embedder: new CountingEmbedder(new LexicalEmbedder()) });

async function roomWith(documents: { record: DocumentRecordView; document: ParsedDocument; versions?: number[] }[]) {
  const store = new InMemoryChunkStore();
  for (const { record, document, versions } of documents) {
    for (const version of versions ?? [record.indexedVersion ?? 1]) {
      await indexDocument(
        { parser: { parse: async () => document }, store, embedding: embedding() },
        {
          roomId: 'r1',
          documentId: record.documentId,
          version,
          name: record.name,
          ...(record.agentId !== undefined ? { agentId: record.agentId } : {}),
          contentType: 'text/plain',
          bytes: new Uint8Array(),
        },
      );
    }
    store.putRecord('r1', record);
  }
  return store;
}

const handbook: ParsedDocument = {
  sections: [
    { path: ['Warranty'], paragraphs: ['The warranty covers parts and labour for two years from purchase.'] },
    { path: ['Warranty', 'Returns'], paragraphs: ['Customers may return unused items within thirty days for a full refund.'] },
    { path: ['Shipping'], paragraphs: ['Parcels to the islands travel by ferry and take five working days.'] },
  ],
};
const ready = (documentId: string, name: string, extra: Partial<DocumentRecordView> = {}): DocumentRecordView => ({
  documentId,
  name,
  status: 'ready',
  indexedVersion: 1,
  ...extra,
});

describe('searchDocuments', () => {
  it('returns the best passages first, with where they come from', async () => {
    const store = await roomWith([{ record: ready('d1', 'Handbook'), document: handbook }]);

    const hits = await searchDocuments({ store, embedding: embedding() }, { roomId: 'r1', text: 'How long do boats take to deliver parcels?', k: 2 });

    expect(hits[0]).toMatchObject({ documentId: 'd1', version: 1, name: 'Handbook', section: 'Shipping', chunk: 2 });
    expect(hits[0]?.text).toContain('ferry');
    expect(hits.length).toBeLessThanOrEqual(2);
  });

  it('finds a passage by another form of the question’s words (the lexical ranking’s stems and synonyms)', async () => {
    const store = await roomWith([{ record: ready('d1', 'Handbook'), document: handbook }]);

    const hits = await searchDocuments({ store }, { roomId: 'r1', text: 'Can clients give back goods after returning them?', k: 1 });

    expect(hits[0]?.section).toBe('Warranty › Returns');
  });

  it('serves an agent the shared documents and its own, never another agent’s', async () => {
    const secret: ParsedDocument = { sections: [{ path: [], paragraphs: ['The ferry password is heron.'] }] };
    const store = await roomWith([
      { record: ready('d1', 'Handbook'), document: handbook },
      { record: ready('d2', 'Secret', { agentId: 'a2' }), document: secret },
    ]);

    const asA1 = await searchDocuments({ store, embedding: embedding() }, { roomId: 'r1', agentId: 'a1', text: 'ferry password', k: 5 });
    const readForA1 = [...store.reads];
    const asA2 = await searchDocuments({ store, embedding: embedding() }, { roomId: 'r1', agentId: 'a2', text: 'ferry password', k: 5 });

    expect(asA1.map((h) => h.documentId)).not.toContain('d2');
    expect(asA2[0]?.documentId).toBe('d2');
    // Another agent's document is not even read.
    expect(readForA1).toEqual(['d1@1']);
  });

  it('reads and serves only each document’s indexed version', async () => {
    const store = await roomWith([{ record: ready('d1', 'Handbook', { indexedVersion: 2, status: 'indexing' }), document: handbook, versions: [1, 2, 3] }]);

    const hits = await searchDocuments({ store }, { roomId: 'r1', text: 'warranty', k: 5 });

    expect(new Set(hits.map((h) => h.version))).toEqual(new Set([2]));
    expect(store.reads).toEqual(['d1@2']);
  });

  it('reads no chunk of a document never indexed or being deleted', async () => {
    const store = await roomWith([
      { record: ready('d1', 'Handbook', { status: 'deleting' }), document: handbook },
      { record: { documentId: 'd2', name: 'New', status: 'uploaded' }, document: handbook },
    ]);

    expect(await searchDocuments({ store }, { roomId: 'r1', text: 'warranty', k: 5 })).toEqual([]);
    expect(store.reads).toEqual([]);
  });

  it('names a hit by the document’s current name', async () => {
    const store = await roomWith([{ record: ready('d1', 'Handbook'), document: handbook }]);
    store.putRecord('r1', ready('d1', 'Handbook 2027'));

    const hits = await searchDocuments({ store }, { roomId: 'r1', text: 'warranty', k: 1 });

    expect(hits[0]?.name).toBe('Handbook 2027');
  });

  it('fuses lexical and vector rankings, comparing only vectors of the same embedder', async () => {
    const store = await roomWith([{ record: ready('d1', 'Handbook'), document: handbook }]);
    const other = { model: 'bedrock:amazon.titan-embed-text-v2:0', embedder: new CountingEmbedder(new LexicalEmbedder()) };

    const fused = await searchDocuments({ store, embedding: embedding() }, { roomId: 'r1', text: 'warranty parts', k: 3 });
    const mismatched = await searchDocuments({ store, embedding: other }, { roomId: 'r1', text: 'warranty parts', k: 3 });
    const lexical = await searchDocuments({ store }, { roomId: 'r1', text: 'warranty parts', k: 3 });

    // With vectors from another embedder, only the lexical ranking counts: the same order as lexical alone.
    expect(mismatched.map((h) => h.chunk)).toEqual(lexical.map((h) => h.chunk));
    // Fused scores are reciprocal-rank sums, at most 2 / 60.
    expect(fused[0]?.score).toBeLessThanOrEqual(2 / 60 + 1e-4);
    expect(fused[0]?.chunk).toBe(0);
  });

  it('returns at most MAX_HITS and nothing for a query without words or k of zero', async () => {
    const many: ParsedDocument = { sections: Array.from({ length: 30 }, (_, i) => ({ path: [`S${i}`], paragraphs: [`warranty clause ${i}`] })) };
    const store = await roomWith([{ record: ready('d1', 'Handbook'), document: many }]);

    expect(await searchDocuments({ store }, { roomId: 'r1', text: 'warranty', k: 100 })).toHaveLength(MAX_HITS);
    expect(await searchDocuments({ store }, { roomId: 'r1', text: 'the of and', k: 5 })).toEqual([]);
    expect(await searchDocuments({ store, embedding: embedding() }, { roomId: 'r1', text: '   ', k: 5 })).toEqual([]);
    expect(await searchDocuments({ store }, { roomId: 'r1', text: 'warranty', k: 0 })).toEqual([]);
  });

  it('finds nothing in another room', async () => {
    const store = await roomWith([{ record: ready('d1', 'Handbook'), document: handbook }]);

    expect(await searchDocuments({ store }, { roomId: 'r2', text: 'warranty', k: 5 })).toEqual([]);
  });
});
