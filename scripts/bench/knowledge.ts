/**
 * The documents index: ingestion throughput and cost, retrieval latency at
 * 10,000 chunks, and answer grounding against a lexical-only baseline.
 *
 * (a) Ingestion: a generated 200-page PDF (pdf-lib) and a long Markdown
 *     handbook go through the code the ingestion function runs (parse →
 *     chunk → embed with the lexical embedder → BatchWriteItem) into
 *     DynamoDB Local. Pages per second, embedding calls and write units,
 *     priced at list prices (the arithmetic is printed).
 * (b) Retrieval: a room of about 10,000 chunks in 20 documents; searches
 *     through `searchDocuments` on the DynamoDB adapter (one Query per
 *     document, then BM25+ and vector ranking in the function), p50/p99.
 * (c) Grounding: six generated handbooks per room with 24 facts planted,
 *     one paraphrased question per fact (knowledge-corpus.ts); the share of
 *     questions whose fact's chunk is among the k = 4 hits, hybrid (BM25+
 *     and lexical vectors fused by rank) against BM25+ alone, same run.
 *     In memory and deterministic.
 *
 * Three runs of each, the load average beside each.
 *
 *   npm run bench -- knowledge
 */
import { loadavg } from 'node:os';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { chunkItem } from '../../lambdas/adapters/dynamodb/knowledge-chunks';
import { DynamoChunkStore } from '../../lambdas/adapters/dynamodb/knowledge-chunks';
import { KNOWLEDGE_TABLE, knowledgeKeys } from '../../lambdas/adapters/dynamodb/knowledge-schema';
import { LexicalEmbedder, LEXICAL_EMBEDDER_MODEL } from '../../lambdas/adapters/knowledge/lexical-embedder';
import { FormatParser } from '../../lambdas/adapters/knowledge/parse-document';
import type { DocumentSource, KnowledgeContentType } from '../../lambdas/domain/knowledge/indexing';
import type { ChunkEmbedding, ChunkStore, DocumentParser, StoredChunk } from '../../lambdas/domain/knowledge/ports';
import { ChunkIndexer, type IndexReport } from '../../lambdas/use-cases/knowledge/index-document';
import { searchDocuments } from '../../lambdas/use-cases/knowledge/search-documents';
import { expandTerms } from '../../lambdas/domain/memory/lexicon';
import { termsOf } from '../../lambdas/domain/memory/terms';
import { InMemoryChunkStore } from '../../test/support/fakes/knowledge';
import { ensureTable, startDynamoDbLocal } from '../local/engines/dynamodb';
import { US_EAST_1_LIST_PRICES } from './cost-model';
import { table } from './dynamodb-requests';
import { FACTS, fillerSections, groundingRoom, random, toMarkdown } from './knowledge-corpus';
import { countingDynamoDb } from './support';

const REGION = 'eu-west-1';
/** Amazon Titan Text Embeddings v2, on-demand, us-east-1, per 1,000 input tokens (list price as of 2026-12-06). */
const TITAN_V2_PER_THOUSAND_TOKENS = 0.00002;
/** Memory of the ingestion function the compute cost assumes. */
const INGESTION_MEMORY_GB = 1;
const K = 4;

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

/** An item's size as DynamoDB bills it: attribute names plus values (strings as UTF-8, numbers about 1 byte per 2 digits). */
export function itemBytes(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    bytes += Buffer.byteLength(name);
    if (typeof value === 'string') bytes += Buffer.byteLength(value);
    else if (typeof value === 'number') bytes += Math.ceil(String(value).replace(/\D/g, '').length / 2) + 1;
    else bytes += Buffer.byteLength(JSON.stringify(value));
  }
  return bytes;
}

/** A PDF of `pages` pages of generated prose, 38 lines of about 90 characters each. */
export async function generatedPdf(pages: number, seed = 7): Promise<Uint8Array> {
  const rand = random(seed);
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const words = fillerSections(rand, pages, 8)
    .flatMap((s) => s.paragraphs)
    .join(' ')
    .split(' ');
  let at = 0;
  for (let p = 0; p < pages; p += 1) {
    const page = doc.addPage();
    for (let line = 0; line < 38; line += 1) {
      let text = '';
      while (text.length < 90 && at < words.length) text += `${words[at++]} `;
      page.drawText(text.trim(), { x: 40, y: 770 - line * 19, font, size: 10 });
    }
  }
  return doc.save();
}

