/**
 * Memory recall on a multi-session room (scripts/generate-sessions.ts):
 * questions asked the way people ask them, by kind (single-hop,
 * paraphrase, synonym or kind, temporal, multi-hop, follow-up), against
 * evidence told days or weeks earlier.
 *
 * Every message goes through `applyMemoryChange` on the in-process store;
 * at each question the agent's context is assembled as `answerJob` does
 * with the agents' defaults: the last 20 messages, `recall` with
 * `recallQuery` and the agent's own replies left out, `buildPrompt` within
 * 4,000 tokens. A piece of evidence is in context when a passage that made
 * it into the prompt quotes it (or the summary holds its text). For
 * questions that need a date, the date is in context when the evidence's
 * line is quoted with its time (in a passage or the summary). Baselines in the same run: the window
 * alone, and the window plus the older messages just before it that fill
 * the same tokens as the recalled passages. Offline and deterministic.
 *
 *   npx tsx scripts/bench/memory-sessions.ts
 */
import { pathToFileURL } from 'node:url';
import { ExtractiveSummarizer } from '../../lambdas/adapters/memory/extractive-summarizer';
import { StoredRoomMemory } from '../../lambdas/adapters/memory/room-memory';
import { buildPrompt, estimateTokens, type HistoryEntry } from '../../lambdas/domain/agents/prompt';
import { recallExcludedSenders, recallQuery } from '../../lambdas/domain/agents/recall-query';
import { DEFAULT_MEMORY_POLICY } from '../../lambdas/domain/memory/types';
import { timeStamp } from '../../lambdas/domain/time';
import { applyMemoryChange } from '../../lambdas/use-cases/memory/apply-memory-change';
import { agentOf } from '../../test/support/fakes/agents';
import { InMemoryMemoryStore } from '../../test/support/fakes/memory';
import { QUESTION_KINDS, generateSessions, type QuestionKind, type SessionMessage } from '../generate-sessions';

export interface SessionsOptions {
  readonly seeds: readonly number[];
  readonly k: number;
}

export const DEFAULT_SESSIONS_OPTIONS: SessionsOptions = { seeds: [1, 2, 3, 4, 5], k: 4 };

export const SESSION_STRATEGIES = ['window only', 'window + recent messages, same tokens', 'window + memory'] as const;
export type SessionStrategy = (typeof SESSION_STRATEGIES)[number];

export interface SessionKindFigure {
  readonly kind: QuestionKind;
  readonly strategy: SessionStrategy;
  readonly questions: number;
  /** Questions with all their evidence in context. */
  readonly allEvidence: number;
  /** Questions with at least one piece of evidence in context. */
  readonly anyEvidence: number;
  /** Questions that need a date, and those whose evidence is in context with its time. */
  readonly needDate: number;
  readonly dated: number;
  /** Estimated tokens of the assembled prompt, summed. */
  readonly promptTokens: number;
}

export interface SessionsFigures {
  readonly options: SessionsOptions;
  readonly messagesPerRoom: number;
  readonly figures: SessionKindFigure[];
}

const line = (m: SessionMessage): string => `${timeStamp(m.createdAt)}${m.senderName}: ${m.text}`;
const entryOf = (m: SessionMessage): HistoryEntry => ({
  messageId: m.messageId,
  senderId: m.senderId,
  senderName: m.senderName,
  senderType: m.senderType,
  text: m.text,
  createdAt: m.createdAt,
  ...(m.senderType === 'agent' ? { agentHandle: 'helper' } : {}),
});

