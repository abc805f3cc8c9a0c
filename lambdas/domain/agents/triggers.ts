import { isAuthoredMessage, type Mention, type SenderType } from '../message';
import type { AgentConfig } from './config';
import type { ReplyReason } from './job';

/**
 * An agent reply may itself be answered by another agent only when it
 * mentions that agent and that agent answers agents (`answersAgents`, off by
 * default), and a chain of such replies stops here: a message at this depth
 * (three agent replies after the person who started it) is answered by
 * nobody.
 */
export const MAX_REPLY_DEPTH = 3;

/** A stored, moderated message as the dispatcher sees it. */
export interface DispatchedMessage {
  readonly roomId: string;
  readonly messageId: string;
  readonly senderId: string;
  readonly senderType: SenderType;
  readonly text: string;
  /** For agent messages: the agent that wrote it. */
  readonly agentHandle?: string;
  /** For agent messages: agent replies in the chain up to and including this one. */
  readonly replyDepth?: number;
  /**
   * The mentions stored on the message when it was sent (domain/mentions.ts);
   * absent on messages stored without them (agents' replies, older
   * messages), whose text is read for `@handle`s instead.
   */
  readonly mentions?: readonly Mention[];
}

export interface ReplyDecision {
  readonly agent: AgentConfig;
  readonly reason: ReplyReason;
  /** The depth of the reply the agent will write. */
  readonly replyDepth: number;
}

export interface Decisions {
  /** Agents that answer for certain (mentioned, or answering every message). */
  readonly replies: ReplyDecision[];
  /** At most one agent that would speak unprompted, if the room's floor is free. */
  readonly ambient?: ReplyDecision;
}

// `@handle` at the start or after a character that cannot be part of a word
// or an e-mail address, so `bob@assistant.io` mentions nobody.
const MENTION = /(?:^|[^\w@.])@([a-z][a-z0-9_-]{0,31})/gi;

/** The handles mentioned in a text, lower-case, without `@`. */
export function mentionedHandles(text: string): Set<string> {
  const handles = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    handles.add((match[1] as string).toLowerCase().replace(/[-_]+$/, ''));
  }
  return handles;
}

/** The text with its mentions removed (what precedes each `@handle` is kept). */
export const withoutMentions = (text: string): string =>
  text.replace(MENTION, (match) => match.slice(0, match.indexOf('@'))).replace(/\s+/g, ' ').trim();

/**
 * Which of a room's agents answer a message. People's messages reach agents
 * that are mentioned or answer every message; one ambient agent may be
 * offered the floor, with its probability. An agent's message reaches only
 * the other agents it mentions by handle that answer agents, never its
 * author, and nobody once the chain is `maxReplyDepth` long: by default a
 * question gets one answer per mentioned agent and per agent answering
 * every message, however their replies address each other.
 */
export function decideReplies(
  message: DispatchedMessage,
  agents: readonly AgentConfig[],
  options: { random: () => number; maxReplyDepth?: number },
): Decisions {
  const maxDepth = options.maxReplyDepth ?? MAX_REPLY_DEPTH;
  const mentioned = message.mentions
    ? new Set(message.mentions.filter((m) => m.kind === 'agent').map((m) => m.id))
    : mentionedHandles(message.text);

  if (message.senderType === 'agent') {
    const depth = message.replyDepth ?? maxDepth;
    if (depth >= maxDepth) return { replies: [] };
    const replies = agents
      .filter((agent) => agent.answersAgents && agent.handle !== message.agentHandle && mentioned.has(agent.handle))
      .map((agent): ReplyDecision => ({ agent, reason: 'mention', replyDepth: depth + 1 }));
    return { replies };
  }
  if (!isAuthoredMessage(message.senderType)) return { replies: [] };

  const replies: ReplyDecision[] = [];
  const ambientCandidates: AgentConfig[] = [];
  for (const agent of agents) {
    if (mentioned.has(agent.handle)) replies.push({ agent, reason: 'mention', replyDepth: 1 });
    else if (agent.trigger.mode === 'everyMessage') replies.push({ agent, reason: 'everyMessage', replyDepth: 1 });
    else if (agent.trigger.mode === 'ambient' && options.random() < agent.trigger.probability) {
      ambientCandidates.push(agent);
    }
  }
  // Someone is already answering: nobody chimes in unprompted on top of that.
  if (replies.length > 0 || ambientCandidates.length === 0) return { replies };
  const chosen = ambientCandidates[Math.floor(options.random() * ambientCandidates.length)] as AgentConfig;
  return { replies, ambient: { agent: chosen, reason: 'ambient', replyDepth: 1 } };
}
