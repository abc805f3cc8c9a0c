import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';
import { until } from '../support/wait';

interface Upload {
  readonly document: { documentId: string; version: number };
  readonly upload: { url: string; fields: Record<string, string> };
}

interface Citation {
  readonly n: number;
  readonly documentId: string;
  readonly version: number;
  readonly chunk: number;
  readonly name: string;
  readonly section: string;
}

const WAIT_MS = 60_000;

/**
 * Replies that cite documents, through Parley's front door: an owner
 * uploads a Markdown document through its presigned POST, an agent given
 * `search_documents` is asked to search it (the offline model calls the
 * tool and cites the numbered passages it gets), the reply's message carries
 * the citation on agentDone and in history, and the cited passage opens for a member and
 * for no one else.
 */
describe('document citations on the local runtime', () => {
  let parley: LocalParleyProcess;
  let owner: TestClient;
  let member: TestClient;
  let outsider: TestClient;
  let roomId: string;
  let documentId: string;

  const post = async (upload: Upload['upload'], bytes: Uint8Array<ArrayBuffer>, type: string): Promise<number> => {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type }), 'upload');
    const response = await fetch(upload.url, { method: 'POST', body: form });
    await response.arrayBuffer();
    return response.status;
  };

  beforeAll(async () => {
    // A changed app is synthesized and bundled first; on a busy machine that alone may take minutes.
    parley = await startLocalParley({ startTimeoutMs: 400_000 });
    owner = await parley.connect('olga');
    member = await parley.connect('mick');
    outsider = await parley.connect('nora');
    ({ room: { roomId } } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'warranty desk', visibility: 'public' }));
    await member.ok('joinRoom', { roomId });

    const text = new TextEncoder().encode('# Handbook\n\n## Warranty\n\nEvery kettle carries a warranty of two years from the day of purchase.\n\n## Shipping\n\nParcels leave the warehouse on Mondays.\n');
    const granted = await owner.ok<Upload>('requestDocumentUpload', { roomId, name: 'Handbook.md', contentType: 'text/markdown', size: text.byteLength });
    documentId = granted.document.documentId;
    expect(await post(granted.upload, text, 'text/markdown')).toBeLessThan(300);
    const settled = await owner.waitFor(
      (f) => f.type === 'documentStatus' && f['documentId'] === documentId && (f['status'] === 'ready' || f['status'] === 'failed'),
      WAIT_MS,
    );
    expect(settled['status']).toBe('ready');
    await owner.ok('addAgent', { roomId, agent: { handle: 'clerk', tools: ['search_documents'] } });
  }, 420_000);

  afterAll(async () => {
    await parley?.stop();
  });

  it('cites the passage the agent found, on agentDone and in history, and opens it for a member only', async () => {
    const asked = await member.ok<{ messageId: string }>('sendMessage', { roomId, text: '@clerk search documents for kettle warranty', clientMessageId: 'q1' });

    const done = await member.waitFor((f: Frame) => f.type === 'agentDone' && f['roomId'] === roomId, WAIT_MS);
    const reply = done['message'] as { messageId: string; text: string; citations?: Citation[]; agent: { triggerMessageId: string } };
    expect(reply.agent.triggerMessageId).toBe(asked.messageId);
    expect(reply.text).toMatch(/two years.*\[1\]/su);
    const cited = reply.citations ?? [];
    expect(cited[0]).toMatchObject({ n: 1, documentId, version: 1, name: 'Handbook.md', section: expect.stringContaining('Warranty') });
    // Every number the text uses is a citation, and every citation is used.
    const numbers = new Set(Array.from(reply.text.matchAll(/\[(\d+)\]/gu), (m) => Number(m[1])));
    expect(cited.map((c) => c.n).sort()).toEqual([...numbers].sort());

    // A reply is stored pending and shows in history once moderation has passed it.
    const history = await until(
      () => member.ok<{ items: Array<{ messageId: string; citations?: Citation[] }> }>('getHistory', { roomId }),
      (page) => page.items.some((m) => m.messageId === reply.messageId),
      WAIT_MS,
    );
    expect(history.items.find((m) => m.messageId === reply.messageId)?.citations).toEqual(cited);

    const { n: _n, name: _name, section: _section, ...at } = cited[0]!;
    const passage = await member.ok<{ name: string; section: string; text: string }>('getDocumentPassage', { roomId, ...at });
    expect(passage).toMatchObject({ name: 'Handbook.md', section: cited[0]!.section, text: expect.stringContaining('warranty of two years') });

    const refused = await outsider.request('getDocumentPassage', { roomId, ...at });
    expect(refused).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(JSON.stringify(refused)).not.toContain('two years');
  });

  it('answers NOT_FOUND for a passage of a deleted document', async () => {
    const history = await until(
      () => member.ok<{ items: Array<{ citations?: Citation[] }> }>('getHistory', { roomId }),
      (page) => page.items.some((m) => (m.citations ?? []).length > 0),
      WAIT_MS,
    );
    const cited = history.items.flatMap((m) => m.citations ?? [])[0]!;
    await owner.ok('deleteDocument', { roomId, documentId });

    const gone = await member.request('getDocumentPassage', { roomId, documentId, version: cited.version, chunk: cited.chunk });

    expect(gone).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
  });
});
