import { agentHandle, agentName, type AgentRef } from './protocol';
import type { AgentAtWork, Timeline } from './timeline';

/**
 * What the reader did to agents' replies, by reply id: a stop asked and
 * under way, or refused with Parley's reason (shown on the reply itself),
 * and the reply whose text was last copied. Pure: the controls keep one and
 * render from it.
 */
export interface AgentReplyMarks {
  readonly stopping: ReadonlySet<string>;
  readonly errors: ReadonlyMap<string, string>;
  readonly copied?: string;
}

export const NO_MARKS: AgentReplyMarks = { stopping: new Set(), errors: new Map() };

const without = <K, V>(map: ReadonlyMap<K, V>, key: K): Map<K, V> => {
  const next = new Map(map);
  next.delete(key);
  return next;
};

/** A stop was asked: the reply shows it stopping, and any earlier refusal goes. */
export const stopAsked = (marks: AgentReplyMarks, replyId: string): AgentReplyMarks => ({
  ...marks,
  stopping: new Set(marks.stopping).add(replyId),
  errors: without(marks.errors, replyId),
});

/** Parley refused the stop: the reply shows why, and Stop can be pressed again. */
export const stopRefused = (marks: AgentReplyMarks, replyId: string, reason: string): AgentReplyMarks => {
  const stopping = new Set(marks.stopping);
  stopping.delete(replyId);
  return { ...marks, stopping, errors: new Map(marks.errors).set(replyId, reason) };
};

/** Copying the reply's text failed: said on the reply. */
export const copyFailed = (marks: AgentReplyMarks, replyId: string, reason: string): AgentReplyMarks => ({
  ...marks,
  errors: new Map(marks.errors).set(replyId, reason),
});

/** Parley refused another answer: the reply shows why. */
export const regenerateRefused = (marks: AgentReplyMarks, replyId: string, reason: string): AgentReplyMarks => ({
  ...marks,
  errors: new Map(marks.errors).set(replyId, reason),
});

/** Another answer is asked for: any earlier refusal on the reply goes. */
export const regenerateAsked = (marks: AgentReplyMarks, replyId: string): AgentReplyMarks => ({
  ...marks,
  errors: without(marks.errors, replyId),
});

/** The reply's text was copied: said beside it, until another one is. */
export const copied = (marks: AgentReplyMarks, replyId: string): AgentReplyMarks => ({ ...marks, copied: replyId });

/** What a reply's controls depend on, so a row is rebuilt only when it changes. */
export const marksSignature = (marks: AgentReplyMarks, replyId: string): string =>
  [marks.stopping.has(replyId) ? 'stopping' : '', marks.errors.get(replyId) ?? '', marks.copied === replyId ? 'copied' : ''].join('|');

const withoutAgent = (thinking: ReadonlyMap<string, readonly AgentAtWork[]>, handle: string, messageId?: string) => {
  const next = new Map<string, readonly AgentAtWork[]>();
  for (const [id, agents] of thinking) {
    const left = messageId === undefined || id === messageId ? agents.filter((a) => a.handle !== handle) : agents;
    if (left.length > 0) next.set(id, left);
  }
  return next;
};

/**
 * An agent took a message: "thinking" shows on it until its first words,
 * its end or a notice. Announced again with a `status`, it shows what the
 * agent does (a tool it uses); announced again without, it is thinking again.
 */
export function agentThinking(
  timeline: Timeline,
  frame: { readonly messageId: string; readonly agent: AgentRef; readonly status?: string },
): Timeline {
  const handle = agentHandle(frame.agent) ?? agentName(frame.agent);
  const thinking = timeline.thinking ?? new Map<string, readonly AgentAtWork[]>();
  const agents = thinking.get(frame.messageId) ?? [];
  const atWork: AgentAtWork = { handle, name: agentName(frame.agent), ...(frame.status !== undefined ? { status: frame.status } : {}) };
  const known = agents.find((a) => a.handle === handle);
  if (known && known.status === atWork.status) return timeline;
  const next = known ? agents.map((a) => (a.handle === handle ? atWork : a)) : [...agents, atWork];
  return { ...timeline, thinking: new Map(thinking).set(frame.messageId, next) };
}

/**
 * The agent's first words (or its end) arrived: it is no longer thinking.
 * A part does not say which message it answers; an agent answers one
 * message of a room at a time, so its handle is enough.
 */
export function agentAnswering(timeline: Timeline, agent: AgentRef | string | undefined, messageId?: string): Timeline {
  const handle = agentHandle(agent);
  if (timeline.thinking === undefined || handle === undefined) return timeline;
  return { ...timeline, thinking: withoutAgent(timeline.thinking, handle, messageId) };
}

/** An agent's notice about a message: it stops thinking there, and the notice shows on that message. */
export function agentNoticed(
  timeline: Timeline,
  notice: { readonly messageId: string; readonly agent?: AgentRef; readonly text: string },
): Timeline {
  const answered = agentAnswering(timeline, notice.agent, notice.messageId);
  const notes = answered.agentNotes ?? new Map<string, readonly string[]>();
  return { ...answered, agentNotes: new Map(notes).set(notice.messageId, [...(notes.get(notice.messageId) ?? []), notice.text]) };
}