interface Timed {
  parseMs: number;
  embedMs: number;
  storeMs: number;
  writeUnits: number;
  storedBytes: number;
  /** Characters sent to the embedder (chunks with their overlap and section headings). */
  embeddedChars: number;
}

/** The indexer with each phase timed and the write units of every stored item added up. */
function timedIndexer(store: ChunkStore, embedding: ChunkEmbedding, roomId: string): { indexer: ChunkIndexer; timed: Timed } {
  const timed: Timed = { parseMs: 0, embedMs: 0, storeMs: 0, writeUnits: 0, storedBytes: 0, embeddedChars: 0 };
  const formats = new FormatParser();
  const parser: DocumentParser = {
    async parse(type, bytes) {
      const started = performance.now();
      try {
        return await formats.parse(type, bytes);
      } finally {
        timed.parseMs += performance.now() - started;
      }
    },
  };
  const embedder = {
    async embed(text: string) {
      timed.embeddedChars += text.length;
      const started = performance.now();
      try {
        return await embedding.embedder.embed(text);
      } finally {
        timed.embedMs += performance.now() - started;
      }
    },
  };
  const timedStore: ChunkStore = {
    ...store,
    documentsOf: (r) => store.documentsOf(r),
    chunksOf: (r, d, v) => store.chunksOf(r, d, v),
    removeChunks: (r, d, k) => store.removeChunks(r, d, k),
    async writeVersion(r, d, v, chunks: readonly StoredChunk[]) {
      for (const c of chunks) {
        const bytes = itemBytes(chunkItem(roomId, c));
        timed.storedBytes += bytes;
        timed.writeUnits += Math.ceil(bytes / 1024);
      }
      const started = performance.now();
      try {
        return await store.writeVersion(r, d, v, chunks);
      } finally {
        timed.storeMs += performance.now() - started;
      }
    },
  };
  return { indexer: new ChunkIndexer({ parser, store: timedStore, embedding: { model: embedding.model, embedder } }), timed };
}

export interface IngestionRow {
  readonly run: number;
  readonly loadAverage: string;
  readonly document: string;
  readonly pages: number;
  readonly report: IndexReport;
  readonly totalMs: number;
  readonly timed: Timed;
  readonly batchWrites: number;
}

export interface RetrievalRow {
  readonly run: number;
  readonly loadAverage: string;
  readonly searches: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly readP50Ms: number;
  readonly rankP50Ms: number;
}

export interface GroundingRow {
  readonly run: number;
  readonly loadAverage: string;
  readonly questions: number;
  readonly hybrid: number;
  readonly lexical: number;
  readonly vectors: number;
  /** Questions that share an index term (or a WordNet synonym or kind of one) with their fact: the most any lexical ranking can find. */
  readonly reachable: number;
  readonly ms: number;
}

export interface KnowledgeFigures {
  readonly ingestion: IngestionRow[];
  readonly retrieval: RetrievalRow[];
  readonly room: { chunks: number; documents: number; bytes: number };
  readonly grounding: GroundingRow[];
}

const source = (roomId: string, documentId: string, version: number, contentType: KnowledgeContentType, bytes: Uint8Array): DocumentSource => ({
  roomId,
  documentId,
  version,
  name: documentId,
  contentType,
  bytes,
});

