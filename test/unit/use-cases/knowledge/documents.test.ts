import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../lambdas/domain/errors';
import { documentObjectKey, MAX_DOCUMENT_BYTES, MAX_DOCUMENTS_PER_ROOM } from '../../../../lambdas/domain/knowledge/documents';
import { DocumentUnreadableError } from '../../../../lambdas/domain/knowledge/indexing';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { joinRoom } from '../../../../lambdas/use-cases/join-room';
import { deleteDocument } from '../../../../lambdas/use-cases/knowledge/delete-document';
import type { DocumentActionDeps } from '../../../../lambdas/use-cases/knowledge/document-deps';
import { ingestDocument, type IngestDocumentDeps } from '../../../../lambdas/use-cases/knowledge/ingest-document';
import { listDocuments } from '../../../../lambdas/use-cases/knowledge/list-documents';
import { removeRoomDocuments } from '../../../../lambdas/use-cases/knowledge/remove-room-documents';
import { requestDocumentUpload } from '../../../../lambdas/use-cases/knowledge/request-document-upload';
import { setRole } from '../../../../lambdas/use-cases/set-role';
import { FakeAgents } from '../../../support/fakes/agents';
import { alice, bob, carol, fakeWorld } from '../../../support/fakes/chat';
import { FakeDocuments, FakeDocumentStore, FakeIndexer, FakePassages } from '../../../support/fakes/documents';

