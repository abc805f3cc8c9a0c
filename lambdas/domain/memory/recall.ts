import MiniSearch from 'minisearch';
import { normalizeTerm, termsOf, tokenize } from './terms';
import type { MemoryChunk, SequencedMessage } from './types';

/** A passage of remembered history offered to an agent. */
export interface Passage {
  readonly messageIds: string[];
  readonly text: string;
  readonly score: number;
}

export interface RankOptions {
  /** Passages to return at most. */
  readonly k: number;
  /** Messages the agent already has in its window: they are neither indexed nor quoted. */
  readonly excludeMessageIds: ReadonlySet<string>;
  /** Characters of one passage at most. */
  readonly maxPassageChars: number;
}

const quote = (m: SequencedMessage): string => `${m.senderName}: ${m.text}`;

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * The messages of a window to quote within `maxChars`: all of them when they
 * fit, else the message that matches the query best with as many of its
 * neighbours as fit, so the supporting message is never the one cut.
 */
function fitPassage(messages: readonly SequencedMessage[], queryTerms: ReadonlySet<string>, maxChars: number) {
  const lengths = messages.map((m) => quote(m).length + 1);
  if (lengths.reduce((a, b) => a + b, 0) <= maxChars) return messages;
  let best = 0;
  let bestHits = -1;
  messages.forEach((m, i) => {
    const hits = termsOf(m.text).filter((t) => queryTerms.has(t)).length;
    if (hits > bestHits) [best, bestHits] = [i, hits];
  });
  let from = best;
  let to = best;
  let used = lengths[best] ?? 0;
  for (let grew = true; grew; ) {
    grew = false;
    const after = lengths[to + 1];
    if (after !== undefined && used + after <= maxChars) [to, used, grew] = [to + 1, used + after, true];
    const before = lengths[from - 1];
    if (before !== undefined && used + before <= maxChars) [from, used, grew] = [from - 1, used + before, true];
  }
  return messages.slice(from, to + 1);
}

/**
 * The `k` windows of a room's history that best match `query`, scored with
 * BM25+ (MiniSearch) over stemmed terms, sender names included. Messages in
 * the agent's own window are left out before scoring, so a passage never
 * repeats what the agent already sees and a window made only of such
 * messages is never returned. Ties go to the more recent window.
 *
 * Deterministic and in memory: the caller bounds how many windows it passes.
 */
export function rankPassages(chunks: readonly MemoryChunk[], query: string, options: RankOptions): Passage[] {
  if (options.k <= 0) return [];
  const visible = new Map<number, SequencedMessage[]>();
  for (const chunk of chunks) {
    const messages = chunk.messages.filter((m) => !options.excludeMessageIds.has(m.messageId));
    if (messages.length > 0) visible.set(chunk.windowStart, messages);
  }
  if (visible.size === 0) return [];

  const index = new MiniSearch<{ id: number; text: string }>({
    fields: ['text'],
    tokenize,
    processTerm: (term) => normalizeTerm(term) ?? false,
  });
  index.addAll([...visible].map(([id, messages]) => ({ id, text: messages.map(quote).join('\n') })));

  const queryTerms = new Set(termsOf(query));
  if (queryTerms.size === 0) return [];
  const hits = index
    .search(query, { combineWith: 'OR' })
    .sort((a, b) => b.score - a.score || (b.id as number) - (a.id as number))
    .slice(0, options.k);

  return hits.map((hit) => {
    const quoted = fitPassage(visible.get(hit.id as number) ?? [], queryTerms, options.maxPassageChars);
    return {
      messageIds: quoted.map((m) => m.messageId),
      text: cut(quoted.map(quote).join('\n'), options.maxPassageChars),
      score: Math.round(hit.score * 1000) / 1000,
    };
  });
}
