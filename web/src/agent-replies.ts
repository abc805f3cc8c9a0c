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

/** The reply's text was copied: said beside it, until another one is. */
export const copied = (marks: AgentReplyMarks, replyId: string): AgentReplyMarks => ({ ...marks, copied: replyId });

/** What a reply's controls depend on, so a row is rebuilt only when it changes. */
export const marksSignature = (marks: AgentReplyMarks, replyId: string): string =>
  [marks.stopping.has(replyId) ? 'stopping' : '', marks.errors.get(replyId) ?? '', marks.copied === replyId ? 'copied' : ''].join('|');
