import type { ChunkStore, DocumentRecordView, StoredChunk } from '../../../lambdas/domain/knowledge/ports';
import type { Embedder } from '../../../lambdas/domain/memory/ports';

/** The knowledge table's DOC# records and CHUNK# items, in memory, with the calls made to it. */
export class InMemoryChunkStore implements ChunkStore {
  /** roomId → documentId → record. */
  readonly records = new Map<string, Map<string, DocumentRecordView>>();
  /** `${roomId}|${documentId}|${version}|${chunk}` → chunk. */
  readonly chunks = new Map<string, StoredChunk>();
  readonly reads: string[] = [];

  private key = (roomId: string, c: Pick<StoredChunk, 'documentId' | 'version' | 'chunk'>) =>
    `${roomId}|${c.documentId}|${c.version}|${c.chunk}`;

  /** Sets a document's record, as the documents feature would. */
  putRecord(roomId: string, record: DocumentRecordView): void {
    const room = this.records.get(roomId) ?? new Map<string, DocumentRecordView>();
    room.set(record.documentId, record);
    this.records.set(roomId, room);
  }

  chunksIn(roomId: string, documentId?: string): StoredChunk[] {
    return [...this.chunks]
      .filter(([k, c]) => k.startsWith(`${roomId}|`) && (documentId === undefined || c.documentId === documentId))
      .map(([, c]) => c);
  }

  async writeVersion(roomId: string, documentId: string, version: number, chunks: readonly StoredChunk[]) {
    for (const c of chunks) this.chunks.set(this.key(roomId, c), c);
    let deleted = 0;
    for (const [k, c] of this.chunks) {
      if (k.startsWith(`${roomId}|`) && c.documentId === documentId && c.version === version && c.chunk >= chunks.length) {
        this.chunks.delete(k);
        deleted += 1;
      }
    }
    return { written: chunks.length, deleted };
  }

  async removeChunks(roomId: string, documentId: string, keepVersion?: number): Promise<number> {
    let removed = 0;
    for (const [k, c] of this.chunks) {
      if (k.startsWith(`${roomId}|`) && c.documentId === documentId && c.version !== keepVersion) {
        this.chunks.delete(k);
        removed += 1;
      }
    }
    return removed;
  }

  async documentsOf(roomId: string): Promise<DocumentRecordView[]> {
    return [...(this.records.get(roomId)?.values() ?? [])];
  }

  async chunksOf(roomId: string, documentId: string, version: number): Promise<StoredChunk[]> {
    this.reads.push(`${documentId}@${version}`);
    return this.chunksIn(roomId, documentId)
      .filter((c) => c.version === version)
      .sort((a, b) => a.chunk - b.chunk);
  }
}

/** An embedder that counts its calls and can be told to fail. */
export class CountingEmbedder implements Embedder {
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  failWith: Error | undefined;

  constructor(private readonly inner: Embedder) {}

  async embed(text: string): Promise<number[]> {
    this.calls += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await Promise.resolve();
      if (this.failWith) throw this.failWith;
      return await this.inner.embed(text);
    } finally {
      this.inFlight -= 1;
    }
  }
}
