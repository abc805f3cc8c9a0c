import type { DeliveryReport } from '../delivery';
import type { PageQuery } from '../ports';
import type { Page } from '../types';
import type { AgentFrame } from './protocol';
import type { CircuitState } from './circuit-breaker';
import type { ToolRound, ToolSpec } from './tools';
import type { AgentConfig } from './config';
import type { AgentJob } from './job';
import type { AgentMessage, AgentReplyMeta } from './reply';
import type { HistoryEntry, Prompt } from './prompt';

/**
 * Ports of the agents feature. Adapters implement them on DynamoDB, SQS and
 * Bedrock (lambdas/adapters); tests implement them with fakes.
 */

/** A room's agents: `ROOM#<roomId>` / `AGENT#<handle>` items of the rooms table. */
export interface AgentRepository {
  /**
   * Stores a new agent and counts it on its room, in one atomic write (the
   * count tells sendMessage that the room has agents); throws ConflictError
   * when the handle is taken in the room.
   */
  createAgent(agent: AgentConfig): Promise<void>;
  /** Replaces an existing agent; throws NotFoundError when there is none. */
  replaceAgent(agent: AgentConfig): Promise<void>;
  getAgent(roomId: string, handle: string): Promise<AgentConfig | undefined>;
  /** Every agent of a room, for code that needs them all (dispatch, moderation). */
  listAgents(roomId: string): Promise<AgentConfig[]>;
  /** Up to `limit` agents in handle order, after `cursor` (cursors.ts: agentCursor). */
  pageAgents(roomId: string, page: PageQuery): Promise<Page<AgentConfig>>;
  /** Deletes an agent and counts it out of its room, atomically; resolves false when there was no such agent. */
  deleteAgent(roomId: string, handle: string): Promise<boolean>;
}

/** The messages an agent reads and writes. */
export interface AgentMessageStore {
  /**
   * Up to `limit` messages of the room ending with `upToMessageId`
   * (inclusive), oldest first, holding only text that passed moderation.
   */
  recentMessages(roomId: string, upToMessageId: string, limit: number): Promise<HistoryEntry[]>;
  /** True when the agent has already answered this message (that attempt of it; the first by default). */
  hasReplied(roomId: string, handle: string, triggerMessageId: string, attempt?: number): Promise<boolean>;
  /**
   * Stores an agent's reply once per (agent, message answered, attempt); resolves
   * false, storing nothing, when that reply already exists. `expiresAt`
   * (epoch seconds) is when the table's TTL removes it; absent, it is kept.
   */
  saveReply(message: AgentMessage, expiresAt?: number): Promise<boolean>;
  /**
   * The stored reply to a message, without its text, or undefined when the
   * agent has not answered it (or the reply is gone). Read only when a job
   * finds its message answered already.
   */
  storedReply(roomId: string, handle: string, triggerMessageId: string, attempt?: number): Promise<StoredReply | undefined>;
  /**
   * A stored agent reply by its message id, without its text; undefined
   * when there is no such message or it is not an agent's reply.
   */
  replyById(roomId: string, messageId: string): Promise<StoredReply | undefined>;
}

/** What is kept of a stored reply's facts: its id, when it was made and its metadata. */
export interface StoredReply {
  readonly messageId: string;
  readonly createdAt: string;
  readonly agent: AgentReplyMeta;
}

/** Per-agent, per-room, per-day token usage. */
export interface TokenLedger {
  used(roomId: string, handle: string, day: string): Promise<number>;
  /** Adds atomically; concurrent additions are never lost. */
  add(roomId: string, handle: string, day: string, tokens: number): Promise<void>;
  /** True only for the first caller of the day: the budget notice is posted once. */
  claimBudgetNotice(roomId: string, handle: string, day: string): Promise<boolean>;
}

/**
 * The room's floor for unprompted speech: one agent at a time, each holding
 * it until `untilMs` (its minimum quiet interval).
 */
