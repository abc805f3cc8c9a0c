import type { Message } from '../message';

/** What an agent's stored reply carries besides the message itself. */
export interface AgentReplyMeta {
  readonly handle: string;
  readonly modelId: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** From the start of the model call to the stored reply. */
  readonly latencyMs: number;
  readonly replyDepth: number;
  readonly triggerMessageId: string;
  /** True when the stream broke and this is the part that arrived. */
  readonly incomplete?: boolean;
  /** True when someone stopped the reply (stopAgentReply) and this is the part streamed until then. */
  readonly stopped?: boolean;
  /** Which answer to the message this is, when regenerated (2, 3…); absent for the first. */
  readonly attempt?: number;
}

/** An agent's message, as stored and as sent to clients on `agentDone`. */
export type AgentMessage = Message & { readonly agent: AgentReplyMeta };