export async function runKnowledgeBenchmark(log: (line: string) => void = () => undefined, runs = 3): Promise<KnowledgeFigures> {
  const lexical = new LexicalEmbedder();
  const embedding: ChunkEmbedding = { model: LEXICAL_EMBEDDER_MODEL, embedder: lexical };
  const engine = await startDynamoDbLocal({ port: 0, region: REGION });
  try {
    const tableName = 'bench-knowledge';
    await ensureTable(engine.client, table(tableName, KNOWLEDGE_TABLE.partitionKey, KNOWLEDGE_TABLE.sortKey));
    const { raw, client, counts } = countingDynamoDb(engine.endpoint, REGION);
    const store = new DynamoChunkStore(client, tableName);

    // (a) Ingestion.
    const pdf = await generatedPdf(200);
    const markdown = new TextEncoder().encode(toMarkdown('Operations handbook', fillerSections(random(11), 300, 4)));
    log(`PDF of 200 pages (${(pdf.length / 1024).toFixed(0)} KB), Markdown of ${(markdown.length / 1024).toFixed(0)} KB generated`);
    const ingestion: IngestionRow[] = [];
    for (let run = 1; run <= runs; run += 1) {
      for (const [document, type, bytes] of [
        ['PDF, 200 pages', 'application/pdf', pdf],
        ['Markdown handbook', 'text/markdown', markdown],
      ] as const) {
        const loadAverage = load();
        for (const key of Object.keys(counts)) delete counts[key];
        const { indexer, timed } = timedIndexer(store, embedding, 'bench-ingest');
        const started = performance.now();
        // A new version each run: every run is a first indexing, not an overwrite.
        const report = (await indexer.index(source('bench-ingest', type === 'application/pdf' ? 'pdf' : 'md', run, type, bytes))) as IndexReport;
        const totalMs = performance.now() - started;
        ingestion.push({ run, loadAverage, document, pages: report.pages ?? 0, report, totalMs, timed, batchWrites: counts['BatchWriteItemCommand'] ?? 0 });
        log(`ingestion run ${run}, ${document}: ${report.chunks} chunks in ${(totalMs / 1000).toFixed(2)} s`);
      }
    }

    // (b) Retrieval over about 10,000 chunks.
    const roomId = 'bench-search';
    const { indexer: loader, timed: loaded } = timedIndexer(store, embedding, roomId);
    let chunks = 0;
    let documents = 0;
    while (chunks < 10_000) {
      documents += 1;
      const documentId = `doc-${String(documents).padStart(2, '0')}`;
      const text = toMarkdown(`Handbook ${documents}`, fillerSections(random(100 + documents), 110, 4));
      const report = await loader.index(source(roomId, documentId, 1, 'text/markdown', new TextEncoder().encode(text)));
      chunks += report.chunks;
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { roomId, sk: knowledgeKeys.document(documentId), name: `Handbook ${documents}`, status: 'ready', version: 1, indexedVersion: 1 },
        }),
      );
    }
    log(`room of ${chunks} chunks in ${documents} documents written`);
    const queries = [...FACTS.map((f) => f.question), ...FACTS.map((f) => f.fact.split(' ').slice(0, 6).join(' '))];
    const retrieval: RetrievalRow[] = [];
    for (let run = 1; run <= runs; run += 1) {
      const loadAverage = load();
      const totals: number[] = [];
      const reads: number[] = [];
      let readMs = 0;
      for (const text of queries) {
        readMs = 0;
        let readsEnded = 0;
        let readsStarted = Number.POSITIVE_INFINITY;
        const measured: ChunkStore = {
          writeVersion: (...a) => store.writeVersion(...a),
          removeChunks: (...a) => store.removeChunks(...a),
          documentsOf: async (r) => {
            const started = performance.now();
            const result = await store.documentsOf(r);
            readMs += performance.now() - started;
            return result;
          },
          chunksOf: async (r, d, v) => {
            readsStarted = Math.min(readsStarted, performance.now());
            const result = await store.chunksOf(r, d, v);
            readsEnded = Math.max(readsEnded, performance.now());
            return result;
          },
        };
        const started = performance.now();
        await searchDocuments({ store: measured, embedding }, { roomId, text, k: K });
        totals.push(performance.now() - started);
        reads.push(readMs + (readsEnded - readsStarted));
      }
      const sortedTotals = [...totals].sort((a, b) => a - b);
      const sortedReads = [...reads].sort((a, b) => a - b);
      const ranking = totals.map((t, i) => t - (reads[i] ?? 0)).sort((a, b) => a - b);
      retrieval.push({
        run,
        loadAverage,
        searches: queries.length,
        p50Ms: percentile(sortedTotals, 50),
        p99Ms: percentile(sortedTotals, 99),
        readP50Ms: percentile(sortedReads, 50),
        rankP50Ms: percentile(ranking, 50),
      });
      log(`retrieval run ${run} done`);
    }
    raw.destroy();

    const grounding = await runGrounding(embedding, runs, log);
    return { ingestion, retrieval, room: { chunks, documents, bytes: loaded.storedBytes }, grounding };
  } finally {
    await engine.stop();
  }
}