export interface AmbientFloor {
  /**
   * Takes the floor when it is free or its holder's time is over. Taking it
   * again for the same message succeeds, so a retried dispatch is not refused.
   */
  tryTake(roomId: string, claim: { handle: string; messageId: string; nowMs: number; untilMs: number }): Promise<boolean>;
}

/** The agents' job queue. */
export interface AgentJobQueue {
  /** Enqueues jobs; throws unless every one was accepted. */
  enqueue(jobs: readonly AgentJob[]): Promise<void>;
  /** Moves a job that cannot be done to the dead-letter queue, with the reason. */
  deadLetter(job: AgentJob, failure: { reason: string; error: string; attempts: number }): Promise<void>;
}

export interface ModelUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export type ModelEvent =
  | { readonly type: 'delta'; readonly text: string }
  /** The model asks for a tool; its stop reason is then `tool_use`. `input` is parsed JSON, or the raw text when it was not JSON. */
  | { readonly type: 'toolUse'; readonly toolUseId: string; readonly name: string; readonly input: unknown }
  | { readonly type: 'done'; readonly stopReason: string; readonly usage?: ModelUsage };

/** The stop reason of a model that asks for tools. */
export const TOOL_USE_STOP = 'tool_use';

/** A tool as the model is told of it: an agent's tool, or one a feature defines (the dialogues' structured answers). */
export type ModelToolSpec = Omit<ToolSpec, 'name'> & { readonly name: string };

export interface ModelRequest {
  readonly modelId: string;
  readonly prompt: Prompt;
  readonly temperature: number;
  readonly maxOutputTokens: number;
  /** Tools the model may ask for; absent or empty, none. */
  readonly tools?: readonly ModelToolSpec[];
  /**
   * Makes the model call the named tool (one of `tools`) instead of
   * choosing: for answers that must come as a tool's structured input.
   * Absent, the model decides.
   */
  readonly toolChoice?: { readonly tool: string };
  /**
   * Earlier tool rounds of this reply, after the prompt's turns: each an
   * assistant turn (its text and tool calls) and a user turn (the results).
   */
  readonly toolRounds?: readonly ToolRound[];
}

/** A chat model that streams its reply. */
export interface ModelClient {
  /**
   * Starts a reply and yields its text as it is generated, then `done`.
   * Throws ModelUnavailableError when the model cannot be reached or
   * refuses before the first event, and ModelStreamError when the stream
   * breaks later.
   */
  stream(request: ModelRequest): AsyncIterable<ModelEvent>;
}

/** A model's circuit as stored, with the version that a conditional write must still find. */
export interface StoredCircuit {
  readonly circuit: CircuitState;
  /** 0 when the model has no stored circuit (closed, never failed). */
  readonly version: number;
}

/** Each model's circuit breaker (circuit-breaker.ts), shared by every worker instance. */
export interface ModelCircuitStore {
  read(modelId: string): Promise<StoredCircuit>;
  /**
   * Stores `next` as version `expected.version + 1` only if the stored
   * version is still `expected.version`; resolves false, writing nothing,
   * when another worker changed the circuit first.
   */
  write(modelId: string, next: CircuitState, expected: StoredCircuit): Promise<boolean>;
}

/** Reads a secret's current value, such as a model endpoint's API key (Secrets Manager in production). */
export interface SecretReader {
  /** Throws when the secret cannot be read (missing, no access, throttled). */
  read(secretId: string): Promise<string>;
}

/**
 * How an agent frame went out: the report of the posts made by the caller,
 * or, in a large room, `sharded`: the connections it was handed to the
 * fan-out workers for, whose posts (and failures) those workers report.
 */
export interface FeedDelivery extends DeliveryReport {
  readonly sharded?: number;
}

/** Sends agent frames to everyone in a room (deliverToRoomConnections in production). */
export interface RoomFeed {
  /**
   * Resolves with how the posts went: `recipients` is the number of posts
   * made (one per live connection); failed posts are reported, not thrown.
   * In a room above the fan-out threshold nothing is posted here: the
   * frame is enqueued in shards (`sharded`), and throws if it cannot be.
   */
  publish(roomId: string, frame: AgentFrame): Promise<FeedDelivery>;
}
