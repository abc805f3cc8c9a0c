import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, PermissionError } from '../../../../lambdas/domain/errors';
import type { RoomDocument } from '../../../../lambdas/domain/knowledge/documents';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { joinRoom } from '../../../../lambdas/use-cases/join-room';
import { getDocumentPassage, type GetDocumentPassageDeps } from '../../../../lambdas/use-cases/knowledge/get-document-passage';
import { alice, bob, carol, fakeWorld } from '../../../support/fakes/chat';
import { FakeDocuments, FakePassages } from '../../../support/fakes/documents';

const DOC = '01JDOC0000000000000000000A';

describe('getDocumentPassage', () => {
  let world: ReturnType<typeof fakeWorld>;
  let documents: FakeDocuments;
  let passages: FakePassages;
  let deps: GetDocumentPassageDeps;
  let roomId: string;
  let otherRoomId: string;

  const document = (overrides: Partial<RoomDocument> = {}): RoomDocument => ({
    roomId,
    documentId: DOC,
    name: 'Handbook.md',
    contentType: 'text/markdown',
    size: 400,
    version: 2,
    status: 'ready',
    indexedVersion: 2,
    chunks: 3,
    uploadedBy: alice.userId,
    uploadedAt: '2026-12-06T10:00:00.000Z',
    updatedAt: '2026-12-06T10:00:00.000Z',
    ...overrides,
  });

  beforeEach(async () => {
    world = fakeWorld();
    documents = new FakeDocuments();
    passages = new FakePassages();
    deps = { rooms: world.rooms, documents, passages };
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Handbook', visibility: 'public' })).room.roomId;
    otherRoomId = (await createRoom(world.roomDeps, carol, { name: 'Elsewhere', visibility: 'public' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId });
    await documents.putPending(document());
    passages.put(roomId, { documentId: DOC, version: 2, chunk: 1, section: 'Warranty › Returns', text: 'Returns are free within 30 days.' });
  });

  const ask = (who = bob, overrides: Partial<Parameters<typeof getDocumentPassage>[2]> = {}) =>
    getDocumentPassage(deps, who, { roomId, documentId: DOC, version: 2, chunk: 1, ...overrides });

  it('returns the passage, its section and the document’s name to a member', async () => {
    const passage = await ask();

    expect(passage).toEqual({
      roomId,
      documentId: DOC,
      version: 2,
      chunk: 1,
      name: 'Handbook.md',
      section: 'Warranty › Returns',
      text: 'Returns are free within 30 days.',
    });
  });

  it('carries the page of a PDF’s passage', async () => {
    passages.put(roomId, { documentId: DOC, version: 2, chunk: 2, section: 'page 4', page: 4, text: 'Press the red button.' });

    expect(await ask(bob, { chunk: 2 })).toMatchObject({ section: 'page 4', page: 4 });
  });

  it('refuses a non-member before reading anything of the document', async () => {
    await expect(ask(carol)).rejects.toBeInstanceOf(PermissionError);
    expect(passages.reads).toEqual([]);
  });

  it('finds nothing of a document asked for through another room, even for a member of both', async () => {
    await joinRoom(world.roomDeps, bob, { roomId: otherRoomId });

    await expect(ask(bob, { roomId: otherRoomId })).rejects.toBeInstanceOf(NotFoundError);
    expect(passages.reads).toEqual([]);
  });

  it('finds nothing of a deleted document, though its chunks may not be removed yet', async () => {
    await documents.deleteDocument(roomId, DOC);

    await expect(ask()).rejects.toThrow(/no longer available/);
    expect(passages.reads).toEqual([]);
  });

  it('finds nothing of a superseded version, though its chunks may not be removed yet', async () => {
    passages.put(roomId, { documentId: DOC, version: 1, chunk: 1, section: 'Old', text: 'Returns cost money.' });

    await expect(ask(bob, { version: 1 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('finds nothing of a chunk past the version’s end', async () => {
    await expect(ask(bob, { chunk: 99 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('opens the previous indexed version while its replacement is indexing', async () => {
    await documents.putPending(document({ version: 3, status: 'indexing', indexedVersion: 2 }), 2);

    expect(await ask()).toMatchObject({ version: 2, text: 'Returns are free within 30 days.' });
  });
});
