import { describe, expect, it } from 'vitest';
import type { Transport } from '../../../web/src/client';
import { RequestError } from '../../../web/src/connection';
import {
  applyDocumentFrame,
  contentTypeOf,
  DocumentsClient,
  type DocumentView,
  type PostForm,
  uploadForm,
  uploadProblem,
} from '../../../web/src/documents';

function scripted(answers: Record<string, unknown>) {
  const asked: Array<{ action: string; payload?: Record<string, unknown> }> = [];
  const transport: Transport = {
    async request<T>(action: string, payload?: Record<string, unknown>): Promise<T> {
      asked.push({ action, ...(payload ? { payload } : {}) });
      const answer = answers[action];
      if (answer instanceof Error) throw answer;
      return (typeof answer === 'function' ? (answer as (p?: Record<string, unknown>) => unknown)(payload) : answer) as T;
    },
  };
  return { transport, asked };
}

const doc = (documentId: string, fields: Partial<DocumentView> = {}): DocumentView => ({
  documentId,
  name: `${documentId}.md`,
  contentType: 'text/markdown',
  size: 10,
  version: 1,
  status: 'pending',
  uploadedBy: 'u-ann',
  uploadedAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  ...fields,
});

const file = (name: string, text: string, type = '') => new File([text], name, { type });

describe('contentTypeOf', () => {
  it('takes the file’s own type when Parley accepts it, else tells the type from the extension', () => {
    expect(contentTypeOf({ name: 'a.txt', type: 'text/plain' })).toBe('text/plain');
    expect(contentTypeOf({ name: 'Notes.MD', type: '' })).toBe('text/markdown');
    expect(contentTypeOf({ name: 'page.htm', type: 'application/octet-stream' })).toBe('text/html');
    expect(contentTypeOf({ name: 'r.pdf', type: 'application/pdf' })).toBe('application/pdf');
  });

  it('has no type for other files', () => {
    expect(contentTypeOf({ name: 'setup.exe', type: 'application/x-msdownload' })).toBeUndefined();
    expect(contentTypeOf({ name: 'README', type: '' })).toBeUndefined();
  });
});

describe('uploadProblem', () => {
  it('refuses another type, an empty file and one over 20 MB before asking Parley', () => {
    expect(uploadProblem({ name: 'x.exe', type: '', size: 3 })).toMatch(/\.txt, \.md, \.html or \.pdf/);
    expect(uploadProblem({ name: 'x.md', type: '', size: 0 })).toBe('The file is empty.');
    expect(uploadProblem({ name: 'x.pdf', type: '', size: 20 * 1024 * 1024 + 1 })).toMatch(/20 MB/);
    expect(uploadProblem({ name: 'x.pdf', type: '', size: 20 * 1024 * 1024 })).toBeUndefined();
  });
});

describe('applyDocumentFrame', () => {
  it('changes a listed document’s status, version and passages, and marks the ready version as indexed', () => {
    const list = [doc('d1', { status: 'failed', reason: 'bad' }), doc('d2')];

    const next = applyDocumentFrame(list, { type: 'documentStatus', roomId: 'r1', documentId: 'd1', name: 'd1.md', version: 2, status: 'ready', chunks: 4 });

    expect(next?.[0]).toMatchObject({ version: 2, status: 'ready', chunks: 4, indexedVersion: 2 });
    expect(next?.[0]).not.toHaveProperty('reason');
    expect(next?.[1]).toBe(list[1]);
  });

  it('removes a deleted document', () => {
    expect(applyDocumentFrame([doc('d1'), doc('d2')], { type: 'documentDeleted', roomId: 'r1', documentId: 'd1' })?.map((d) => d.documentId)).toEqual(['d2']);
  });

  it('answers undefined for a document the list does not hold, so the list is read again', () => {
    expect(applyDocumentFrame([doc('d1')], { type: 'documentStatus', roomId: 'r1', documentId: 'd9', name: 'n', version: 1, status: 'pending' })).toBeUndefined();
  });
});