/** (c) Grounding, in memory: the share of paraphrased questions whose fact's chunk is among the k hits. */
export async function runGrounding(embedding: ChunkEmbedding, runs = 3, log: (line: string) => void = () => undefined): Promise<GroundingRow[]> {
    const grounding: GroundingRow[] = [];
    for (let run = 1; run <= runs; run += 1) {
      const loadAverage = load();
      const started = performance.now();
      let questions = 0;
      let hybrid = 0;
      let lexicalOnly = 0;
      let vectorsOnly = 0;
      let reachable = 0;
      for (const seed of [1, 2, 3]) {
        const memory = new InMemoryChunkStore();
        const indexer = new ChunkIndexer({ parser: new FormatParser(), store: memory, embedding });
        for (const [i, doc] of groundingRoom(seed).entries()) {
          await indexer.index({ ...source('room', `h${i}`, 1, 'text/markdown', new TextEncoder().encode(doc.markdown)), name: doc.name });
          memory.putRecord('room', { documentId: `h${i}`, name: doc.name, status: 'ready', indexedVersion: 1 });
        }
        for (const { fact, question } of FACTS) {
          questions += 1;
          const asked = expandTerms(termsOf(question));
          if (termsOf(fact).some((t) => asked.has(t))) reachable += 1;
          const found = (hits: { text: string }[]) => hits.some((h) => h.text.replace(/\s+/g, ' ').includes(fact));
          const query = { roomId: 'room', text: question, k: K };
          if (found(await searchDocuments({ store: memory, embedding }, query))) hybrid += 1;
          if (found(await searchDocuments({ store: memory }, query))) lexicalOnly += 1;
          if (found(await vectorSearch(memory, embedding, query))) vectorsOnly += 1;
        }
      }
      grounding.push({ run, loadAverage, questions, hybrid, lexical: lexicalOnly, vectors: vectorsOnly, reachable, ms: performance.now() - started });
      log(`grounding run ${run} done`);
    }
    return grounding;
}

/** The vector ranking alone (for reference): the chunks most similar to the question's lexical vector. */
async function vectorSearch(store: InMemoryChunkStore, embedding: ChunkEmbedding, query: { roomId: string; text: string; k: number }) {
  const { dequantize, quantize, similarity } = await import('../../lambdas/domain/memory/vectors');
  const q = dequantize(quantize(await embedding.embedder.embed(query.text)));
  return store
    .chunksIn(query.roomId)
    .map((c) => ({ text: c.text, score: c.vector ? similarity(q, dequantize(c.vector)) : 0 }))
    .sort((a, b) => b.score - a.score)
    .slice(0, query.k);
}

const usd = (n: number) => (n >= 0.01 ? `$${n.toFixed(2)}` : `$${n.toFixed(4)}`);

