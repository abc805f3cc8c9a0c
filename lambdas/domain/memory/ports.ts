import type {
  MemoryChunk,
  MemoryPolicy,
  RememberedMessage,
  RoomSummaryRecord,
  SequencedMessage,
  SummaryLine,
} from './types';

/**
 * What remembering a change did. `roomSeq` is how many messages the room has
 * remembered afterwards (the last sequence number given out).
 */
export type RememberOutcome =
  /** Newly remembered as message `seq`. */
  | { readonly status: 'remembered'; readonly seq: number; readonly roomSeq: number }
  /** Already remembered; its text changed (a later redaction) and was replaced. */
  | { readonly status: 'revised'; readonly seq: number; readonly roomSeq: number }
  /** This change, or a later one of the same message, was applied before: nothing changed. */
  | { readonly status: 'unchanged'; readonly seq?: number; readonly roomSeq: number };

export type ForgetOutcome =
  /** The message was remembered as `seq` and is now forgotten. */
  | { readonly status: 'forgotten'; readonly seq: number; readonly roomSeq: number }
  /** It was never remembered, or this change was applied before: only a tombstone is kept. */
  | { readonly status: 'unchanged'; readonly roomSeq: number };

/**
 * Where room memory keeps its windows and summaries. Every write is
 * idempotent per stream record: a change carries its stream sequence number,
 * and a change of a message older than (or equal to) the last one applied to
 * that message changes nothing.
 */
export interface MemoryStore {
  /**
   * Remembers a message in the room's open window (placing it with
   * `placeMessage`), or replaces its text when already remembered.
   */
  remember(message: RememberedMessage, sequence: string, policy: MemoryPolicy): Promise<RememberOutcome>;
  /** Removes a message from its window and keeps a tombstone so a replayed earlier change cannot bring it back. */
  forget(roomId: string, messageId: string, sequence: string): Promise<ForgetOutcome>;
  /** The room's most recent windows, newest first, at most `limit`. */
  recentChunks(roomId: string, limit: number): Promise<MemoryChunk[]>;
  /** Remembered messages with `fromSeq <= seq <= toSeq`, in order. */
  messagesBetween(roomId: string, fromSeq: number, toSeq: number, policy: MemoryPolicy): Promise<SequencedMessage[]>;
  /** The latest summary, or the latest through at most `atMostSeq`. */
  latestSummary(roomId: string, atMostSeq?: number): Promise<RoomSummaryRecord | undefined>;
  /** Stores a summary unless one through the same message exists; true when stored. */
  saveSummary(summary: RoomSummaryRecord): Promise<boolean>;
  /** Deletes the summaries through `fromSeq` or later; returns how many. */
  discardSummariesFrom(roomId: string, fromSeq: number): Promise<number>;
}

export interface SummaryInput {
  /** The summary this one rolls forward, if any. */
  readonly previous?: RoomSummaryRecord;
  /** The messages since, in order. */
  readonly messages: readonly SequencedMessage[];
}

export interface SummaryDraft {
  readonly text: string;
  /** The quoted lines, when the summary is extractive. */
  readonly lines?: SummaryLine[];
  /** `extractive`, or `bedrock:<model id>`. */
  readonly producedBy: string;
}

/**
 * Turns text into an embedding vector for semantic recall (Bedrock Titan in
 * AWS). Optional: without one, recall is lexical only.
 */
export interface Embedder {
  embed(text: string): Promise<number[]>;
}

/** Writes a room's rolling summary: an extractive one offline, a model in AWS. */
export interface Summarizer {
  summarize(input: SummaryInput): Promise<SummaryDraft>;
}
