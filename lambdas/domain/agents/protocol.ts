import * as z from 'zod/mini';
import type { ToolStatus } from './tool-names';
import type { AgentRef } from './config';
import { agentChangesSchema, agentSettingsSchema } from './config';
import { boundedString, id as roomId, requestId } from '../protocol-fields';
import type { AgentMessage } from './reply';

export type { AgentRef, AgentTrigger } from './config';

/**
 * The agents' part of the wire protocol: the actions room managers use to
 * configure agents, and the frames agents send to a room.
 */
const handle = boundedString(1, 33);

export const agentRequestSchemas = {
  addAgent: z.object({ requestId, roomId, agent: agentSettingsSchema }),
  updateAgent: z.object({ requestId, roomId, handle, changes: agentChangesSchema }),
  listAgents: z.object({
    requestId,
    roomId,
    cursor: z.optional(z.string().check(z.maxLength(64))),
    limit: z._default(z.int().check(z.minimum(1), z.maximum(50)), 50),
  }),
  removeAgent: z.object({ requestId, roomId, handle }),
  /** Stops a reply while it streams; `messageId` is the reply's (the `replyId` of its frames). */
  stopAgentReply: z.object({ requestId, roomId, messageId: boundedString(1, 64) }),
  /** Asks the agent for another answer to the message a stored reply answered; `messageId` is the reply's. */
  regenerateAgentReply: z.object({ requestId, roomId, messageId: boundedString(1, 64) }),
} as const;

export type AgentAction = keyof typeof agentRequestSchemas;
export type AgentRequestOf<A extends AgentAction> = z.output<(typeof agentRequestSchemas)[A]>;

/** Notice codes: what the room is told when an agent does not answer normally. */
export type AgentNoticeCode =
  | 'AGENT_UNAVAILABLE'
  | 'AGENT_BUDGET_EXHAUSTED'
  | 'AGENT_REPLY_INCOMPLETE'
  | 'AGENT_EMPTY_REPLY'
  | 'AGENT_REPLY_STOPPED';

/** Frames agents send to everyone in a room. */
export type AgentFrame =
  /** Part of a reply being generated; `seq` orders the parts of one reply (0, 1, 2…). */
  | { type: 'agentDelta'; roomId: string; replyId: string; agent: AgentRef; text: string; seq: number }
  /** The reply is complete (or `incomplete`, or `stopped` on request) and stored; `message.messageId` is the `replyId`. */
  | { type: 'agentDone'; roomId: string; replyId: string; message: AgentMessage; incomplete?: boolean; stopped?: boolean }
  /**
   * An agent took a message and is about to answer it: shown on that message
   * until the reply's first part, its end, or a notice about the same message.
   */
  | {
      type: 'agentThinking';
      roomId: string;
      messageId: string;
      agent: AgentRef;
      /** What the agent does now, while it uses a tool (tools.ts TOOL_STATUS); absent, it is thinking. */
      status?: ToolStatus;
    }
  /**
   * Something the room should know, such as an agent being unavailable; an
   * agent's notice names the message it concerns (`messageId`) and the agent.
   */
  | { type: 'notice'; roomId: string; text: string; code: AgentNoticeCode | (string & {}); messageId?: string; agent?: AgentRef }
  /** A room manager added, changed or removed an agent. */
  | { type: 'agentChanged'; roomId: string; change: 'added' | 'updated' | 'removed'; agent: AgentRef; by: string };
