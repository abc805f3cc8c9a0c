import { agentName, type AgentRef, type ChatMessage, type HistoryPage } from './protocol';
import { isStaleEdit } from './own-messages';

/**
 * A room's timeline as the client holds it: pure functions over immutable
 * values, so every rule (order, deduplication, paging, streaming) is
 * unit-tested without a browser.
 *
 * - Messages are kept sorted by `messageId` (time-sortable) and unique by it,
 *   whichever way they arrive: live frames, history pages, catch-up pages,
 *   the ack of a resent message.
 * - A message the user is sending shows at once as a pending entry keyed by
 *   its `clientMessageId`; the stored message replaces it.
 * - An agent reply streams in as a live entry keyed by `replyId` until its
 *   final message arrives.
 */

export interface PendingMessage {
  readonly clientMessageId: string;
  readonly roomId: string;
  readonly text: string;
  readonly senderId: string;
  readonly senderName: string;
  readonly createdAt: string;
  readonly state: 'sending' | 'failed';
  /** Why the last attempt failed, for the person who sent it. */
  readonly error?: string;
  /** Whether sending it again could succeed (Parley was busy), or it was refused for what it is. */
  readonly retryable?: boolean;
}

export interface LiveReply {
  readonly replyId: string;
  readonly agent: string;
  /** Text chunks by sequence number, in order, without repeats. */
  readonly chunks: ReadonlyArray<readonly [seq: number, text: string]>;
  readonly text: string;
}

export interface Timeline {
  /** Stored messages, oldest first, unique by messageId. */
  readonly messages: readonly ChatMessage[];
  /** Messages being sent, in the order they were written. */
  readonly pending: readonly PendingMessage[];
  /** Agent replies still streaming, in the order they started. */
  readonly replies: readonly LiveReply[];
  /** Replies already final: late deltas for them are ignored. */
  readonly finishedReplies: ReadonlySet<string>;
  /** Messages taken away by moderation: a stale copy (an older page) does not bring them back. */
  readonly removed: ReadonlySet<string>;
  /**
   * `unloaded`: no page of history yet (maybe a few live messages);
   * `partial`: older pages remain, from `olderCursor`; `complete`: the
   * timeline reaches the room's first message.
   */
  readonly history: 'unloaded' | 'partial' | 'complete';
  readonly olderCursor?: string;
  /**
   * Set when the connection dropped: messages after `after` (the newest the
   * client had then) may be missing. Live messages that arrive once the
   * socket is back must not hide that gap, so catching up starts here.
   */
  readonly gap?: { readonly after: string | undefined };
  /** Agents at work on a message (agentThinking), by its id; see agent-replies.ts. */
  readonly thinking?: ReadonlyMap<string, readonly AgentAtWork[]>;
  /** What agents said about a message instead of answering (their notices), by its id. */
  readonly agentNotes?: ReadonlyMap<string, readonly string[]>;
}

/** An agent about to answer a message. */
export interface AgentAtWork {
  readonly handle: string;
  readonly name: string;
  /** What it does now, while it uses a tool (agentThinking's `status`). */
  readonly status?: string;
}

export const emptyTimeline = (): Timeline => ({
  messages: [],
  pending: [],
  replies: [],
  finishedReplies: new Set(),
  removed: new Set(),
  history: 'unloaded',
});

/**
 * Moderation settles once: a message known in a final state is not taken
 * back to `pending` by a stale copy (an older history page, say).
 */
const settled = (message: ChatMessage): boolean =>
  message.moderation !== undefined && message.moderation !== 'pending';

const preferred = (current: ChatMessage, incoming: ChatMessage): ChatMessage => {
  if (settled(current) && !settled(incoming)) return current;
  // An edit is not taken back by an older copy either.
  if (isStaleEdit(current, incoming)) return current;
  // Keep what only the final frame of an agent reply carries: its flag, and its facts (stopped among them).
  const withFacts = current.agent !== undefined && incoming.agent === undefined ? { ...incoming, agent: current.agent } : incoming;
  return current.incomplete && incoming.incomplete === undefined ? { ...withFacts, incomplete: true } : withFacts;
};

/** Index of the first message whose id is not below `messageId`. */
const lowerBound = (messages: readonly ChatMessage[], messageId: string): number => {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid] as ChatMessage).messageId < messageId) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * Adds messages (any order, repeats allowed), keeping the timeline sorted and
 * unique by messageId; drops the pending entries and live replies they stand for.
 */
