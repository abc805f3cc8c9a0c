import type { FinalModerationState, ModeratedMessage } from '../message';
import type { Page } from '../types';
import type { ModerationSettings } from './settings';

/**
 * Ports of the moderation feature. Adapters in lambdas/adapters implement
 * them on DynamoDB; tests implement them with plain fakes.
 */

/** What checking a room's message reads, in one request: its saved settings and whether it has agents. */
export interface RoomModeration {
  /** Undefined when the room uses the defaults. */
  readonly settings?: ModerationSettings;
  /** Whether the room has at least one agent (the count the agents' repository keeps beside the settings). */
  readonly hasAgents: boolean;
}

/** A room's moderation settings. */
export interface ModerationSettingsRepository {
  /** The saved settings, or undefined when the room uses the defaults. */
  get(roomId: string): Promise<ModerationSettings | undefined>;
  /** The saved settings and whether the room has agents, from the one item they share. */
  getForCheck(roomId: string): Promise<RoomModeration>;
  put(roomId: string, settings: ModerationSettings, change: { updatedBy: string; updatedAt: string }): Promise<void>;
}

export interface Decision {
  readonly state: FinalModerationState;
  readonly text: string;
  /** Whether `text` differs from what the sender wrote. */
  readonly redacted: boolean;
  readonly reasons: readonly string[];
  readonly decidedAt: string;
}

export type ApplyDecisionResult =
  | { readonly applied: true; readonly message: ModeratedMessage }
  /** Someone decided first (a redelivered record); `current` is the message as stored, absent when deleted. */
  | { readonly applied: false; readonly current?: ModeratedMessage };

/** The moderation side of the messages table. */
export interface ModeratedMessageStore {
  get(roomId: string, messageId: string): Promise<ModeratedMessage | undefined>;
  /** The room's messages of these ids that exist, in no particular order (up to 100 ids). */
  getMany(roomId: string, messageIds: readonly string[]): Promise<ModeratedMessage[]>;
  /** Moves a pending message to its decision, only if it is still pending. */
  applyDecision(roomId: string, messageId: string, decision: Decision): Promise<ApplyDecisionResult>;
  /**
   * Hides (`hidden` given) or unhides (`undefined`) a message. Resolves the
   * updated message, or undefined when the message does not exist or is
   * already in that state.
   */
  setHidden(
    roomId: string,
    messageId: string,
    hidden: { by: string; at: string } | undefined,
  ): Promise<ModeratedMessage | undefined>;
  /** Moves a quarantined message to `to`; undefined when it is not quarantined (any more). */
  release(
    roomId: string,
    messageId: string,
    to: 'allowed' | 'redacted',
    by: string,
  ): Promise<ModeratedMessage | undefined>;
  /** Deletes a message; resolves what was deleted, or undefined when there was nothing. */
  delete(roomId: string, messageId: string): Promise<ModeratedMessage | undefined>;
}

/** A message's place in its room's review queue: which message, and when the place goes. */
export interface HeldMarker {
  readonly roomId: string;
  readonly messageId: string;
  /** The message's own expiry (epoch seconds), so the marker never outlives it; absent when the message has none. */
  readonly expiresAt?: number;
  /**
   * Which write of the marker a reader saw (each `hold` writes a new one),
   * so a clean-up removes only the marker it read; absent on markers
   * written before markers had versions, and on those being written.
   */
  readonly version?: string;
}

/**
 * A room's review queue: one marker per message held for review (see
 * `isHeld`), kept apart from the messages so the queue is read without the
 * history around it. Markers follow the messages' changes (trackHeldMessage);
 * a reader checks each against its message, since a marker may lag behind.
 */
export interface HeldQueue {
  /** Marks a message held; marking it again rewrites the same marker. */
  hold(marker: HeldMarker): Promise<void>;
  /** Removes a message's marker; removing an absent one changes nothing. */
  drop(roomId: string, messageId: string): Promise<void>;
  /**
   * Removes a marker a reader found stale, only if it is still the write
   * the reader saw (its `version`): a message held again since (an unhide)
   * keeps the marker its change wrote. Resolves whether it removed it.
   */
  dropIfUnchanged(marker: HeldMarker): Promise<boolean>;
  /**
   * Up to `limit` markers of the room, oldest message first, after the
   * message whose id is `cursor`; `nextCursor` (a message id) leads on
   * while more may follow. Markers past their expiry are left out.
   */
  page(roomId: string, options: { readonly limit: number; readonly cursor?: string }): Promise<Page<HeldMarker>>;
}

/** The text of a message before moderation changed it, kept for the room's moderators. */
export interface OriginalText {
  readonly roomId: string;
  readonly messageId: string;
  readonly senderId: string;
  readonly text: string;
  /**
   * What members read before the sender's latest edit (editMessage), when the
   * message was edited in a room that keeps originals; `text` is then what
   * the sender wrote in that edit.
   */
  readonly previousText?: string;
  readonly reasons: readonly string[];
  readonly keptAt: string;
}

/** Originals, encrypted at rest and expiring; only moderation code can reach them. */
export interface OriginalTextStore {
  /** Stores an original; storing the same message again overwrites it with the same content. */
  put(original: OriginalText): Promise<void>;
  get(roomId: string, messageId: string): Promise<OriginalText | undefined>;
  delete(roomId: string, messageId: string): Promise<void>;
}

/** The handles of a room's agents, used to tell whether a message addresses one. */
export interface AgentRoster {
  /** Undefined when the roster is unknown; any mention then counts as addressing an agent. */
  handles(roomId: string): Promise<ReadonlySet<string> | undefined>;
}
