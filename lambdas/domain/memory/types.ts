import type { SenderType } from '../message';

/**
 * What room memory keeps of a message: only moderated text (allowed, or the
 * redacted version), with its place in the room's remembered sequence.
 */
export interface RememberedMessage {
  readonly roomId: string;
  readonly messageId: string;
  readonly senderName: string;
  readonly senderType: SenderType;
  /**
   * Who sent it (`agent:<handle>` for an agent), so an agent's recall can
   * leave out its own replies. Absent on messages remembered before it was kept.
   */
  readonly senderId?: string;
  readonly text: string;
  readonly createdAt: string;
  /** Its embedding (see `quantize`), present when semantic recall is on. */
  readonly vector?: string;
}

/** A remembered message with its position: the n-th message the room remembered. */
export interface SequencedMessage extends RememberedMessage {
  readonly seq: number;
}

/**
 * A window of consecutive remembered messages, the unit of retrieval. It is
 * named by the sequence number of its first message, so every message has
 * one window for good and a rewrite always lands on the same item.
 */
export interface MemoryChunk {
  readonly roomId: string;
  readonly windowStart: number;
  /** In sequence order. */
  readonly messages: readonly SequencedMessage[];
}

/** One extracted line of a summary, with the message it quotes. */
export interface SummaryLine {
  readonly messageId: string;
  readonly seq: number;
  readonly senderName: string;
  readonly text: string;
  /** When its message was sent, written before the line; absent on lines kept before it was. */
  readonly createdAt?: string;
}

/**
 * A rolling summary of a room through its `throughSeq`-th remembered
 * message. `fromMessageId`/`toMessageId` bound what it covers; `lines` are
 * present when it was extracted (quoting messages), absent when a model
 * wrote it.
 */
export interface RoomSummaryRecord {
  readonly roomId: string;
  readonly text: string;
  readonly fromMessageId: string;
  readonly toMessageId: string;
  /** Sequence numbers of the first and last message it covers. */
  readonly fromSeq: number;
  readonly throughSeq: number;
  readonly lines?: readonly SummaryLine[];
  /** `extractive`, or `bedrock:<model id>`. */
  readonly producedBy: string;
  readonly createdAt: string;
}

/** Where a room's remembering stands: how many messages so far and the window still open. */
export interface MemoryCursor {
  /** Messages remembered so far (the last sequence number given out). */
  readonly seq: number;
  /** The open window's first sequence number, 0 before the first message. */
  readonly windowStart: number;
  readonly windowCount: number;
  readonly windowChars: number;
}

/** How messages are grouped into windows and how often the summary is refreshed. */
export interface MemoryPolicy {
  /** Messages per window (retrieval unit). */
  readonly windowSize: number;
  /** A window also closes once its text reaches this many characters. */
  readonly windowMaxChars: number;
  /** The summary is refreshed after every `summaryEvery` remembered messages. */
  readonly summaryEvery: number;
}

export const DEFAULT_MEMORY_POLICY: MemoryPolicy = {
  windowSize: 8,
  windowMaxChars: 12_000,
  summaryEvery: 20,
};
