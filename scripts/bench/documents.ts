/**
 * The documents benchmark: what the documents' own pipeline adds on the
 * local runtime (`npm start`, real WebSockets), the index's work aside.
 * Each round asks for an upload, posts a small file to the presigned URL as
 * a browser does, and waits for the version's last status frame: the
 * bucket's event (sent by the runtime, as S3 would), the queue, the
 * ingestion function and three status writes and frames. `listDocuments` on
 * the same socket, in the same rounds, is the baseline: one keyed read.
 * Once a version is ready, `getDocumentPassage` opens its first chunk, as
 * a reply's citation does: membership, record and one chunk by key.
 * Until the index exists, every version ends `failed` at once, so the
 * pipeline is measured without parsing or embedding.
 *
 *   npm run bench -- documents
 */
import { type Frame, startLocalParley } from '../../test/support/local-parley';

/** Within the action budget's burst (30): each round spends one change. */
const ROUNDS = 20;

export interface DocumentsRow {
  readonly step: string;
  readonly medianMs: number;
  readonly p95Ms: number;
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

export async function runDocumentsBenchmark(log: (line: string) => void = () => undefined): Promise<DocumentsRow[]> {
  const parley = await startLocalParley({ startTimeoutMs: 400_000 });
  try {
    const client = await parley.connect('bench-documents');
    const { room } = await client.ok<{ room: { roomId: string } }>('createRoom', { name: 'Documents bench' });
    const times = { list: [] as number[], grant: [] as number[], post: [] as number[], pipeline: [] as number[], passage: [] as number[] };
    const bytes = new TextEncoder().encode('# Bench\n\nA short document.\n');
    for (let i = 0; i < ROUNDS; i += 1) {
      let started = performance.now();
      await client.ok('listDocuments', { roomId: room.roomId });
      times.list.push(performance.now() - started);

      started = performance.now();
      const granted = await client.ok<{ document: { documentId: string }; upload: { url: string; fields: Record<string, string> } }>(
        'requestDocumentUpload',
        { roomId: room.roomId, name: `Bench ${i}.md`, contentType: 'text/markdown', size: bytes.byteLength },
      );
      times.grant.push(performance.now() - started);

      const form = new FormData();
      for (const [name, value] of Object.entries(granted.upload.fields)) form.append(name, value);
      form.append('file', new Blob([bytes], { type: 'text/markdown' }), 'bench.md');
      started = performance.now();
      const response = await fetch(granted.upload.url, { method: 'POST', body: form });
      await response.arrayBuffer();
      times.post.push(performance.now() - started);
      const posted = performance.now();
      const last = await client.waitFor(
        (f: Frame) =>
          f.type === 'documentStatus' && f['documentId'] === granted.document.documentId && (f['status'] === 'ready' || f['status'] === 'failed'),
        60_000,
      );
      times.pipeline.push(performance.now() - posted);
      if (last['status'] === 'ready') {
        started = performance.now();
        await client.ok('getDocumentPassage', { roomId: room.roomId, documentId: granted.document.documentId, version: 1, chunk: 0 });
        times.passage.push(performance.now() - started);
      }
      if (i % 5 === 4) log(`${i + 1} rounds`);
    }
    const row = (step: string, values: number[]): DocumentsRow => ({ step, medianMs: percentile(values, 50), p95Ms: percentile(values, 95) });
    return [
      row('listDocuments round trip (baseline)', times.list),
      row('requestDocumentUpload round trip', times.grant),
      row('POST of the file to the presigned URL', times.post),
      row('from the POST to the last status frame', times.pipeline),
      ...(times.passage.length > 0 ? [row('getDocumentPassage round trip (a citation opened)', times.passage)] : []),
    ];
  } finally {
    await parley.stop();
  }
}

export function formatDocuments(rows: readonly DocumentsRow[]): string {
  const baseline = rows[0]?.medianMs ?? Number.NaN;
  return [
    '| step | median | p95 | median ÷ baseline |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.step} | ${r.medianMs.toFixed(1)} ms | ${r.p95Ms.toFixed(1)} ms | ${(r.medianMs / baseline).toFixed(1)} |`),
  ].join('\n');
}
