import { describe, expect, it } from 'vitest';
import { LexicalEmbedder } from '../../../../lambdas/adapters/knowledge/lexical-embedder';
import type { ParsedDocument } from '../../../../lambdas/domain/knowledge/chunking';
import { DocumentUnreadableError, type DocumentSource } from '../../../../lambdas/domain/knowledge/indexing';
import type { DocumentParser } from '../../../../lambdas/domain/knowledge/ports';
import { ChunkIndexer, indexDocument } from '../../../../lambdas/use-cases/knowledge/index-document';
import { CountingEmbedder, InMemoryChunkStore } from '../../../support/fakes/knowledge';

const paragraph = (n: number) => `Paragraph ${n}: ${'the warranty covers parts and labour for two whole years '.repeat(4)}`;

/** A parser that returns the document it is given, whatever the bytes. */
const parserOf = (document: ParsedDocument): DocumentParser => ({ parse: async () => document });

const source = (overrides: Partial<DocumentSource> = {}): DocumentSource => ({
  roomId: 'r1',
  documentId: 'd1',
  version: 1,
  name: 'Handbook',
  contentType: 'text/markdown',
  bytes: new Uint8Array(),
  ...overrides,
});

const setup = (document: ParsedDocument) => {
  const store = new InMemoryChunkStore();
  const embedder = new CountingEmbedder(new LexicalEmbedder());
  const deps = { parser: parserOf(document), store, embedding: { model: 'lexical-hash-512', embedder }, embedConcurrency: 4 };
  return { store, embedder, deps };
};

const long: ParsedDocument = { sections: [{ path: ['Warranty'], paragraphs: Array.from({ length: 20 }, (_, i) => paragraph(i)) }] };

describe('indexDocument', () => {
  it('stores one chunk per passage with its section, terms, vector and the document’s name and agent', async () => {
    const { store, embedder, deps } = setup(long);

    const report = await indexDocument(deps, source({ agentId: 'a1' }));

    const chunks = store.chunksIn('r1', 'd1');
    expect(report).toMatchObject({ chunks: chunks.length, written: chunks.length, deleted: 0, embeddingCalls: chunks.length });
    expect(report.characters).toBeGreaterThan(4_000);
    expect(chunks.length).toBeGreaterThan(4);
    expect(embedder.calls).toBe(chunks.length);
    expect(chunks[0]).toMatchObject({ documentId: 'd1', version: 1, chunk: 0, name: 'Handbook', agentId: 'a1', section: 'Warranty', embeddedBy: 'lexical-hash-512' });
    expect(chunks[0]?.vector).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // The section's heading is indexed with the text.
    expect(chunks[0]?.terms.counts.get('warranti')).toBeGreaterThan(0);
  });

  it('embeds with a bounded number of calls in flight', async () => {
    const { embedder, deps } = setup(long);

    await indexDocument(deps, source());

    expect(embedder.maxInFlight).toBeLessThanOrEqual(4);
    expect(embedder.maxInFlight).toBeGreaterThan(1);
  });

  it('gives the same chunks when the same version is indexed again', async () => {
    const { store, deps } = setup(long);

    await indexDocument(deps, source());
    const first = store.chunksIn('r1');
    await indexDocument(deps, source());

    expect(store.chunksIn('r1')).toEqual(first);
  });

  it('removes chunks of the version numbered past a new, shorter indexing', async () => {
    const { store, deps } = setup(long);
    await indexDocument(deps, source());
    const shorter = { ...deps, parser: parserOf({ sections: [{ path: [], paragraphs: ['Only this.'] }] }) };

    const report = await indexDocument(shorter, source());

    expect(report.deleted).toBeGreaterThan(0);
    expect(store.chunksIn('r1').map((c) => c.text)).toEqual(['Only this.']);
  });

  it('writes nothing when embedding fails, so the queue retries a clean version', async () => {
    const { store, embedder, deps } = setup(long);
    embedder.failWith = new Error('throttled');

    await expect(indexDocument(deps, source())).rejects.toThrow('throttled');
    expect(store.chunksIn('r1')).toEqual([]);
  });

  it('refuses a document with no text as unreadable', async () => {
    const { deps } = setup({ sections: [{ path: ['Empty'], paragraphs: ['  '] }] });

    await expect(indexDocument(deps, source())).rejects.toThrow(DocumentUnreadableError);
  });

  it('stores chunks without vectors when no embedder is configured', async () => {
    const { store } = setup(long);

    await indexDocument({ parser: parserOf(long), store }, source());

    expect(store.chunksIn('r1').every((c) => c.vector === undefined && c.embeddedBy === undefined)).toBe(true);
  });

  it('keeps the page of a PDF chunk and reports the pages', async () => {
    const { store, deps } = setup({ pages: 2, sections: [{ path: [], page: 2, paragraphs: ['Page two text.'] }] });

    const report = await indexDocument(deps, source({ contentType: 'application/pdf' }));

    expect(report.pages).toBe(2);
    expect(store.chunksIn('r1')[0]).toMatchObject({ section: 'page 2', page: 2 });
  });
});

describe('ChunkIndexer.remove', () => {
  it('removes every version of a document, or every version but one', async () => {
    const { store, deps } = setup(long);
    const indexer = new ChunkIndexer(deps);
    await indexer.index(source({ version: 1 }));
    await indexer.index(source({ version: 2 }));
    await indexer.index(source({ documentId: 'd2' }));

    await indexer.remove('r1', 'd1', 2);
    expect(new Set(store.chunksIn('r1', 'd1').map((c) => c.version))).toEqual(new Set([2]));

    await indexer.remove('r1', 'd1');
    expect(store.chunksIn('r1', 'd1')).toEqual([]);
    expect(store.chunksIn('r1', 'd2').length).toBeGreaterThan(0);
  });
});
