import MiniSearch from 'minisearch';
import { timeStamp } from '../time';
import { expandTerms, relatedTerms } from './lexicon';
import { askedSpan, withoutPresentWords } from './when';
import { normalizeTerm, termsOf, tokenize } from './terms';
import type { MemoryChunk, SequencedMessage } from './types';
import { fuseByRank } from '../retrieval/rank-fusion';
import { dequantize, similarity } from './vectors';

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
  /** Senders whose messages are neither indexed nor quoted (the asking agent's own replies). */
  readonly excludeSenderIds?: ReadonlySet<string>;
  /** Characters of one passage at most. */
  readonly maxPassageChars: number;
  /** The query's embedding (see `quantize`), for semantic ranking next to the lexical one. */
  readonly queryVector?: string;
  /** The present (epoch ms), so "last week" or "yesterday" in the query can favour messages of that time. */
  readonly now?: number;
}

/**
 * How much a message outside the time the question names ("last weekend")
 * counts against one inside it: less, not nothing, since people misplace
 * when things were said.
 */
export const OUTSIDE_ASKED_SPAN = 0.25;

/**
 * How much the names of the best match count in the second hop (see
 * `rankPassages`): as a synonym would, below the question's own words.
 */
export const BRIDGE_WEIGHT = 0.5;

/**
 * The names a message brings up: its sender's, and capitalised words that
 * are not common words (Porto, Tom, Northwind). "The person who took over
 * billing" is Dana; what Dana said elsewhere is where the second half of
 * the answer is.
 */
function namesIn(m: SequencedMessage): string[] {
  const capitalised = (m.text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => /^\p{Lu}/u.test(w));
  return [m.senderName, ...capitalised].flatMap((w) => termsOf(w)).filter((t) => relatedTerms(t).synonyms.length === 0);
}

/**
 * The window that holds the other half of a two-part answer, if any. Its
 * query is what the best match did not answer and what ties back to it:
 * the question's terms (with their expansions) that the best message lacks,
 * at their own weight, and the names and other words of the best message
 * (`namesIn`, `termsOf`) at `BRIDGE_WEIGHT`, each weighed by its rarity.
 * A candidate message must hold at least one of those bridge terms, so the
 * hop stays tied to the first fact, and two of these terms in all, so one
 * common word is not enough (a message that asks counts `ASKING_WEIGHT`,
 * as in the first hop): "Which city is the team offsite in?"
 * finds Farah's "The team offsite will be in the city where I grew up",
 * then, by "grew" and Farah, her "I grew up in Ghent", which shares no word
 * with the question.
 */
function secondHop(
  visible: ReadonlyMap<number, SequencedMessage[]>,
  first: number,
  firstMessages: readonly SequencedMessage[],
  weigh: (m: SequencedMessage) => number,
  queryTerms: ReadonlyMap<string, number>,
): { windowStart: number; score: number } | undefined {
  const best = firstMessages[argmax(firstMessages.map(weigh))];
  if (best === undefined) return undefined;
  const answered = new Set(termsOf(indexed(best)));
  const hopTerms = new Map<string, number>();
  for (const [t, w] of queryTerms) if (!answered.has(t)) hopTerms.set(t, w);
  const bridge = new Set([...namesIn(best), ...termsOf(best.text)].filter((t) => !queryTerms.has(t)));
  for (const t of bridge) hopTerms.set(t, BRIDGE_WEIGHT);
  if (bridge.size === 0) return undefined;
  const weights = termWeights([...visible.values()].flat(), hopTerms);
  let found: { windowStart: number; score: number } | undefined;
  for (const [id, messages] of visible) {
    if (id === first) continue;
    for (const m of messages) {
      const terms = new Set(termsOf(indexed(m)));
      if (![...bridge].some((t) => terms.has(t)) || [...hopTerms.keys()].filter((t) => terms.has(t)).length < 2) continue;
      const score = matchWeight(m, weights) * (asks(m) ? ASKING_WEIGHT : 1);
      if (score > (found?.score ?? 0) || (score === found?.score && id > found.windowStart)) found = { windowStart: id, score };
    }
  }
  return found;
}