export function mergeMessages(timeline: Timeline, incoming: readonly ChatMessage[]): Timeline {
  if (incoming.length === 0) return timeline;
  const messages = [...timeline.messages];
  for (const message of incoming) {
    if (timeline.removed.has(message.messageId)) continue;
    const at = lowerBound(messages, message.messageId);
    const existing = messages[at];
    if (existing?.messageId === message.messageId) messages[at] = preferred(existing, message);
    else messages.splice(at, 0, message);
  }
  const sentByClient = new Set(
    incoming.flatMap((m) => (m.clientMessageId === undefined ? [] : [`${m.senderId}\n${m.clientMessageId}`])),
  );
  const ids = new Set(incoming.map((m) => m.messageId));
  const pending = timeline.pending.filter((p) => !sentByClient.has(`${p.senderId}\n${p.clientMessageId}`));
  const replies = timeline.replies.filter((r) => !ids.has(r.replyId));
  return {
    ...timeline,
    messages,
    pending: pending.length === timeline.pending.length ? timeline.pending : pending,
    replies: replies.length === timeline.replies.length ? timeline.replies : replies,
  };
}

/** Applies a page fetched backward (the latest page, or an older one). */
export function applyOlderPage(timeline: Timeline, page: Pick<HistoryPage, 'items' | 'nextCursor'>): Timeline {
  const merged = mergeMessages(timeline, page.items);
  const { olderCursor: _previous, ...rest } = merged;
  return page.nextCursor === undefined
    ? { ...rest, history: 'complete' }
    : { ...rest, history: 'partial', olderCursor: page.nextCursor };
}

/**
 * Whether a page fetched backward from `from` (undefined: the latest page) is
 * the page this timeline needs next. One asked for before the timeline was
 * reset, or a second answer for a page already applied, is not: applying it
 * would leave a hole or send the cursor back.
 */
export const awaitsPageFrom = (timeline: Timeline, from: string | undefined): boolean =>
  from === undefined ? timeline.history === 'unloaded' : timeline.history === 'partial' && timeline.olderCursor === from;

/** Applies what catching up found (pages fetched forward) and closes the gap. */
export function applyCatchUp(timeline: Timeline, items: readonly ChatMessage[]): Timeline {
  const { gap: _closed, ...merged } = mergeMessages(timeline, items);
  return merged;
}

/** The id of the newest stored message the client has. */
export const lastSeenId = (timeline: Timeline): string | undefined => timeline.messages.at(-1)?.messageId;

/** Notes that the connection dropped; a timeline never loaded has nothing to catch up on. */
export const markGap = (timeline: Timeline): Timeline =>
  timeline.history === 'unloaded' || timeline.gap !== undefined ? timeline : { ...timeline, gap: { after: lastSeenId(timeline) } };

/** Where catching up starts: the last message before the drop. */
export const catchUpFrom = (timeline: Timeline): string | undefined =>
  timeline.gap === undefined ? lastSeenId(timeline) : timeline.gap.after;

/** Shows a message the user is sending before Parley has stored it. */
export function addPending(timeline: Timeline, pending: Omit<PendingMessage, 'state'>): Timeline {
  if (timeline.pending.some((p) => p.clientMessageId === pending.clientMessageId)) return timeline;
  return { ...timeline, pending: [...timeline.pending, { ...pending, state: 'sending' }] };
}

const updatePending = (
  timeline: Timeline,
  clientMessageId: string,
  update: (p: PendingMessage) => PendingMessage,
): Timeline => {
  if (!timeline.pending.some((p) => p.clientMessageId === clientMessageId)) return timeline;
  return {
    ...timeline,
    pending: timeline.pending.map((p) => (p.clientMessageId === clientMessageId ? update(p) : p)),
  };
};

/** Marks a pending message as failed, with the reason to show and whether a retry could help. */
export const failPending = (timeline: Timeline, clientMessageId: string, error: string, retryable: boolean): Timeline =>
  updatePending(timeline, clientMessageId, (p) => ({ ...p, state: 'failed', error, retryable }));

/** Marks a failed message as being sent again (same clientMessageId, so never stored twice). */
export const retryPending = (timeline: Timeline, clientMessageId: string): Timeline =>
  updatePending(timeline, clientMessageId, ({ error: _error, retryable: _retryable, ...p }) => ({ ...p, state: 'sending' }));

/** Forgets a pending message the user gave up on. */
export const discardPending = (timeline: Timeline, clientMessageId: string): Timeline => ({
  ...timeline,
  pending: timeline.pending.filter((p) => p.clientMessageId !== clientMessageId),
});

/**
 * Turns a pending message into the stored one from the `sendMessage` ack.
 * A resent message is acknowledged with `duplicate: true` and no new
 * `message` frame, so the ack is all the client may get.
 */