describe('uploadForm', () => {
  it('puts every granted field first and the file last, as S3 wants', () => {
    const form = uploadForm({ key: 'rooms/r1/documents/d1/v1', Policy: 'p', 'X-Amz-Signature': 's' }, new Blob(['# Hi']), 'Hi.md');

    expect([...form.keys()]).toEqual(['key', 'Policy', 'X-Amz-Signature', 'file']);
    expect((form.get('file') as File).name).toBe('Hi.md');
  });
});

describe('DocumentsClient', () => {
  const grant = { document: doc('d1'), upload: { url: 'https://docs.s3.eu-west-1.amazonaws.com/', fields: { key: 'rooms/r1/documents/d1/v1' }, expiresAt: '', maxBytes: 1 } };

  it('asks for an upload with the file’s name, type and size, then posts the form to the granted url', async () => {
    const { transport, asked } = scripted({ requestDocumentUpload: grant });
    const posted: Array<{ url: string; form: FormData }> = [];
    const post: PostForm = async (url, form) => {
      posted.push({ url, form });
      return { ok: true, status: 204 };
    };

    const answer = await new DocumentsClient(transport, post).upload('r1', file('Notes.md', '# Notes'), { documentId: 'd1', agentId: 'helper-bot' });

    expect(answer).toEqual({ ok: true, value: grant.document });
    expect(asked).toEqual([
      { action: 'requestDocumentUpload', payload: { roomId: 'r1', name: 'Notes.md', contentType: 'text/markdown', size: 7, documentId: 'd1', agentId: 'helper-bot' } },
    ]);
    expect(posted[0]?.url).toBe(grant.upload.url);
    expect(posted[0]?.form.get('key')).toBe('rooms/r1/documents/d1/v1');
  });

  it('asks nothing for a file Parley would refuse', async () => {
    const { transport, asked } = scripted({});

    const answer = await new DocumentsClient(transport, async () => ({ ok: true, status: 204 })).upload('r1', file('tool.exe', 'MZ'));

    expect(answer.ok).toBe(false);
    expect(asked).toEqual([]);
  });

  it('answers Parley’s refusal, and the storage’s', async () => {
    const refused = scripted({ requestDocumentUpload: new RequestError('FORBIDDEN', 'Only the room owner and moderators can manage documents.') });
    const stored = scripted({ requestDocumentUpload: grant });

    const byParley = await new DocumentsClient(refused.transport, async () => ({ ok: true, status: 204 })).upload('r1', file('a.txt', 'a'));
    const byStorage = await new DocumentsClient(stored.transport, async () => ({ ok: false, status: 403 })).upload('r1', file('a.txt', 'a'));

    expect(byParley).toEqual({ ok: false, error: 'Only the room owner and moderators can manage documents.' });
    expect(byStorage).toEqual({ ok: false, error: expect.stringContaining('HTTP 403') });
  });

  it('lists every page of the room’s documents', async () => {
    const { transport, asked } = scripted({
      listDocuments: (payload?: Record<string, unknown>) =>
        payload?.['cursor'] === undefined ? { roomId: 'r1', documents: [doc('d1')], nextCursor: 'c1' } : { roomId: 'r1', documents: [doc('d2')] },
    });

    const answer = await new DocumentsClient(transport).list('r1');

    expect(answer.ok && answer.value.map((d) => d.documentId)).toEqual(['d1', 'd2']);
    expect(asked.map((a) => a.payload)).toEqual([{ roomId: 'r1' }, { roomId: 'r1', cursor: 'c1' }]);
  });

  it('deletes a document', async () => {
    const { transport, asked } = scripted({ deleteDocument: { roomId: 'r1', documentId: 'd1', objects: 1 } });

    expect(await new DocumentsClient(transport).remove('r1', 'd1')).toEqual({ ok: true, value: undefined });
    expect(asked).toEqual([{ action: 'deleteDocument', payload: { roomId: 'r1', documentId: 'd1' } }]);
  });
});
