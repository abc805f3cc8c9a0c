import { ConflictError } from '../../../lambdas/domain/errors';
import type {
  DocumentRepository,
  DocumentStatusChange,
  DocumentStore,
  StoredObject,
  UploadForm,
} from '../../../lambdas/domain/knowledge/document-ports';
import type { RoomDocument } from '../../../lambdas/domain/knowledge/documents';
import type { DocumentIndexer, DocumentPassage, DocumentPassages, DocumentSource, IndexedDocument, KnowledgeContentType } from '../../../lambdas/domain/knowledge/indexing';

/** Documents' records by room and id, with the repository's conditional writes. */
export class FakeDocuments implements DocumentRepository {
  readonly items = new Map<string, RoomDocument>();
  private key = (roomId: string, documentId: string) => `${roomId}|${documentId}`;

  async getDocument(roomId: string, documentId: string) {
    return this.items.get(this.key(roomId, documentId));
  }
  async listDocuments(roomId: string) {
    return [...this.items.values()].filter((d) => d.roomId === roomId).sort((a, b) => a.documentId.localeCompare(b.documentId));
  }
  async putPending(document: RoomDocument, previousVersion?: number) {
    const existing = this.items.get(this.key(document.roomId, document.documentId));
    if (previousVersion === undefined ? existing !== undefined : existing?.version !== previousVersion) {
      throw new ConflictError('condition failed');
    }
    this.items.set(this.key(document.roomId, document.documentId), document);
  }
  async setStatus(roomId: string, documentId: string, version: number, change: DocumentStatusChange) {
    const existing = this.items.get(this.key(roomId, documentId));
    if (existing?.version !== version) return undefined;
    const { reason: _reason, ...rest } = existing;
    const updated: RoomDocument = {
      ...rest,
      status: change.status,
      updatedAt: change.updatedAt,
      ...(change.reason !== undefined ? { reason: change.reason } : {}),
      ...(change.size !== undefined ? { size: change.size } : {}),
      ...(change.indexed !== undefined
        ? { indexedVersion: version, chunks: change.indexed.chunks, ...(change.indexed.pages !== undefined ? { pages: change.indexed.pages } : {}) }
        : {}),
    };
    this.items.set(this.key(roomId, documentId), updated);
    return updated;
  }
  async deleteDocument(roomId: string, documentId: string) {
    this.items.delete(this.key(roomId, documentId));
  }
}

/** The documents bucket: objects by key; uploadForm records what it granted. */
export class FakeDocumentStore implements DocumentStore {
  readonly objects = new Map<string, { bytes: Uint8Array; contentType: string }>();
  readonly granted: Array<{ key: string; contentType: KnowledgeContentType; maxBytes: number; expiresInSeconds: number }> = [];

  async uploadForm(key: string, contentType: KnowledgeContentType, maxBytes: number, expiresInSeconds: number): Promise<UploadForm> {
    this.granted.push({ key, contentType, maxBytes, expiresInSeconds });
    return { url: 'https://bucket.example/', fields: { key, 'Content-Type': contentType, Policy: 'p' } };
  }
  async describe(key: string): Promise<StoredObject | undefined> {
    const object = this.objects.get(key);
    return object ? { size: object.bytes.byteLength, contentType: object.contentType } : undefined;
  }
  async read(key: string) {
    const object = this.objects.get(key);
    if (!object) throw new Error('NoSuchKey');
    return object.bytes;
  }
  async deleteUnder(prefix: string) {
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix));
    for (const key of keys) this.objects.delete(key);
    return keys.length;
  }
  put(key: string, text: string, contentType: string) {
    this.objects.set(key, { bytes: new TextEncoder().encode(text), contentType });
  }
}

/** The index's port: what it was asked to index and remove; `next` decides each index call's outcome. */
export class FakeIndexer implements DocumentIndexer {
  readonly indexed: DocumentSource[] = [];
  readonly removed: Array<{ roomId: string; documentId: string; keepVersion?: number }> = [];
  next: (source: DocumentSource) => Promise<IndexedDocument> = async () => ({ chunks: 3, characters: 900 });

  async index(source: DocumentSource) {
    this.indexed.push(source);
    return this.next(source);
  }
  async remove(roomId: string, documentId: string, keepVersion?: number) {
    this.removed.push({ roomId, documentId, ...(keepVersion !== undefined ? { keepVersion } : {}) });
  }
}

/** The index's passages: chunks put here by (roomId, documentId, version, chunk); `remove` drops a document's. */
export class FakePassages implements DocumentPassages {
  private readonly chunks = new Map<string, DocumentPassage>();
  readonly reads: string[] = [];

  private static key(roomId: string, documentId: string, version: number, chunk: number) {
    return `${roomId}|${documentId}|${version}|${chunk}`;
  }
  put(roomId: string, passage: DocumentPassage) {
    this.chunks.set(FakePassages.key(roomId, passage.documentId, passage.version, passage.chunk), passage);
  }
  remove(roomId: string, documentId: string) {
    for (const key of [...this.chunks.keys()]) if (key.startsWith(`${roomId}|${documentId}|`)) this.chunks.delete(key);
  }
  async passage(roomId: string, documentId: string, version: number, chunk: number) {
    const key = FakePassages.key(roomId, documentId, version, chunk);
    this.reads.push(key);
    return this.chunks.get(key);
  }
}
