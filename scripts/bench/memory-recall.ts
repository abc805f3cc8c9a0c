/**
 * Memory recall benchmark: does the fact a late question needs reach the
 * agent's context when it lies outside the recent window?
 *
 * For each seeded conversation (scripts/generate-conversation.ts: facts
 * planted early, questions asked late, distractors throughout), every
 * message goes through `applyMemoryChange`, the code the memory stream
 * consumer runs, on the in-process store instead of DynamoDB; at each
 * question, the context is assembled the way the agent assembles it: its
 * recent window (the last `historyWindow` messages, the question included)
 * plus `StoredRoomMemory.recall` with that window excluded, asked with
 * `recallQuery` (the question without mentions, widened when it is a short
 * follow-up). A question counts as answered when its fact message is quoted
 * in that context. The context's size is the prompt `buildPrompt` makes of it
 * (with no token limit), with and without the messages' times. Offline and
 * deterministic: no runtime, no model, same figures on every run.
 *
 *   npx tsx scripts/bench/memory-recall.ts
 */
import { pathToFileURL } from 'node:url';
import { ExtractiveSummarizer } from '../../lambdas/adapters/memory/extractive-summarizer';
import { InMemoryMemoryStore } from '../../test/support/fakes/memory';
import { StoredRoomMemory } from '../../lambdas/adapters/memory/room-memory';
import { agentOf } from '../../test/support/fakes/agents';
import { buildPrompt, estimateTokens, type HistoryEntry } from '../../lambdas/domain/agents/prompt';
import { recallQuery } from '../../lambdas/domain/agents/recall-query';
import { DEFAULT_MEMORY_POLICY } from '../../lambdas/domain/memory/types';
import { applyMemoryChange } from '../../lambdas/use-cases/memory/apply-memory-change';
import { generateConversation, type FactKind } from '../generate-conversation';

export interface RecallOptions {
  readonly seeds: readonly number[];
  readonly messages: number;
  /** The agent's recent window, in messages (the agents' default: 20). */
  readonly historyWindow: number;
  /** Passages recalled per question, the values compared. */
  readonly ks: readonly number[];
}

export const DEFAULT_RECALL_OPTIONS: RecallOptions = { seeds: [1, 2, 3, 4, 5], messages: 600, historyWindow: 20, ks: [1, 2, 4, 8] };

export interface StrategyFigure {
  readonly strategy: string;
  readonly answered: number;
  readonly questions: number;
  /** Messages the context quotes beyond the window, on average. */
  readonly extraMessages: number;
  /** Estimated tokens of the assembled prompt, on average (memory strategies only). */
  readonly promptTokens?: number;
  /** The same without the present and the messages' times. */
  readonly promptTokensUntimed?: number;
}

/** Recall of the memory passages alone, for one kind of question (generate-conversation.ts: FactKind). */
export interface KindFigure {
  readonly kind: FactKind;
  readonly k: number;
  readonly answered: number;
  readonly questions: number;
}

export interface RecallFigures {
  readonly options: RecallOptions;
  /** Planted facts per conversation. */
  readonly factsPerConversation: number;
  readonly byKind: KindFigure[];
  readonly conversations: number;
  /** Questions whose fact lies outside the recent window (all of them, by construction; checked). */
  readonly outsideWindow: number;
  readonly strategies: StrategyFigure[];
}

/** The times the prompt writes, to measure what they cost. */
const TIME_STAMPS = /\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}\] /g;
const PRESENT = /\nNow: [^\n]*/;