export function confirmPending(
  timeline: Timeline,
  ack: { readonly clientMessageId: string; readonly messageId: string; readonly createdAt: string },
): Timeline {
  const pending = timeline.pending.find((p) => p.clientMessageId === ack.clientMessageId);
  if (!pending) return timeline;
  return mergeMessages(timeline, [
    {
      roomId: pending.roomId,
      messageId: ack.messageId,
      senderId: pending.senderId,
      senderName: pending.senderName,
      senderType: 'human',
      text: pending.text,
      clientMessageId: pending.clientMessageId,
      createdAt: ack.createdAt,
    },
  ]);
}

/**
 * Replaces a message after moderation (or any later change); adds it when
 * unseen, and brings back one removed before (a moderator released it).
 */
export function updateMessage(timeline: Timeline, message: ChatMessage): Timeline {
  if (!timeline.removed.has(message.messageId)) return mergeMessages(timeline, [message]);
  const removed = new Set(timeline.removed);
  removed.delete(message.messageId);
  return mergeMessages({ ...timeline, removed }, [message]);
}

/** Takes away a message the user may no longer see. */
export function removeMessage(timeline: Timeline, messageId: string): Timeline {
  const removed = new Set(timeline.removed).add(messageId);
  return { ...timeline, removed, messages: timeline.messages.filter((m) => m.messageId !== messageId) };
}

/** Adds a chunk of a streaming agent reply. Chunks may arrive out of order or twice. */
export function applyAgentDelta(
  timeline: Timeline,
  delta: { readonly replyId: string; readonly agent: AgentRef; readonly text: string; readonly seq: number },
): Timeline {
  if (timeline.finishedReplies.has(delta.replyId)) return timeline;
  if (timeline.messages.some((m) => m.messageId === delta.replyId)) return timeline;
  const existing = timeline.replies.find((r) => r.replyId === delta.replyId);
  if (existing?.chunks.some(([seq]) => seq === delta.seq)) return timeline;
  const chunks = [...(existing?.chunks ?? []), [delta.seq, delta.text] as const].sort((a, b) => a[0] - b[0]);
  const reply: LiveReply = {
    replyId: delta.replyId,
    agent: existing?.agent ?? agentName(delta.agent),
    chunks,
    text: chunks.map(([, text]) => text).join(''),
  };
  return {
    ...timeline,
    replies: existing
      ? timeline.replies.map((r) => (r.replyId === delta.replyId ? reply : r))
      : [...timeline.replies, reply],
  };
}

/** Replaces a streaming reply with its stored message. */
export function applyAgentDone(
  timeline: Timeline,
  done: { readonly replyId: string; readonly message: ChatMessage; readonly incomplete?: boolean },
): Timeline {
  const message = done.incomplete ? { ...done.message, incomplete: true } : done.message;
  const merged = mergeMessages(timeline, [message]);
  const finishedReplies = new Set(merged.finishedReplies).add(done.replyId);
  return { ...merged, finishedReplies, replies: merged.replies.filter((r) => r.replyId !== done.replyId) };
}

/** One row of the rendered timeline; `key` is stable across updates. */
export type TimelineItem =
  | { readonly kind: 'message'; readonly key: string; readonly message: ChatMessage }
  | { readonly kind: 'reply'; readonly key: string; readonly reply: LiveReply }
  | { readonly kind: 'pending'; readonly key: string; readonly pending: PendingMessage };

/**
 * Rows in display order: stored messages, with the messages that failed to
 * send among them at the time they were written (they are going nowhere, so
 * they must not sit below, and hide, what others write after them); then
 * replies streaming; then messages being sent.
 */
export function timelineItems(timeline: Timeline): TimelineItem[] {
  const pendingItem = (pending: PendingMessage) => ({ kind: 'pending' as const, key: `p:${pending.clientMessageId}`, pending });
  const failed = timeline.pending.filter((p) => p.state === 'failed').sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const items: TimelineItem[] = [];
  let next = 0;
  for (const message of timeline.messages) {
    while (next < failed.length && (failed[next] as PendingMessage).createdAt < message.createdAt) items.push(pendingItem(failed[next++] as PendingMessage));
    items.push({ kind: 'message', key: `m:${message.messageId}`, message });
  }
  items.push(...failed.slice(next).map(pendingItem));
  items.push(...timeline.replies.map((reply) => ({ kind: 'reply' as const, key: `r:${reply.replyId}`, reply })));
  items.push(...timeline.pending.filter((p) => p.state === 'sending').map(pendingItem));
  return items;
}
