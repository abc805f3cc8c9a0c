import type { Clock } from '../../domain/ports';
import type { AgentConfig } from '../../domain/agents/config';
import type { RoomMemory } from '../../domain/agents/memory';
import {
  boundResult,
  checkToolUse,
  TOOL_LIMITS,
  TOOL_SPECS,
  type ToolInput,
  type ToolName,
  type ToolResult,
  type ToolSpec,
  type ToolUse,
} from '../../domain/agents/tools';
import type { DocumentSearch } from '../../domain/knowledge/indexing';
import { citePassages, type Citation } from '../../domain/knowledge/citations';
import { agentSenderId } from '../../domain/agents/config';
import { spokenTime } from '../../domain/time';

export interface AgentToolsDeps {
  readonly memory: RoomMemory;
  readonly clock: Clock;
  /** Resolves after `ms`: the bound on a tool's time. */
  readonly sleep: (ms: number) => Promise<void>;
  /** The room's documents; without it, `search_documents` is never offered. */
  readonly documents?: DocumentSearch;
}

/** How one tool call ended, as the audit trail records it (never its input or result). */
export type ToolOutcome = 'ok' | 'invalidInput' | 'failed' | 'timedOut' | 'limitReached';

export interface ToolCallReport {
  readonly name: string;
  readonly outcome: ToolOutcome;
  readonly durationMs: number;
  readonly result: ToolResult;
}

/** The tools an agent is offered: those its owners chose that this worker can run. */
export function offeredTools(deps: Pick<AgentToolsDeps, 'documents'>, agent: Pick<AgentConfig, 'tools'>): ToolSpec[] {
  // Agents stored before tools existed have none.
  return (agent.tools ?? []).filter((name) => name !== 'search_documents' || deps.documents !== undefined).map((name) => TOOL_SPECS[name]);
}

/** What a job's tools need to know of it. */
export interface ToolContext {
  readonly roomId: string;
  readonly handle: string;
  /** Messages already in the prompt: a search does not return them again. */
  readonly historyIds: ReadonlySet<string>;
  /**
   * The passages offered so far in this reply, numbered across its searches:
   * a search appends the passages it finds first, numbered on from the last;
   * a passage found again keeps its number.
   */
  readonly citations: Citation[];
}

/** Characters of one passage in a search's result: the hits' numbered blocks fit the result's bound together. */
export const PASSAGE_CHARS = Math.floor(TOOL_LIMITS.resultChars / TOOL_LIMITS.hits) - 120;

/** What the model is told after the passages. */
export const CITE_INSTRUCTION = 'Cite each passage you use by its number, as [1] or [2], right after what it supports.';

const TIMED_OUT: unique symbol = Symbol('timedOut');

async function execute(deps: AgentToolsDeps, context: ToolContext, name: ToolName, input: ToolInput<ToolName>): Promise<string> {
  switch (name) {
    case 'current_time':
      return `It is ${spokenTime(deps.clock.now())} (${new Date(deps.clock.now()).toISOString()}).`;
    case 'get_room_summary': {
      const recalled = await deps.memory.recall(context.roomId, '', { k: 0, excludeMessageIds: new Set(), now: deps.clock.now() });
      return recalled.summary?.text ?? 'This room has no summary yet.';
    }
    case 'search_room_history': {
      const { query } = input as ToolInput<'search_room_history'>;
      const recalled = await deps.memory.recall(context.roomId, query, {
        k: TOOL_LIMITS.hits,
        excludeMessageIds: context.historyIds,
        excludeSenderIds: new Set([agentSenderId(context.handle)]),
        now: deps.clock.now(),
      });
      if (recalled.passages.length === 0) return `Nothing earlier in this room matches "${query}".`;
      return recalled.passages.map((passage, i) => `${i + 1}. ${passage.text}`).join('\n');
    }
    case 'search_documents': {
      const { query } = input as ToolInput<'search_documents'>;
      if (!deps.documents) return 'This room has no document search.';
      const hits = await deps.documents.search({ roomId: context.roomId, agentId: context.handle, text: query, k: TOOL_LIMITS.hits });
      if (hits.length === 0) return `No document in this room matches "${query}".`;
      const cited = citePassages(hits, { maxPassageChars: PASSAGE_CHARS, earlier: context.citations });
      context.citations.push(...cited.citations);
      return `${cited.prompt}\n\n${CITE_INSTRUCTION}`;
    }
  }
}

/**
 * Runs one tool call within `timeLeftMs`: checks it against the tools
 * offered (a malformed or unknown call gets an error result the model
 * reads), runs it, and bounds its result. Never throws: a failing tool is
 * an error result and outcome `failed`.
 */
export async function runTool(
  deps: AgentToolsDeps,
  context: ToolContext,
  use: ToolUse,
  offered: ReadonlySet<ToolName>,
  timeLeftMs: number,
): Promise<ToolCallReport> {
  const started = deps.clock.now();
  const report = (outcome: ToolOutcome, status: ToolResult['status'], text: string): ToolCallReport => ({
    name: use.name,
    outcome,
    durationMs: deps.clock.now() - started,
    result: { toolUseId: use.toolUseId, status, text: boundResult(text) },
  });
  const checked = checkToolUse(use, offered);
  if (!checked.ok) return report('invalidInput', 'error', checked.error);
  try {
    const text = await Promise.race([
      execute(deps, context, checked.name, checked.input),
      deps.sleep(Math.max(0, timeLeftMs)).then((): typeof TIMED_OUT => TIMED_OUT),
    ]);
    if (text === TIMED_OUT) return report('timedOut', 'error', `${use.name} took too long; answer without it.`);
    return report('ok', 'success', text);
  } catch {
    // The error's message may quote what the tool read: the model is told only that it failed.
    return report('failed', 'error', `${use.name} failed; answer without it.`);
  }
}

/** The result of a call made past the reply's bounds: the model answers with what it has. */
export const limitReached = (use: ToolUse): ToolCallReport => ({
  name: use.name,
  outcome: 'limitReached',
  durationMs: 0,
  result: { toolUseId: use.toolUseId, status: 'error', text: 'No more tool calls for this reply: answer now with what you have.' },
});