export async function runMemorySessionsBenchmark(options: SessionsOptions = DEFAULT_SESSIONS_OPTIONS): Promise<SessionsFigures> {
  const agent = agentOf({ handle: 'helper', displayName: 'Helper', retrievalK: options.k });
  const tally = new Map<string, SessionKindFigure>();
  const count = (kind: QuestionKind, strategy: SessionStrategy, all: boolean, any: boolean, needsDate: boolean, dated: boolean, tokens: number) => {
    const key = `${kind}|${strategy}`;
    const t = tally.get(key) ?? { kind, strategy, questions: 0, allEvidence: 0, anyEvidence: 0, needDate: 0, dated: 0, promptTokens: 0 };
    tally.set(key, {
      ...t,
      questions: t.questions + 1,
      allEvidence: t.allEvidence + (all ? 1 : 0),
      anyEvidence: t.anyEvidence + (any ? 1 : 0),
      needDate: t.needDate + (needsDate ? 1 : 0),
      dated: t.dated + (needsDate && dated ? 1 : 0),
      promptTokens: t.promptTokens + tokens,
    });
  };
  let messagesPerRoom = 0;

  for (const seed of options.seeds) {
    const room = generateSessions({ seed });
    messagesPerRoom = room.messages.length;
    const store = new InMemoryMemoryStore();
    const memory = new StoredRoomMemory(store);
    const deps = { store, summarizer: new ExtractiveSummarizer(), policy: DEFAULT_MEMORY_POLICY, clock: { now: () => Date.UTC(2026, 10, 9) } };
    const questionOf = new Map(room.questions.map((q) => [q.questionMessageId, q]));
    const byId = new Map(room.messages.map((m) => [m.messageId, m]));

    for (const [index, message] of room.messages.entries()) {
      await applyMemoryChange(deps, { kind: 'remember', message: { roomId: 'bench', ...message }, sequence: String(index + 1) });
      const question = questionOf.get(message.messageId);
      if (!question) continue;
      const evidence = question.evidenceMessageIds.map((id) => byId.get(id) as SessionMessage);
      const window = room.messages.slice(Math.max(0, index + 1 - agent.historyWindow), index + 1);
      const inWindow = new Set(window.map((m) => m.messageId));
      const history = window.map(entryOf);
      const now = Date.parse(message.createdAt) + 30_000;
      const verdict = (inContext: (m: SessionMessage) => boolean, dated: (m: SessionMessage) => boolean) => ({
        all: evidence.every(inContext),
        any: evidence.some(inContext),
        dated: evidence.every(dated),
      });

      const bare = buildPrompt({ agent, now, history });
      const bareTokens = bare.estimatedTokens;
      const seen = verdict((m) => inWindow.has(m.messageId), (m) => inWindow.has(m.messageId));
      count(question.kind, 'window only', seen.all, seen.any, question.needsDate, seen.dated, bareTokens);

      const recalled = await memory.recall('bench', recallQuery(history), {
        k: options.k,
        excludeMessageIds: inWindow,
        excludeSenderIds: recallExcludedSenders(agent.handle),
        now,
      });
      const prompt = buildPrompt({ agent, now, history, memory: recalled });
      const shown = recalled.passages.filter((p) => prompt.system.includes(p.text));
      const quoted = new Set(shown.flatMap((p) => p.messageIds));
      const inSummary = (m: SessionMessage) => prompt.system.includes(`Summary: `) && (recalled.summary?.text.includes(m.text) ?? false);
      const remembered = verdict(
        (m) => inWindow.has(m.messageId) || quoted.has(m.messageId) || inSummary(m),
        (m) =>
          shown.some((p) => p.text.includes(line(m).slice(0, 60))) ||
          (prompt.system.includes('Summary: ') && (recalled.summary?.text.includes(line(m).slice(0, 60)) ?? false)),
      );
      count(question.kind, 'window + memory', remembered.all, remembered.any, question.needsDate, remembered.dated, prompt.estimatedTokens);

      // The same tokens as the passages, spent on the messages just before the window instead.
      const passageTokens = shown.reduce((sum, p) => sum + estimateTokens(`- ${p.text}`), 0);
      const older = new Set<string>();
      let spent = 0;
      for (let i = index - window.length; i >= 0; i -= 1) {
        const m = room.messages[i] as SessionMessage;
        const cost = estimateTokens(line(m)) + 1;
        if (spent + cost > passageTokens) break;
        older.add(m.messageId);
        spent += cost;
      }
      const recent = verdict((m) => inWindow.has(m.messageId) || older.has(m.messageId), (m) => older.has(m.messageId));
      count(question.kind, 'window + recent messages, same tokens', recent.all, recent.any, question.needsDate, recent.dated, bareTokens + spent);
    }
  }
  return { options, messagesPerRoom, figures: [...tally.values()] };
}

const percent = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`);

export function formatMemorySessions(result: SessionsFigures): string {
  const rows: string[] = [];
  for (const strategy of SESSION_STRATEGIES) {
    const figures = [...QUESTION_KINDS.map((kind) => result.figures.find((f) => f.kind === kind && f.strategy === strategy))].filter(
      (f): f is SessionKindFigure => f !== undefined,
    );
    const total = figures.reduce(
      (t, f) => ({
        questions: t.questions + f.questions,
        allEvidence: t.allEvidence + f.allEvidence,
        anyEvidence: t.anyEvidence + f.anyEvidence,
        needDate: t.needDate + f.needDate,
        dated: t.dated + f.dated,
        promptTokens: t.promptTokens + f.promptTokens,
      }),
      { questions: 0, allEvidence: 0, anyEvidence: 0, needDate: 0, dated: 0, promptTokens: 0 },
    );
    for (const f of [...figures, { ...total, kind: 'all' as const, strategy }]) {
      rows.push(
        `| ${strategy} | ${f.kind} | ${f.questions} | ${percent(f.allEvidence, f.questions)} | ${percent(f.anyEvidence, f.questions)} | ` +
          `${f.needDate === 0 ? '–' : `${f.dated} / ${f.needDate}`} | ${Math.round(f.promptTokens / f.questions)} |`,
      );
    }
  }
  return [
    `${result.options.seeds.length} generated rooms (seeds ${result.options.seeds.join(', ')}), 7 dated sessions over five weeks, ` +
      `${result.messagesPerRoom} messages each; questions in the last session; agent defaults (window 20 messages, k = ${result.options.k}, ` +
      '4,000-token prompt). All / any evidence: share of questions with all / at least one of their evidence messages in the assembled prompt. ' +
      'Dated: questions needing a date whose evidence is quoted with its time.',
    '',
    '| context | kind | questions | all evidence | any evidence | dated | prompt tokens, est. (mean) |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const figures = await runMemorySessionsBenchmark();
  process.stdout.write(`${formatMemorySessions(figures)}\n\n(${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