describe('room documents', () => {
  let world: ReturnType<typeof fakeWorld>;
  let documents: FakeDocuments;
  let store: FakeDocumentStore;
  let indexer: FakeIndexer;
  let deps: DocumentActionDeps;
  let ingestDeps: IngestDocumentDeps;
  let roomId: string;

  beforeEach(async () => {
    world = fakeWorld();
    documents = new FakeDocuments();
    store = new FakeDocumentStore();
    indexer = new FakeIndexer();
    for (const [connectionId, who] of [['c-alice', alice], ['c-bob', bob], ['c-carol', carol]] as const) {
      await world.connections.saveConnection({ connectionId, ...who, connectedAt: '' }, []);
    }
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Handbook', visibility: 'public' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId });
    await joinRoom(world.roomDeps, carol, { roomId });
    await setRole(world.roomDeps, alice, { roomId, userId: carol.userId, role: 'moderator' });
    const base = { rooms: world.rooms, connections: world.connections, gateway: world.gateway, documents, store, clock: world.clock };
    deps = { ...base, agents: new FakeAgents(), audit: world.audit, nextId: world.nextId, uploadSeconds: 300, indexer, passages: new FakePassages() };
    ingestDeps = { ...base, indexer };
    world.gateway.posts.length = 0;
  });

  const upload = (payload: Partial<Parameters<typeof requestDocumentUpload>[2]> = {}, who = alice) =>
    requestDocumentUpload(deps, who, { roomId, name: 'Returns.md', contentType: 'text/markdown', size: 40, ...payload });
  const statusFrames = (connectionId: string) =>
    world.gateway.framesFor(connectionId).filter((f) => (f as { type: string }).type === 'documentStatus') as Array<Record<string, unknown>>;
  /** Puts the object of a granted upload in the bucket, as the browser's POST would. */
  const arrive = (document: { documentId: string; version: number }, text = 'hello', type = 'text/markdown') => {
    const key = documentObjectKey(roomId, document.documentId, document.version);
    store.put(key, text, type);
    return key;
  };

  describe('requestDocumentUpload', () => {
    it('writes the record pending, audits the grant and returns a presigned POST bounded to the type and size limit', async () => {
      const result = await upload();

      expect(result.document).toMatchObject({ name: 'Returns.md', contentType: 'text/markdown', version: 1, status: 'pending', uploadedBy: alice.userId });
      expect(await documents.getDocument(roomId, result.document.documentId)).toMatchObject({ status: 'pending', size: 40 });
      expect(store.granted).toEqual([
        { key: `rooms/${roomId}/documents/${result.document.documentId}/v1`, contentType: 'text/markdown', maxBytes: MAX_DOCUMENT_BYTES, expiresInSeconds: 300 },
      ]);
      expect(result.upload).toMatchObject({ url: 'https://bucket.example/', maxBytes: MAX_DOCUMENT_BYTES });
      expect(world.audit.entries.at(-1)).toMatchObject({ action: 'document.uploadRequested', target: { type: 'document', id: result.document.documentId } });
    });

    it('tells the room’s owner and moderators, and no other member', async () => {
      await upload();

      expect(statusFrames('c-alice')).toEqual([expect.objectContaining({ status: 'pending', name: 'Returns.md' })]);
      expect(statusFrames('c-carol')).toHaveLength(1);
      expect(statusFrames('c-bob')).toEqual([]);
    });

    it('starts the next version of a replaced document, keeping the indexed one searchable', async () => {
      const first = await upload();
      arrive(first.document);
      await ingestDocument(ingestDeps, { key: documentObjectKey(roomId, first.document.documentId, 1), lastAttempt: false });

      const second = await upload({ documentId: first.document.documentId, name: 'Returns v2.md' });

      expect(second.document).toMatchObject({ documentId: first.document.documentId, version: 2, status: 'pending', indexedVersion: 1, chunks: 3 });
      expect(store.granted.at(-1)?.key).toBe(`rooms/${roomId}/documents/${first.document.documentId}/v2`);
    });

    it.each([
      ['an unknown type', { contentType: 'application/zip' }, 'BAD_REQUEST'],
      ['an empty file', { size: 0 }, 'BAD_REQUEST'],
      ['a file over the limit', { size: MAX_DOCUMENT_BYTES + 1 }, 'BAD_REQUEST'],
      ['a blank name', { name: ' \u200b ' }, 'BAD_REQUEST'],
      ['a name with a lone surrogate', { name: 'a\ud800b' }, 'BAD_REQUEST'],
      ['a name with control characters', { name: 'a\u0007b' }, 'BAD_REQUEST'],
      ['an unknown agent', { agentId: 'ghost' }, 'NOT_FOUND'],
      ['an unknown document to replace', { documentId: '01JD2Z8Q4M3V9X0K7F2B6C1N8R' }, 'NOT_FOUND'],
      ['an unknown room', { roomId: 'nowhere' }, 'NOT_FOUND'],
    ])('refuses %s and changes nothing', async (_what, payload, code) => {
      await expect(upload(payload)).rejects.toMatchObject({ code });
      expect(documents.items.size).toBe(0);
      expect(store.granted).toEqual([]);
    });

    it('refuses a member who neither owns nor moderates the room', async () => {
      await expect(upload({}, bob)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(documents.items.size).toBe(0);
    });

    it('refuses a new document once the room holds the most it may', async () => {
      for (let i = 0; i < MAX_DOCUMENTS_PER_ROOM; i += 1) await upload();

      await expect(upload()).rejects.toBeInstanceOf(ConflictError);
      expect(documents.items.size).toBe(MAX_DOCUMENTS_PER_ROOM);
    });
  });

  describe('ingestDocument', () => {
    it('moves a version through uploaded and indexing to ready, told to the managers, and removes older versions’ chunks', async () => {
      const { document } = await upload();
      const key = arrive(document, 'hello there');
      world.gateway.posts.length = 0;

      const result = await ingestDocument(ingestDeps, { key, lastAttempt: false });

      expect(result).toMatchObject({ outcome: 'ready', document: { status: 'ready', indexedVersion: 1, chunks: 3, size: 11 } });
      expect(statusFrames('c-alice').map((f) => f['status'])).toEqual(['uploaded', 'indexing', 'ready']);
      expect(statusFrames('c-alice').at(-1)).toMatchObject({ chunks: 3 });
      expect(statusFrames('c-bob')).toEqual([]);
      expect(indexer.indexed[0]).toMatchObject({ roomId, documentId: document.documentId, version: 1, name: 'Returns.md', contentType: 'text/markdown' });
      expect(new TextDecoder().decode(indexer.indexed[0]!.bytes)).toBe('hello there');
      expect(indexer.removed).toEqual([{ roomId, documentId: document.documentId, keepVersion: 1 }]);
    });

    it('fails a version the index cannot read, with its reason, and does not retry it', async () => {
      const { document } = await upload();
      const key = arrive(document);
      indexer.next = async () => {
        throw new DocumentUnreadableError('the PDF is encrypted');
      };

      const result = await ingestDocument(ingestDeps, { key, lastAttempt: false });

      expect(result).toMatchObject({ outcome: 'failed', document: { status: 'failed', reason: 'the PDF is encrypted' } });
      expect(statusFrames('c-carol').at(-1)).toMatchObject({ status: 'failed', reason: 'the PDF is encrypted' });
      expect(await ingestDocument(ingestDeps, { key, lastAttempt: false })).toEqual({ outcome: 'skipped', why: 'already failed' });
    });

    it('throws a transient failure for the queue to retry, and marks the version failed on the last attempt', async () => {
      const { document } = await upload();
      const key = arrive(document);
      indexer.next = async () => {
        throw new Error('throttled');
      };

      await expect(ingestDocument(ingestDeps, { key, lastAttempt: false })).rejects.toThrow('throttled');
      expect(await documents.getDocument(roomId, document.documentId)).toMatchObject({ status: 'indexing' });
      await expect(ingestDocument(ingestDeps, { key, lastAttempt: true })).rejects.toThrow('throttled');
      expect(await documents.getDocument(roomId, document.documentId)).toMatchObject({ status: 'failed', reason: 'could not be indexed' });
      // The retry does not announce `indexing` again.
      expect(statusFrames('c-alice').map((f) => f['status'])).toEqual(['pending', 'uploaded', 'indexing', 'failed']);
    });

    it('fails an object stored with another type than the record’s, without indexing it', async () => {
      const { document } = await upload();
      const key = arrive(document, '<html>', 'text/html');

      const result = await ingestDocument(ingestDeps, { key, lastAttempt: false });

      expect(result).toMatchObject({ outcome: 'failed', document: { reason: 'the file was stored as text/html, not text/markdown' } });
      expect(indexer.indexed).toEqual([]);
    });

    it('skips an event delivered twice, an older version and a deleted document', async () => {
      const { document } = await upload();
      const key = arrive(document);
      await ingestDocument(ingestDeps, { key, lastAttempt: false });
      await upload({ documentId: document.documentId });

      expect(await ingestDocument(ingestDeps, { key, lastAttempt: false })).toEqual({ outcome: 'skipped', why: 'not the current version' });
      expect(await ingestDocument(ingestDeps, { key: 'rooms/x/other', lastAttempt: false })).toEqual({ outcome: 'skipped', why: 'not a document key' });
      await documents.deleteDocument(roomId, document.documentId);
      expect(await ingestDocument(ingestDeps, { key, lastAttempt: false })).toMatchObject({ outcome: 'skipped' });
      expect(indexer.indexed).toHaveLength(1);
    });

    it('removes the chunks of a document deleted while it was being indexed', async () => {
      const { document } = await upload();
      const key = arrive(document);
      indexer.next = async () => {
        await documents.deleteDocument(roomId, document.documentId);
        return { chunks: 2, characters: 10 };
      };

      expect(await ingestDocument(ingestDeps, { key, lastAttempt: false })).toMatchObject({ outcome: 'skipped' });
      expect(indexer.removed).toEqual([{ roomId, documentId: document.documentId }]);
    });
  });

  describe('listDocuments', () => {
    it('shows members names and statuses, and failure reasons to managers only', async () => {
      const { document } = await upload();
      arrive(document);
      indexer.next = async () => {
        throw new DocumentUnreadableError('no text');
      };
      await ingestDocument(ingestDeps, { key: documentObjectKey(roomId, document.documentId, 1), lastAttempt: false });

      const forBob = await listDocuments(deps, bob, { roomId });
      const forCarol = await listDocuments(deps, carol, { roomId });

      expect(forBob.documents).toEqual([expect.objectContaining({ name: 'Returns.md', status: 'failed' })]);
      expect(forBob.documents[0]).not.toHaveProperty('reason');
      expect(forCarol.documents[0]).toMatchObject({ reason: 'no text' });
      expect(forCarol).not.toHaveProperty('nextCursor');
    });

    it('pages a long list by bytes, going on after the cursor', async () => {
      const name = '📄'.repeat(200);
      for (let i = 0; i < MAX_DOCUMENTS_PER_ROOM; i += 1) await upload({ name });

      const pages = [await listDocuments(deps, alice, { roomId })];
      while (pages.at(-1)!.nextCursor !== undefined) pages.push(await listDocuments(deps, alice, { roomId, cursor: pages.at(-1)!.nextCursor }));

      expect(pages.length).toBeGreaterThan(1);
      for (const page of pages) expect(new TextEncoder().encode(JSON.stringify(page)).byteLength).toBeLessThan(100 * 1024);
      const ids = pages.flatMap((p) => p.documents.map((d) => d.documentId));
      expect(ids).toHaveLength(MAX_DOCUMENTS_PER_ROOM);
      expect(new Set(ids).size).toBe(MAX_DOCUMENTS_PER_ROOM);
    });

    it('refuses someone who is not a member', async () => {
      await expect(listDocuments(deps, { userId: 'u-dan', displayName: 'Dan' }, { roomId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  describe('deleteDocument', () => {
    it('removes every version’s object, the chunks and the record, audits it and tells the managers', async () => {
      const { document } = await upload();
      arrive(document);
      await upload({ documentId: document.documentId });
      arrive({ documentId: document.documentId, version: 2 });
      world.gateway.posts.length = 0;

      const result = await deleteDocument(deps, carol, { roomId, documentId: document.documentId });

      expect(result).toEqual({ roomId, documentId: document.documentId, objects: 2 });
      expect(store.objects.size).toBe(0);
      expect(indexer.removed).toEqual([{ roomId, documentId: document.documentId }]);
      expect(documents.items.size).toBe(0);
      expect(world.audit.entries.at(-1)).toMatchObject({ action: 'document.deleted', actor: { id: carol.userId } });
      expect(world.gateway.framesFor('c-alice')).toEqual([{ type: 'documentDeleted', roomId, documentId: document.documentId }]);
      expect(world.gateway.framesFor('c-bob')).toEqual([]);
    });

    it('refuses a member and an unknown document, changing nothing', async () => {
      const { document } = await upload();
      arrive(document);

      await expect(deleteDocument(deps, bob, { roomId, documentId: document.documentId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(deleteDocument(deps, alice, { roomId, documentId: '01JD2Z8Q4M3V9X0K7F2B6C1N8R' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(documents.items.size).toBe(1);
      expect(store.objects.size).toBe(1);
    });
  });

  describe('removeRoomDocuments', () => {
    it('removes a room’s objects, chunks and records, and leaves other rooms alone', async () => {
      const { document } = await upload();
      arrive(document);
      store.put('rooms/other/documents/D/v1', 'x', 'text/plain');

      expect(await removeRoomDocuments({ documents, store, indexer }, roomId)).toBe(1);

      expect([...store.objects.keys()]).toEqual(['rooms/other/documents/D/v1']);
      expect(indexer.removed).toEqual([{ roomId, documentId: document.documentId }]);
      expect(documents.items.size).toBe(0);
    });
  });
});