const percent = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`);

export async function runMemoryRecallBenchmark(options: RecallOptions = DEFAULT_RECALL_OPTIONS): Promise<RecallFigures> {
  const tally = new Map<string, { answered: number; questions: number; extra: number; tokens: number; untimed: number }>();
  const count = (strategy: string, answered: boolean, extra: number, size = { tokens: 0, untimed: 0 }) => {
    const t = tally.get(strategy) ?? { answered: 0, questions: 0, extra: 0, tokens: 0, untimed: 0 };
    tally.set(strategy, {
      answered: t.answered + (answered ? 1 : 0),
      questions: t.questions + 1,
      extra: t.extra + extra,
      tokens: t.tokens + size.tokens,
      untimed: t.untimed + size.untimed,
    });
  };
  const agent = { ...agentOf({ handle: 'helper', displayName: 'Helper' }), maxPromptTokens: 1_000_000 };
  let outsideWindow = 0;
  let factsPerConversation = 0;
  const policy = DEFAULT_MEMORY_POLICY;
  const byKind = new Map<string, KindFigure>();
  const countKind = (kind: FactKind, k: number, answered: boolean) => {
    const key = `${kind}:${k}`;
    const t = byKind.get(key) ?? { kind, k, answered: 0, questions: 0 };
    byKind.set(key, { ...t, answered: t.answered + (answered ? 1 : 0), questions: t.questions + 1 });
  };

  for (const seed of options.seeds) {
    const conversation = generateConversation({ seed, messages: options.messages });
    const store = new InMemoryMemoryStore();
    const memory = new StoredRoomMemory(store);
    const deps = { store, summarizer: new ExtractiveSummarizer(), policy, clock: { now: () => Date.UTC(2026, 9, 2) } };
    factsPerConversation = conversation.facts.length;
    const factOf = new Map(conversation.facts.map((f) => [f.questionMessageId, f.factMessageId]));
    const kindOf = new Map(conversation.facts.map((f) => [f.questionMessageId, f.kind]));
    const textOf = new Map(conversation.messages.map((m) => [m.messageId, m.text]));

    for (const [index, message] of conversation.messages.entries()) {
      await applyMemoryChange(deps, {
        kind: 'remember',
        message: { roomId: 'bench', senderType: 'human', ...message },
        sequence: String(index + 1),
      });
      const factId = factOf.get(message.messageId);
      if (factId === undefined) continue;

      const window = conversation.messages.slice(Math.max(0, index + 1 - options.historyWindow), index + 1);
      const history: HistoryEntry[] = window.map((m) => ({ ...m, senderId: `u-${m.senderName}`, senderType: 'human' }));
      const now = Date.parse(message.createdAt) + 60_000;
      const inWindow = new Set(window.map((m) => m.messageId));
      if (inWindow.has(factId)) continue; // only questions memory has to answer count
      outsideWindow += 1;
      count('window only', false, 0);

      for (const k of options.ks) {
        // Baseline with the same budget: the k windows of messages just before the recent window.
        const windowStart = index + 1 - options.historyWindow;
        const older = conversation.messages.slice(Math.max(0, windowStart - k * policy.windowSize), windowStart);
        count(
          `window + ${k * policy.windowSize} older messages (same budget as k = ${k})`,
          older.some((m) => m.messageId === factId),
          older.length,
        );

        const recalled = await memory.recall('bench', recallQuery(history), { k, excludeMessageIds: inWindow });
        const prompt = buildPrompt({ agent, now, history, memory: recalled });
        const assembled = [prompt.system, ...prompt.turns.map((t) => t.text)].join('\n');
        const untimed = assembled.replace(TIME_STAMPS, '').replace(PRESENT, '');
        const size = { tokens: estimateTokens(assembled), untimed: estimateTokens(untimed) };
        const quoted = recalled.passages.flatMap((p) => p.messageIds);
        const inPassages = quoted.includes(factId);
        count(`window + memory passages, k = ${k}`, inPassages, quoted.length, size);
        countKind(kindOf.get(message.messageId) ?? 'keyword', k, inPassages);
        const fact = textOf.get(factId) ?? '';
        const inSummary = recalled.summary?.text.includes(fact.split(/(?<=[.!?])\s/)[0] ?? fact) ?? false;
        count(`window + memory passages + summary, k = ${k}`, inPassages || inSummary, quoted.length, size);
      }
    }
  }

  const strategies = [...tally].map(([strategy, t]) => ({
    strategy,
    answered: t.answered,
    questions: t.questions,
    extraMessages: t.questions === 0 ? 0 : t.extra / t.questions,
    ...(t.tokens > 0 ? { promptTokens: t.tokens / t.questions, promptTokensUntimed: t.untimed / t.questions } : {}),
  }));
  return {
    options,
    factsPerConversation,
    byKind: [...byKind.values()],
    conversations: options.seeds.length,
    outsideWindow,
    strategies,
  };
}

export function formatMemoryRecall(figures: RecallFigures): string {
  const { options } = figures;
  const rows = figures.strategies.map(
    (s) =>
      `| ${s.strategy} | ${s.answered} / ${s.questions} | ${percent(s.answered, s.questions)} | ${s.extraMessages.toFixed(1)} | ` +
      `${s.promptTokens === undefined ? '–' : `${Math.round(s.promptTokens)} (${Math.round(s.promptTokensUntimed ?? 0)} untimed)`} |`,
  );
  return [
    `${figures.conversations} generated conversations (seeds ${options.seeds.join(', ')}) of ${options.messages} messages, ` +
      `${figures.factsPerConversation} planted facts each; agent window ${options.historyWindow} messages; ${figures.outsideWindow} questions whose ` +
      'fact lies outside the window. Recall = share of those questions whose fact message is quoted in the assembled context.',
    '',
    '| context | answered | recall | messages beyond the window (mean) | prompt tokens, est. (mean) |',
    '|---|---:|---:|---:|---:|',
    ...rows,
    '',
    'Memory passages alone, by kind of question (`keyword`: the question keeps some of its fact\'s words; ' +
      '`paraphrase`: only an irregular form of a word joins them):',
    '',
    '| kind | k | answered | recall |',
    '|---|---:|---:|---:|',
    ...figures.byKind.map((b) => `| ${b.kind} | ${b.k} | ${b.answered} / ${b.questions} | ${percent(b.answered, b.questions)} |`),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const figures = await runMemoryRecallBenchmark();
  process.stdout.write(`${formatMemoryRecall(figures)}\n\n(${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
