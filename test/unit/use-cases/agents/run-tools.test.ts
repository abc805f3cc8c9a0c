import { describe, expect, it } from 'vitest';
import type { ToolName } from '../../../../lambdas/domain/agents/tools';
import type { Citation } from '../../../../lambdas/domain/knowledge/citations';
import type { DocumentHit, DocumentQuery, DocumentSearch } from '../../../../lambdas/domain/knowledge/indexing';
import { CITE_INSTRUCTION, offeredTools, runTool, type AgentToolsDeps } from '../../../../lambdas/use-cases/agents/run-tools';
import { FakeClock } from '../../../support/fakes/chat';
import { FakeMemory } from '../../../support/fakes/agents';

class FakeDocuments implements DocumentSearch {
  readonly queries: DocumentQuery[] = [];
  constructor(private readonly hits: DocumentHit[]) {}
  async search(query: DocumentQuery): Promise<DocumentHit[]> {
    this.queries.push(query);
    return this.hits;
  }
}

const context = { roomId: 'r1', handle: 'clerk', historyIds: new Set(['M1']), citations: [] as Citation[] };
const freshContext = () => ({ ...context, citations: [] as Citation[] });
const all = new Set<ToolName>(['search_room_history', 'search_documents', 'get_room_summary', 'current_time']);

function tools(options: { memory?: FakeMemory; documents?: DocumentSearch; sleep?: (ms: number) => Promise<void> } = {}) {
  const deps: AgentToolsDeps = {
    memory: options.memory ?? new FakeMemory(),
    clock: new FakeClock(Date.parse('2026-12-06T14:05:00Z')),
    sleep: options.sleep ?? (() => new Promise(() => undefined)),
    ...(options.documents ? { documents: options.documents } : {}),
  };
  return deps;
}

describe('offeredTools', () => {
  it('offers the chosen tools, document search only where a document search is wired, and none to an agent stored before tools', () => {
    const chosen = { tools: ['search_documents', 'current_time'] as ToolName[] };

    expect(offeredTools({}, chosen).map((t) => t.name)).toEqual(['current_time']);
    expect(offeredTools({ documents: new FakeDocuments([]) }, chosen).map((t) => t.name)).toEqual(['search_documents', 'current_time']);
    expect(offeredTools({}, {} as { tools: ToolName[] })).toEqual([]);
  });
});

describe('runTool', () => {
  it('tells the time in UTC', async () => {
    const report = await runTool(tools(), context, { toolUseId: 't1', name: 'current_time', input: {} }, all, 1_000);

    expect(report).toEqual({
      name: 'current_time',
      outcome: 'ok',
      durationMs: 0,
      result: { toolUseId: 't1', status: 'success', text: 'It is Sunday 6 December 2026, 14:05 UTC (2026-12-06T14:05:00.000Z).' },
    });
  });

  it('reads the room’s summary, and says when there is none', async () => {
    const summarized = new FakeMemory({ passages: [], summary: { text: 'The team planned the launch.', fromMessageId: 'A', toMessageId: 'B' } });

    const summary = await runTool(tools({ memory: summarized }), context, { toolUseId: 't1', name: 'get_room_summary', input: {} }, all, 1_000);
    const without = await runTool(tools(), context, { toolUseId: 't2', name: 'get_room_summary', input: {} }, all, 1_000);

    expect(summary.result.text).toBe('The team planned the launch.');
    expect(without.result.text).toBe('This room has no summary yet.');
  });

  it('searches the room’s documents as the asking agent: numbered passages with document and section, and how to cite them', async () => {
    const documents = new FakeDocuments([
      { documentId: 'd1', version: 1, name: 'Handbook.pdf', section: 'Warranty › Returns', chunk: 3, text: 'Returns within 30 days.', score: 2 },
    ]);
    const reply = freshContext();

    const report = await runTool(tools({ documents }), reply, { toolUseId: 't1', name: 'search_documents', input: { query: 'returns' } }, all, 1_000);

    expect(documents.queries).toEqual([{ roomId: 'r1', agentId: 'clerk', text: 'returns', k: 4 }]);
    expect(report.result.text).toBe(`[1] Handbook.pdf › Warranty › Returns: Returns within 30 days.\n\n${CITE_INSTRUCTION}`);
    expect(reply.citations).toEqual([{ n: 1, documentId: 'd1', version: 1, chunk: 3, name: 'Handbook.pdf', section: 'Warranty › Returns' }]);
  });

  it('numbers a second search of the same reply on from the first, a passage found again keeping its number', async () => {
    const warranty = { documentId: 'd1', version: 1, name: 'Handbook', section: 'Warranty', chunk: 0, text: 'Two years.', score: 2 };
    const returns = { documentId: 'd2', version: 3, name: 'Policy', section: 'page 4', page: 4, chunk: 7, text: 'Free returns.', score: 1 };
    const reply = freshContext();

    await runTool(tools({ documents: new FakeDocuments([warranty]) }), reply, { toolUseId: 't1', name: 'search_documents', input: { query: 'warranty' } }, all, 1_000);
    const second = await runTool(
      tools({ documents: new FakeDocuments([returns, warranty]) }),
      reply,
      { toolUseId: 't2', name: 'search_documents', input: { query: 'returns' } },
      all,
      1_000,
    );

    expect(second.result.text).toMatch(/^\[2\] Policy, page 4: Free returns\.\n\n\[1\] Handbook › Warranty: Two years\./);
    expect(reply.citations.map((c) => [c.n, c.documentId, c.chunk])).toEqual([[1, 'd1', 0], [2, 'd2', 7]]);
    expect(reply.citations[1]).toMatchObject({ page: 4 });
  });

  it('keeps every numbered passage of a full search within the result’s bound', async () => {
    const long = 'word '.repeat(400);
    const documents = new FakeDocuments(
      [0, 1, 2, 3].map((chunk) => ({ documentId: 'd1', version: 1, name: 'Handbook', section: 'Long', chunk, text: long, score: 1 })),
    );

    const report = await runTool(tools({ documents }), freshContext(), { toolUseId: 't1', name: 'search_documents', input: { query: 'word' } }, all, 1_000);

    expect(report.result.text.length).toBeLessThanOrEqual(2_000);
    expect(report.result.text).toContain('[4] Handbook › Long:');
    expect(report.result.text).toContain(CITE_INSTRUCTION);
  });

  it('says plainly when a search finds nothing', async () => {
    const report = await runTool(tools(), context, { toolUseId: 't1', name: 'search_room_history', input: { query: 'zeppelin' } }, all, 1_000);

    expect(report.result).toMatchObject({ status: 'success', text: 'Nothing earlier in this room matches "zeppelin".' });
  });

  it('gives up on a tool that outlasts the time left, as an error result', async () => {
    const slow = new FakeMemory();
    slow.recall = () => new Promise(() => undefined);

    const report = await runTool(tools({ memory: slow, sleep: async () => undefined }), context, { toolUseId: 't1', name: 'search_room_history', input: { query: 'x' } }, all, 5);

    expect(report).toMatchObject({ outcome: 'timedOut', result: { status: 'error', text: expect.stringContaining('took too long') } });
  });

  it('cuts a long result to the bound', async () => {
    const chatty = new FakeMemory({ passages: [{ messageIds: ['M0'], text: 'x'.repeat(5_000), score: 1 }] });

    const report = await runTool(tools({ memory: chatty }), context, { toolUseId: 't1', name: 'search_room_history', input: { query: 'x' } }, all, 1_000);

    expect(report.result.text.length).toBeLessThanOrEqual(2_001);
  });
});
