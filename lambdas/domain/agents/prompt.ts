import type { SenderType } from '../message';
import { compactTime, spokenTime, timeStamp } from '../time';
import type { AgentConfig } from './config';
import type { RecalledMemory } from './memory';

/** A message of the room's history as the prompt shows it (moderated text only). */
export interface HistoryEntry {
  readonly messageId: string;
  readonly senderId: string;
  readonly senderName: string;
  readonly senderType: SenderType;
  readonly text: string;
  /** When it was sent (ISO 8601, UTC), shown on its line so the model can answer "when". */
  readonly createdAt: string;
  /** For agent messages: the agent that wrote it. */
  readonly agentHandle?: string;
}

export interface PromptTurn {
  readonly role: 'user' | 'assistant';
  readonly text: string;
}

/** What the model receives: a system prompt and alternating turns, starting and ending with `user`. */
export interface Prompt {
  readonly system: string;
  readonly turns: PromptTurn[];
  /** Estimated input tokens of the whole prompt. */
  readonly estimatedTokens: number;
  /** History messages that made it into the prompt. */
  readonly includedMessageIds: string[];
  readonly trimmed: { readonly messages: number; readonly passages: number; readonly summary: boolean };
}

export interface PromptInput {
  readonly agent: Pick<
    AgentConfig,
    'handle' | 'displayName' | 'systemPrompt' | 'persona' | 'maxPromptTokens'
  >;
  readonly roomName?: string;
  /** The present (epoch ms), stated in the system part so "yesterday" and "last week" mean something. */
  readonly now: number;
  /** Chronological; the last entry is the message being answered. */
  readonly history: readonly HistoryEntry[];
  readonly memory?: RecalledMemory;
}

/**
 * A rough token count: about four characters per token for English text,
 * plus a little per turn for the model's own framing. It only has to be
 * conservative enough to keep prompts inside the budget; the model reports
 * the real count afterwards.
 */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);
const TURN_OVERHEAD = 4;

/** Share of the budget history may take before memory has had its turn. */
const HISTORY_SHARE_WITH_MEMORY = 0.75;

const speakerLabel = (entry: HistoryEntry, self: string): string | undefined => {
  if (entry.senderType === 'agent') {
    return entry.agentHandle === self ? undefined : `[agent @${entry.agentHandle ?? '?'} – ${entry.senderName}]`;
  }
  if (entry.senderType === 'system') return '[Parley]';
  return `[${entry.senderName}]`;
};

/**
 * A message as a line of the prompt. People's and other agents' lines start
 * with their time; the agent's own turns do not, since a model imitates its
 * own earlier turns and would start its replies with a time stamp.
 */
const lineOf = (entry: HistoryEntry, self: string): { role: PromptTurn['role']; text: string } => {
  const label = speakerLabel(entry, self);
  return label === undefined
    ? { role: 'assistant', text: entry.text }
    : { role: 'user', text: `${timeStamp(entry.createdAt)}${label} ${entry.text}` };
};

const truncate = (text: string, maxTokens: number): string =>
  estimateTokens(text) <= maxTokens ? text : `${text.slice(0, Math.max(0, maxTokens * 4 - 1))}…`;

/**
 * Builds an agent's prompt from its system prompt and persona, the room's
 * recent messages (speakers labelled, other agents marked as agents, its own
 * messages as its turns) and, when given, the room's summary and recalled
 * passages, within `maxPromptTokens`:
 *
 * 1. the system part and the message being answered always stay (that
 *    message is shortened if it alone would not fit);
 * 2. history is added newest first, up to three quarters of what is left
 *    when there is memory to show, all of it otherwise;
 * 3. the summary, then passages best first, take what they fit in;
 * 4. older history takes any room memory left unused.
 *
 * Consecutive turns of the same role are merged, and leading assistant
 * turns dropped, so turns alternate and start with a user turn as
 * Bedrock's Converse API requires.
 */
export function buildPrompt(input: PromptInput): Prompt {
  const { agent } = input;
  const budget = agent.maxPromptTokens;
  const base = [
    agent.systemPrompt.trim(),
    agent.persona.trim() !== '' ? `Persona: ${agent.persona.trim()}` : '',
    `You are @${agent.handle} (${agent.displayName}) in the chat room${input.roomName ? ` "${input.roomName}"` : ''}. ` +
      'Each message you see starts with when it was sent (UTC) and its speaker in brackets; ' +
      'other AI agents are marked "agent". Reply with your message only, without a time or speaker label.',
    `Now: ${spokenTime(input.now)} (${compactTime(input.now)}).`,
  ]
    .filter((part) => part !== '')
    .join('\n\n');

  const trigger = input.history.at(-1);
  let used = estimateTokens(base) + TURN_OVERHEAD;
  const lines: Array<{ entry: HistoryEntry; role: PromptTurn['role']; text: string }> = [];
  if (trigger) {
    const line = lineOf(trigger, agent.handle);
    const text = truncate(line.text, Math.max(1, Math.floor((budget - used) / 2)));
    lines.push({ entry: trigger, role: line.role, text });
    used += estimateTokens(text) + TURN_OVERHEAD;
  }

  const older = input.history.slice(0, -1).reverse();
  let nextOlder = 0;
  const addHistory = (limit: number) => {
    while (nextOlder < older.length) {
      const entry = older[nextOlder] as HistoryEntry;
      const line = lineOf(entry, agent.handle);
      const cost = estimateTokens(line.text) + TURN_OVERHEAD;
      if (used + cost > limit) return;
      lines.unshift({ entry, ...line });
      used += cost;
      nextOlder += 1;
    }
  };

  const memory = input.memory;
  const hasMemory = memory !== undefined && (memory.summary !== undefined || memory.passages.length > 0);
  addHistory(hasMemory ? used + Math.floor((budget - used) * HISTORY_SHARE_WITH_MEMORY) : budget);

  const memoryParts: string[] = [];
  let summaryDropped = false;
  let passagesDropped = 0;
  if (hasMemory) {
    const header = 'What the room said earlier (from its memory; may be incomplete):';
    used += estimateTokens(header);
    if (memory.summary) {
      const part = `Summary: ${memory.summary.text}`;
      if (used + estimateTokens(part) <= budget) {
        memoryParts.push(part);
        used += estimateTokens(part);
      } else summaryDropped = true;
    }
    for (const passage of [...memory.passages].sort((a, b) => b.score - a.score)) {
      const part = `- ${passage.text}`;
      if (used + estimateTokens(part) <= budget) {
        memoryParts.push(part);
        used += estimateTokens(part);
      } else passagesDropped += 1;
    }
    if (memoryParts.length > 0) memoryParts.unshift(header);
    else used -= estimateTokens(header);
    addHistory(budget);
  }

  // Merge into alternating turns that start with a user turn.
  const turns: PromptTurn[] = [];
  for (const line of lines) {
    const last = turns.at(-1);
    if (last && last.role === line.role) turns[turns.length - 1] = { role: last.role, text: `${last.text}\n${line.text}` };
    else if (turns.length > 0 || line.role === 'user') turns.push({ role: line.role, text: line.text });
  }

  const system = memoryParts.length > 0 ? `${base}\n\n${memoryParts.join('\n')}` : base;
  return {
    system,
    turns,
    estimatedTokens: used,
    includedMessageIds: lines.map((line) => line.entry.messageId),
    trimmed: { messages: older.length - nextOlder, passages: passagesDropped, summary: summaryDropped },
  };
}