/**
 * How much a message that asks (it ends with a question mark) counts
 * against one that tells: it shares the words of later questions
 * ("@helper when did Dana move into her flat?") but holds no answer.
 */
export const ASKING_WEIGHT = 0.5;

const asks = (m: SequencedMessage): boolean => /\?\s*$/u.test(m.text);

/** What is searched of a message: its sender and text (a time would only add noise terms). */
const indexed = (m: SequencedMessage): string => `${m.senderName}: ${m.text}`;

/** A message as a passage quotes it: `[2026-12-06 14:03] Alice: text`, so the agent can say when. */
const quote = (m: SequencedMessage): string => `${timeStamp(m.createdAt)}${indexed(m)}`;

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * The messages of a window to quote within `maxChars`: all of them when they
 * fit, else the message at `best` with as many of its neighbours as fit, so
 * the supporting message is never the one cut.
 */
function fitPassage(messages: readonly SequencedMessage[], best: number, maxChars: number): readonly SequencedMessage[] {
  const lengths = messages.map((m) => quote(m).length + 1);
  if (lengths.reduce((a, b) => a + b, 0) <= maxChars) return messages;
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
 * How much each query term tells messages apart among `messages`: its
 * inverse document frequency, ln(1 + N / df), times its expansion weight
 * (1 for a word of the question, less for a synonym or a kind). A name that
 * half the room's messages carry weighs little; the one word only the
 * answer has, a lot.
 */
function termWeights(messages: readonly SequencedMessage[], queryTerms: ReadonlyMap<string, number>): Map<string, number> {
  const df = new Map<string, number>();
  for (const m of messages) {
    for (const t of new Set(termsOf(indexed(m)))) if (queryTerms.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  return new Map([...df].map(([t, n]) => [t, Math.log(1 + messages.length / n) * (queryTerms.get(t) ?? 0)]));
}

/** How well one message matches: the summed weight of the distinct query terms it holds. */
const matchWeight = (m: SequencedMessage, weights: ReadonlyMap<string, number>): number =>
  [...new Set(termsOf(indexed(m)))].reduce((sum, t) => sum + (weights.get(t) ?? 0), 0);

/** The index of the highest value, the first on ties. */
const argmax = (values: readonly number[]): number => values.reduce((best, v, i) => (v > (values[best] ?? -Infinity) ? i : best), 0);

/**
 * Windows ranked by BM25+ (MiniSearch) over stemmed terms, sender names
 * included, each query term boosted by its expansion weight.
 */
function lexicalRanking(visible: ReadonlyMap<number, SequencedMessage[]>, queryTerms: ReadonlyMap<string, number>): Map<number, number> {
  const index = new MiniSearch<{ id: number; text: string }>({
    fields: ['text'],
    tokenize,
    processTerm: (term) => normalizeTerm(term) ?? false,
  });
  index.addAll([...visible].map(([id, messages]) => ({ id, text: messages.map(indexed).join('\n') })));
  // The query is already made of index terms: searched as they are, not normalized twice.
  const hits = index.search([...queryTerms.keys()].join(' '), {
    combineWith: 'OR',
    tokenize: (text) => text.split(' '),
    processTerm: (term) => term,
    boostTerm: (term) => queryTerms.get(term) ?? 1,
  });
  return new Map(hits.map((hit) => [hit.id as number, hit.score]));
}

/**
 * Windows scored by their best message: the summed weight of the distinct
 * query terms one message holds, so a window where a person's name comes
 * up in five messages does not outrank the one message that has both the
 * name and the asked word. BM25 over the whole window only breaks ties.
 */
function messageRanking(
  visible: ReadonlyMap<number, SequencedMessage[]>,
  weigh: (m: SequencedMessage) => number,
  bm25: ReadonlyMap<number, number>,
  says: (m: SequencedMessage) => number,
): Map<number, number> {
  const scores = new Map<number, number>();
  for (const [id, messages] of visible) {
    const weights = messages.map(weigh);
    const best = Math.max(...weights);
    if (best <= 0) continue;
    const told = Math.max(...messages.filter((_, i) => (weights[i] ?? 0) === best).map(says));
    scores.set(id, best + told / 10_000 + (bm25.get(id) ?? 0) / 1_000_000);
  }
  return scores;
}

/**
 * How much a message says that the room does not say all the time: the
 * summed rarity (ln(1 + N / df)) of its distinct terms. "Hiked up Ben Nevis
 * with my brother" says more than "Coffee machine on 2 is broken again",
 * heard every week; among messages that match a question equally ("What
 * did Farah do last weekend?" matches all of Farah's), the one that says
 * more wins.
 */
function informativeness(messages: readonly SequencedMessage[]): (m: SequencedMessage) => number {
  const df = new Map<string, number>();
  const termsByMessage = new Map<SequencedMessage, Set<string>>();
  for (const m of messages) {
    const terms = new Set(termsOf(m.text));
    termsByMessage.set(m, terms);
    for (const t of terms) df.set(t, (df.get(t) ?? 0) + 1);
  }
  return (m) => [...(termsByMessage.get(m) ?? [])].reduce((sum, t) => sum + Math.log(1 + messages.length / (df.get(t) ?? 1)), 0);
}

/** Windows ranked by their most similar message to the query's embedding. */
function semanticRanking(visible: ReadonlyMap<number, SequencedMessage[]>, queryVector: string): Map<number, number> {
  const query = dequantize(queryVector);
  const scores = new Map<number, number>();
  for (const [id, messages] of visible) {
    const best = Math.max(...messages.map((m) => (m.vector ? similarity(query, dequantize(m.vector)) : -1)));
    if (best > 0) scores.set(id, best);
  }
  return scores;
}

/**
 * The `k` windows of a room's history that best match `query`. A window
 * scores by its best message: the summed weight of the distinct query terms
 * that message holds, each term weighing its rarity among the candidate
 * messages (IDF) times its expansion weight (1 for the question's own
 * words, less for their WordNet synonyms; see `expandTerms`), BM25+ over
 * the whole window breaking ties. The best window then stays first and the
 * others the question matched are ranked again with the names its best
 * message brings up at `BRIDGE_WEIGHT` (a second hop, for answers in two
 * parts told apart). When a query embedding is given, the
 * windows are also ranked by their most similar message, and the two
 * rankings are fused by reciprocal rank (each window scores the sum of
 * 1 / (60 + rank) over the rankings it appears in). Messages in the agent's
 * own window are left out before scoring, so a passage never repeats what
 * the agent already sees and a window made only of such messages is never
 * returned. Ties go to the more recent window. When `now` is given and the
 * query names a time relative to it ("last week", "yesterday", "on
 * Tuesday"; see `askedSpan`), those words are not searched and messages
 * outside that time count `OUTSIDE_ASKED_SPAN` of their weight.
 *
 * When `k` is 3 or more, one slot is kept for a second hop of its own (see
 * `secondHop`): the window that holds what the best message left open,
 * tied to it by a name or a word. Words for "around now" ("these days";
 * see `withoutPresentWords`) are not searched, a message that asks counts
 * `ASKING_WEIGHT`, and windows whose best messages match equally are told
 * apart by how much that message says (`informativeness`), then by BM25+.
 *
 * Deterministic and in memory: the caller bounds how many windows it passes.
 */
export function rankPassages(chunks: readonly MemoryChunk[], query: string, options: RankOptions): Passage[] {
  if (options.k <= 0) return [];
  const visible = new Map<number, SequencedMessage[]>();
  for (const chunk of chunks) {
    const messages = chunk.messages.filter(
      (m) =>
        !options.excludeMessageIds.has(m.messageId) &&
        !(m.senderId !== undefined && options.excludeSenderIds?.has(m.senderId)),
    );
    if (messages.length > 0) visible.set(chunk.windowStart, messages);
  }
  // Words that say when ("last weekend") favour messages of that time instead of matching as words.
  const span = options.now !== undefined ? askedSpan(query, options.now) : undefined;
  const queryTerms = expandTerms(termsOf(withoutPresentWords(span?.rest ?? query)));
  if (visible.size === 0 || (queryTerms.size === 0 && options.queryVector === undefined)) return [];

  const weights = termWeights([...visible.values()].flat(), queryTerms);
  const inSpan = (m: SequencedMessage) => {
    const at = Date.parse(m.createdAt);
    return !span || (at >= span.from && at < span.to);
  };
  const weigh = (m: SequencedMessage) => matchWeight(m, weights) * (inSpan(m) ? 1 : OUTSIDE_ASKED_SPAN) * (asks(m) ? ASKING_WEIGHT : 1);
  const bm25 = queryTerms.size > 0 ? lexicalRanking(visible, queryTerms) : new Map<number, number>();
  const says = informativeness([...visible.values()].flat());
  let lexical = messageRanking(visible, weigh, bm25, says);

  // Second hop: the best window stays first; the others the question
  // matched are ranked again with the names its best message brings up, so the other half of a
  // two-part answer ("where is the person who took over billing moving?")
  // can be found by who it is about.
  const [first] = [...lexical].sort(([ia, a], [ib, b]) => b - a || ib - ia)[0] ?? [];
  const firstMessages = first === undefined ? [] : (visible.get(first) ?? []);
  const bridge = firstMessages.length > 0 ? namesIn(firstMessages[argmax(firstMessages.map(weigh))] as SequencedMessage) : [];
  const widened = new Map(queryTerms);
  for (const t of bridge) if (!widened.has(t)) widened.set(t, BRIDGE_WEIGHT);
  if (options.k > 1 && first !== undefined && widened.size > queryTerms.size) {
    const weights2 = termWeights([...visible.values()].flat(), widened);
    const second = messageRanking(visible, (m) => matchWeight(m, weights2) * (inSpan(m) ? 1 : OUTSIDE_ASKED_SPAN), bm25, says);
    // Only windows the question itself matched are ranked again: a name alone brings nothing in.
    const top = Math.max(...second.values()) + 1;
    lexical = new Map([...lexical.keys()].map((id) => [id, id === first ? top : (second.get(id) ?? 0)]));
  }
  const hop = options.k > 2 && first !== undefined ? secondHop(visible, first, firstMessages, weigh, queryTerms) : undefined;
  const semantic = options.queryVector ? semanticRanking(visible, options.queryVector) : undefined;
  // Among equal scores the later window goes first, in each ranking and in the fused one.
  const scores = semantic ? fuseByRank([lexical, semantic], (a, b) => b - a) : lexical;

  const query8 = options.queryVector ? dequantize(options.queryVector) : undefined;
  const ranked = [...scores].sort(([ia, a], [ib, b]) => b - a || ib - ia).slice(0, options.k);
  // The second hop's window keeps a slot: it takes the last one when the ranking left it out.
  if (hop !== undefined && !ranked.some(([id]) => id === hop.windowStart)) ranked.splice(options.k - 1, 1, [hop.windowStart, hop.score]);
  return ranked
    .map(([id, score]) => {
      const messages = visible.get(id) ?? [];
      // The passage is cut around the message whose terms weigh most, not the
      // one with most raw hits: a message that only names a person the
      // question names must not push out the one that answers it.
      const hits = messages.map(weigh);
      const best =
        Math.max(...hits) > 0 || !query8
          ? argmax(hits)
          : argmax(messages.map((m) => (m.vector ? similarity(query8, dequantize(m.vector)) : -1)));
      const quoted = fitPassage(messages, best, options.maxPassageChars);
      return {
        messageIds: quoted.map((m) => m.messageId),
        text: cut(quoted.map(quote).join('\n'), options.maxPassageChars),
        score: Math.round(score * 10_000) / 10_000,
      };
    });
}