export function formatKnowledge(f: KnowledgeFigures): string {
  const p = US_EAST_1_LIST_PRICES;
  const lines: string[] = [
    '(a) Ingestion into DynamoDB Local: parse → chunk (~1,000 characters, 15 % overlap) → lexical embedder (one call per chunk, 8 in flight) → BatchWriteItem. ' +
      'The phases\' seconds are summed over their calls; embedding calls overlap, so their sum can exceed the total.',
    '',
    '| run | load average (1/5/15 min) | document | pages | characters | chunks | embedding calls | BatchWriteItem calls | WRUs | parse s | embed s | store s | total s | pages/s |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of f.ingestion) {
    const s = (ms: number) => (ms / 1000).toFixed(2);
    lines.push(
      `| ${r.run} | ${r.loadAverage} | ${r.document} | ${r.pages || '–'} | ${r.report.characters.toLocaleString('en')} | ${r.report.chunks} | ${r.report.embeddingCalls} | ${r.batchWrites} | ${r.timed.writeUnits} | ${s(r.timed.parseMs)} | ${s(r.timed.embedMs)} | ${s(r.timed.storeMs)} | ${s(r.totalMs)} | ${r.pages ? (r.pages / (r.totalMs / 1000)).toFixed(1) : '–'} |`,
    );
  }
  const pdfRuns = f.ingestion.filter((r) => r.pages > 0);
  if (pdfRuns.length > 0) {
    const r = pdfRuns[0] as IngestionRow;
    const perK = 1_000 / r.pages;
    const calls = r.report.embeddingCalls * perK;
    const tokens = (r.timed.embeddedChars * perK) / 4;
    const wrus = r.timed.writeUnits * perK;
    const seconds = (pdfRuns.reduce((sum, x) => sum + x.totalMs, 0) / pdfRuns.length / 1000) * perK;
    const embedCost = (tokens / 1_000) * TITAN_V2_PER_THOUSAND_TOKENS;
    const writeCost = (wrus / 1_000_000) * p.dynamoDbPerMillionWriteUnits;
    const lambdaCost = seconds * INGESTION_MEMORY_GB * p.lambdaPerGbSecondArm;
    const gb = (r.timed.storedBytes * perK) / 1024 ** 3;
    lines.push(
      '',
      `Cost per 1,000 pages like these (list prices, ${p.region}, ${p.asOf}; from run 1 of the PDF, time averaged over the runs):`,
      '',
      `- Titan v2 embeddings: ${Math.round(calls).toLocaleString('en')} calls; ${r.timed.embeddedChars.toLocaleString('en')} characters embedded (text, overlap, headings) × ${perK} / 4 characters a token ≈ ${Math.round(tokens).toLocaleString('en')} tokens × $${TITAN_V2_PER_THOUSAND_TOKENS} / 1,000 = ${usd(embedCost)}`,
      `- DynamoDB writes: ${Math.round(wrus).toLocaleString('en')} WRUs (one per started KB of each chunk item) × $${p.dynamoDbPerMillionWriteUnits} / million = ${usd(writeCost)}`,
      `- Lambda: ${seconds.toFixed(0)} s measured here × ${INGESTION_MEMORY_GB} GB × $${p.lambdaPerGbSecondArm} per GB-s (Arm) = ${usd(lambdaCost)} (with Titan, time is bound by the embedding calls instead)`,
      `- Storage: ${(gb * 1024).toFixed(1)} MB × $${p.dynamoDbPerGbMonth} per GB-month = ${usd(gb * p.dynamoDbPerGbMonth)} a month`,
      `- Total to index: ${usd(embedCost + writeCost + lambdaCost)}`,
    );
  }
  const bytesPerChunk = f.room.bytes / f.room.chunks;
  const readUnits = f.room.bytes / 4096 / 2;
  lines.push(
    '',
    `(b) Retrieval over one room of ${f.room.chunks.toLocaleString('en')} chunks in ${f.room.documents} documents (${(f.room.bytes / 1024 ** 2).toFixed(1)} MB of items, ${bytesPerChunk.toFixed(0)} bytes a chunk): ` +
      `searchDocuments with k = ${K} on DynamoDB Local, one search at a time; "read" is the DOC# Query plus the span of the concurrent CHUNK# Queries, "rank" the rest (BM25+, vectors, fusion). ` +
      `A search reads every chunk of the room: about ${Math.round(readUnits).toLocaleString('en')} read units (eventually consistent), ${usd((readUnits / 1_000_000) * p.dynamoDbPerMillionReadUnits)} at on-demand prices; ` +
      `one partition serves at most 3,000 read units a second, so about ${(3_000 / readUnits).toFixed(1)} such searches a second per room.`,
    '',
    '| run | load average (1/5/15 min) | searches | p50 ms | p99 ms | read p50 ms | rank p50 ms |',
    '|---:|---|---:|---:|---:|---:|---:|',
    ...f.retrieval.map(
      (r) => `| ${r.run} | ${r.loadAverage} | ${r.searches} | ${r.p50Ms.toFixed(0)} | ${r.p99Ms.toFixed(0)} | ${r.readP50Ms.toFixed(0)} | ${r.rankP50Ms.toFixed(0)} |`,
    ),
    '',
    `(c) Grounding: 3 rooms (seeds 1–3) of 6 generated handbooks each, ${FACTS.length} facts planted per room, one paraphrased question per fact; ` +
      `a question is grounded when a chunk holding its fact is among the ${K} hits. In memory, deterministic: every run gives the same shares.`,
    '',
    '| run | load average (1/5/15 min) | questions | sharing a term with their fact (lexical ceiling) | hybrid (BM25+ and lexical vectors, fused by rank) | BM25+ alone (baseline) | lexical vectors alone | s |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
    ...f.grounding.map((r) => {
      const pct = (n: number) => `${n} (${((100 * n) / r.questions).toFixed(1)} %)`;
      return `| ${r.run} | ${r.loadAverage} | ${r.questions} | ${pct(r.reachable)} | ${pct(r.hybrid)} | ${pct(r.lexical)} | ${pct(r.vectors)} | ${(r.ms / 1000).toFixed(1)} |`;
    }),
  );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await runKnowledgeBenchmark((line) => process.stderr.write(`  ${line}\n`));
  console.log(formatKnowledge(figures));
}
