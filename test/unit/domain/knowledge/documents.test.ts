import { describe, expect, it } from 'vitest';
import {
  assertDocumentSize,
  boundedReason,
  documentName,
  documentObjectKey,
  documentStatusFrame,
  ingestionDecision,
  MAX_DOCUMENT_BYTES,
  MAX_REASON_LENGTH,
  parseDocumentObjectKey,
  viewOf,
  type RoomDocument,
} from '../../../../lambdas/domain/knowledge/documents';
import { documentRequestSchemas } from '../../../../lambdas/domain/knowledge/protocol';
import { ACTION_ADMISSION } from '../../../../lambdas/domain/protocol';

const doc: RoomDocument = {
  roomId: 'r1',
  documentId: '01JD2Z8Q4M3V9X0K7F2B6C1N8R',
  name: 'Handbook.pdf',
  contentType: 'application/pdf',
  size: 1000,
  version: 2,
  status: 'failed',
  reason: 'encrypted',
  indexedVersion: 1,
  chunks: 40,
  uploadedBy: 'u-alice',
  uploadedAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('documents', () => {
  it('names a version’s object under its room and document, and reads the key back', () => {
    const key = documentObjectKey('r1', doc.documentId, 12);

    expect(key).toBe(`rooms/r1/documents/${doc.documentId}/v12`);
    expect(parseDocumentObjectKey(key)).toEqual({ roomId: 'r1', documentId: doc.documentId, version: 12 });
  });

  it.each(['rooms/r1/documents/d/v0', 'rooms/r1/documents/d/v1/extra', 'archive/r1/x', 'rooms/r1/documents/d/vx', 'rooms//documents/d/v1'])(
    'reads no document version from %s',
    (key) => {
      expect(parseDocumentObjectKey(key)).toBeUndefined();
    },
  );

  it('accepts a trimmed visible name and refuses blank, broken or overlong ones', () => {
    expect(documentName('  Returns policy.md ')).toBe('Returns policy.md');
    expect(documentName('Ünïcødé 📄.txt')).toBe('Ünïcødé 📄.txt');
    for (const bad of ['', '   ', '\u200b', 'a\ud800', 'tab\tname', 'x'.repeat(201)]) {
      expect(() => documentName(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    }
  });

  it('bounds a document’s size to 1 byte … 20 MB', () => {
    expect(() => assertDocumentSize(1)).not.toThrow();
    expect(() => assertDocumentSize(MAX_DOCUMENT_BYTES)).not.toThrow();
    expect(() => assertDocumentSize(0)).toThrow('at least one byte');
    expect(() => assertDocumentSize(MAX_DOCUMENT_BYTES + 1)).toThrow('at most');
  });

  it('indexes the current version once, and skips older, deleted, indexed or failed ones', () => {
    const ref = { roomId: 'r1', documentId: doc.documentId, version: 2 };
    expect(ingestionDecision({ ...doc, status: 'pending' }, ref)).toEqual({ index: true });
    expect(ingestionDecision({ ...doc, status: 'indexing' }, ref)).toEqual({ index: true });
    expect(ingestionDecision(undefined, ref)).toMatchObject({ index: false });
    expect(ingestionDecision({ ...doc, status: 'pending' }, { ...ref, version: 1 })).toEqual({ index: false, why: 'not the current version' });
    expect(ingestionDecision({ ...doc, status: 'ready', indexedVersion: 2 }, ref)).toEqual({ index: false, why: 'already indexed' });
    expect(ingestionDecision(doc, ref)).toEqual({ index: false, why: 'already failed' });
  });

  it('shows a failure’s reason to moderators only', () => {
    expect(viewOf(doc, true)).toMatchObject({ reason: 'encrypted' });
    expect(viewOf(doc, false)).not.toHaveProperty('reason');
    expect(viewOf(doc, true)).not.toHaveProperty('roomId');
  });

  it('keeps a reason to one bounded line', () => {
    expect(boundedReason(' two\nlines ')).toBe('two lines');
    expect([...boundedReason('x'.repeat(1000))]).toHaveLength(MAX_REASON_LENGTH);
  });

  it('gives chunks on a ready status frame only', () => {
    expect(documentStatusFrame(doc)).toEqual({
      type: 'documentStatus',
      roomId: 'r1',
      documentId: doc.documentId,
      name: 'Handbook.pdf',
      version: 2,
      status: 'failed',
      reason: 'encrypted',
    });
    expect(documentStatusFrame({ ...doc, status: 'ready', reason: undefined as never })).toMatchObject({ chunks: 40 });
  });

  it('classes uploads and deletions as changes and the listing as a read', () => {
    expect(ACTION_ADMISSION.requestDocumentUpload).toBe('change');
    expect(ACTION_ADMISSION.deleteDocument).toBe('change');
    expect(ACTION_ADMISSION.listDocuments).toBe('read');
  });

  it('refuses a malformed document id at the edge', () => {
    expect(documentRequestSchemas.deleteDocument.safeParse({ roomId: 'r1', documentId: 'not-an-id' }).success).toBe(false);
    expect(documentRequestSchemas.requestDocumentUpload.safeParse({ roomId: 'r1', name: 'a', contentType: 'text/plain', size: 1.5 }).success).toBe(false);
  });
});
