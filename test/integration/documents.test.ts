import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';

interface Upload {
  readonly document: { documentId: string; version: number; status: string; name: string };
  readonly upload: { url: string; fields: Record<string, string>; maxBytes: number };
}

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const STATUS_WAIT_MS = 60_000;

/**
 * Room documents through the local runtime: an owner asks for an upload
 * over the socket, posts the file to the presigned URL as a browser would,
 * the bucket's notification (sent by the runtime from the template, as S3
 * would) reaches the ingestion function through its queue, and each status
 * comes back to the room's owners and moderators as a frame.
 */
describe('room documents on the local runtime', () => {
  let parley: LocalParleyProcess;
  let s3: S3Client;
  let alice: TestClient;
  let bob: TestClient;
  let roomId: string;

  const statusesOf = (client: TestClient, documentId: string) =>
    client.frames.filter((f) => f.type === 'documentStatus' && f['documentId'] === documentId);
  const settled = (documentId: string, version: number) => (f: Frame) =>
    f.type === 'documentStatus' &&
    f['documentId'] === documentId &&
    f['version'] === version &&
    (f['status'] === 'ready' || f['status'] === 'failed');

  /** Posts a file to a presigned POST the way a browser form does: the policy's fields, then the file. */
  const post = async (upload: Upload['upload'], bytes: Uint8Array<ArrayBuffer>, type: string): Promise<number> => {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type }), 'upload');
    const response = await fetch(upload.url, { method: 'POST', body: form });
    await response.arrayBuffer();
    return response.status;
  };

  const objectsUnder = async (prefix: string) =>
    (await s3.send(new ListObjectsV2Command({ Bucket: new URL(uploadUrl).pathname.slice(1), Prefix: prefix }))).Contents ?? [];
  let uploadUrl = '';

  beforeAll(async () => {
    // A changed app is synthesized and bundled first; on a busy machine that alone may take minutes.
    parley = await startLocalParley({ startTimeoutMs: 400_000 });
    s3 = new S3Client({ endpoint: parley.sqsEndpoint, region: parley.region, credentials: CREDENTIALS, forcePathStyle: true });
    alice = await parley.connect('alice');
    bob = await parley.connect('bob');
    ({ room: { roomId } } = await alice.ok<{ room: { roomId: string } }>('createRoom', { name: 'handbook' }));
    await bob.ok('joinRoom', { roomId });
  }, 420_000);

  afterAll(async () => {
    s3?.destroy();
    await parley?.stop();
  });

  it('uploads a document through its presigned POST and reports each status to the room’s managers', async () => {
    const text = new TextEncoder().encode('# Returns\n\nItems may be returned within 30 days.\n');
    const granted = await alice.ok<Upload>('requestDocumentUpload', {
      roomId,
      name: 'Returns policy.md',
      contentType: 'text/markdown',
      size: text.byteLength,
    });
    expect(granted.document).toMatchObject({ name: 'Returns policy.md', version: 1, status: 'pending' });
    uploadUrl = granted.upload.url;
    expect(new URL(granted.upload.url).hostname).toBe('127.0.0.1');

    expect(await post(granted.upload, text, 'text/markdown')).toBeLessThan(300);

    const { documentId } = granted.document;
    const last = await alice.waitFor(settled(documentId, 1), STATUS_WAIT_MS);
    const statuses = statusesOf(alice, documentId).map((f) => f['status']);
    expect(statuses).toEqual(['pending', 'uploaded', 'indexing', 'ready']);
    expect(last['chunks']).toBeGreaterThan(0);
    // A member hears nothing of documents' statuses.
    expect(statusesOf(bob, documentId)).toEqual([]);

    const forAlice = await alice.ok<{ documents: Array<Record<string, unknown>> }>('listDocuments', { roomId });
    expect(forAlice.documents).toEqual([
      expect.objectContaining({ documentId, name: 'Returns policy.md', version: 1, status: last['status'], size: text.byteLength }),
    ]);
    // Members see names and statuses; a failure's reason is for owners and moderators.
    const forBob = await bob.ok<{ documents: Array<Record<string, unknown>> }>('listDocuments', { roomId });
    expect(forBob.documents).toEqual([expect.objectContaining({ documentId, status: last['status'] })]);
    expect(forBob.documents[0]).not.toHaveProperty('reason');
  });

  it('replaces a document with its next version, then deletes it with its objects', async () => {
    const first = await alice.ok<Upload>('requestDocumentUpload', { roomId, name: 'FAQ.txt', contentType: 'text/plain', size: 5 });
    const { documentId } = first.document;
    await post(first.upload, new TextEncoder().encode('hello'), 'text/plain');
    await alice.waitFor(settled(documentId, 1), STATUS_WAIT_MS);

    const second = await alice.ok<Upload>('requestDocumentUpload', {
      roomId,
      documentId,
      name: 'FAQ v2.txt',
      contentType: 'text/plain',
      size: 6,
    });
    expect(second.document).toMatchObject({ documentId, version: 2, status: 'pending', name: 'FAQ v2.txt' });
    await post(second.upload, new TextEncoder().encode('hello!'), 'text/plain');
    await alice.waitFor(settled(documentId, 2), STATUS_WAIT_MS);
    expect(await objectsUnder(`rooms/${roomId}/documents/${documentId}/`)).toHaveLength(2);

    const deleted = await alice.ok<{ objects: number }>('deleteDocument', { roomId, documentId });
    expect(deleted.objects).toBe(2);
    await alice.waitFor((f) => f.type === 'documentDeleted' && f['documentId'] === documentId);
    expect(await objectsUnder(`rooms/${roomId}/documents/${documentId}/`)).toEqual([]);
    const listed = await alice.ok<{ documents: Array<{ documentId: string }> }>('listDocuments', { roomId });
    expect(listed.documents.map((d) => d.documentId)).not.toContain(documentId);
  });

  it('refuses bad uploads with a clear error and changes nothing', async () => {
    const before = await alice.ok<{ documents: unknown[] }>('listDocuments', { roomId });
    const refusal = async (client: TestClient, payload: Record<string, unknown>) => {
      const frame = await client.request('requestDocumentUpload', { roomId, name: 'x.pdf', contentType: 'application/pdf', size: 10, ...payload });
      expect(frame.type).toBe('error');
      return { code: frame['code'], message: String(frame['message']) };
    };

    expect(await refusal(alice, { contentType: 'application/zip' })).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('application/pdf') });
    expect(await refusal(alice, { size: 21 * 1024 * 1024 })).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('at most') });
    expect(await refusal(alice, { name: '   ' })).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await refusal(alice, { name: 'bad\ud800name' })).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await refusal(bob, {})).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('moderators') });
    expect(await refusal(alice, { roomId: 'no-such-room' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(alice, { agentId: 'nobody' })).toMatchObject({ code: 'NOT_FOUND' });
    const wrongDelete = await bob.request('deleteDocument', { roomId, documentId: '01JD2Z8Q4M3V9X0K7F2B6C1N8R' });
    expect(wrongDelete).toMatchObject({ type: 'error', code: 'FORBIDDEN' });

    expect(await alice.ok<{ documents: unknown[] }>('listDocuments', { roomId })).toEqual(before);
  });
});
