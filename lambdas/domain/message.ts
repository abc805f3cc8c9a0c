import type { Role } from './types';
import type { Citation } from './knowledge/citations';

/**
 * The message: what it holds, its moderation states, who may see it, and the
 * one rule that decides which text agents and memory may read. Every other
 * part of Parley (the item mapping, the stream consumers, the CDK stream
 * filters) takes these from here.
 */

/**
 * Who wrote a message: a person, an agent, Parley itself (notices), or an
 * integration (an API key posting through the HTTP API for its owner's room).
 */
export const SENDER_TYPES = ['human', 'agent', 'system', 'integration'] as const;
export type SenderType = (typeof SENDER_TYPES)[number];

/**
 * Whether a message was written from outside Parley, by a person or by an
 * integration acting for a room's owner: sendMessage moderates both before
 * storing, the moderation consumer audits both, and agents answer both
 * alike. Agents' replies and Parley's notices are not.
 */
export const isAuthoredMessage = (senderType: SenderType): boolean => senderType === 'human' || senderType === 'integration';

export interface Message {
  readonly roomId: string;
  /** Time-sortable unique id; see `createIdGenerator`. */
  readonly messageId: string;
  readonly senderId: string;
  readonly senderName: string;
  readonly senderType: SenderType;
  readonly text: string;
  readonly clientMessageId?: string;
  readonly createdAt: string;
  /**
   * Set (only) when the message's room had at least one agent when it was
   * stored: a person's message stamped by sendMessage from the room's agent
   * count, an agent's reply always. The agents' dispatcher is invoked for
   * such messages only (its stream filter requires the flag); absent
   * otherwise, so a room without agents pays nothing for it.
   */
  readonly agents?: true;
  /**
   * When its sender last edited it (editMessage); absent for a message never
   * edited. Clients show it as "(edited)".
   */
  readonly editedAt?: string;
  /**
   * Whom its text mentions by `@handle`, resolved when it was sent or edited
   * (see domain/mentions.ts), so clients and agents do not parse the text
   * again. Absent when it mentions nobody.
   */
  readonly mentions?: readonly Mention[];
  /**
   * An agent's reply only: the documents' passages its text cites by number
   * ("[1]"), in number order, bounded (knowledge/citations.ts, `citedIn`).
   * Absent when it cites none.
   */
  readonly citations?: readonly Citation[];
}

/** A room's member or agent a message names by `@handle`: a member by user id, an agent by its handle. */
export interface Mention {
  readonly kind: 'member' | 'agent';
  readonly id: string;
}

/**
 * A message's moderation state. sendMessage moderates a person's message and
 * stores it in its final state; an agent's reply is stored `pending` (it was
 * streamed as written) and the moderation consumer moves it once to a final
 * state; moderators may later release a quarantined message.
 */
export const MODERATION_STATES = ['pending', 'allowed', 'redacted', 'quarantined', 'blocked'] as const;
export type ModerationState = (typeof MODERATION_STATES)[number];
export type FinalModerationState = Exclude<ModerationState, 'pending'>;
export const FINAL_MODERATION_STATES = MODERATION_STATES.filter(
  (state): state is FinalModerationState => state !== 'pending',
);

/**
 * The states whose text every member may read: a redacted message carries
 * only its redacted text (moderation keeps the original elsewhere). Agents and
 * memory take text in these states only, and the messages stream's filters
 * (lib/message-stream-filters.ts) are built from this list.
 */
export const READABLE_STATES = ['allowed', 'redacted'] as const satisfies readonly FinalModerationState[];
export type ReadableState = (typeof READABLE_STATES)[number];

export interface ModerationInfo {
  readonly moderation: ModerationState;
  /** Moderation's decision (at send, or by the consumer for an agent reply), which later moderator actions do not change. */
  readonly decision?: FinalModerationState;
  /** Codes of what the checks found, e.g. `pii.email`; never the matched text. */
  readonly reasons?: readonly string[];
  readonly moderatedAt?: string;
  /** True when moderation replaced parts of the text (the original may be kept for moderators). */
  readonly redacted?: boolean;
  /** Set while a moderator hides the message. */
  readonly hidden?: { readonly by: string; readonly at: string };
  /** The moderator who released it from quarantine. */
  readonly releasedBy?: string;
}

export type ModeratedMessage = Message & ModerationInfo;

/**
 * The readability rule: moderated as allowed or redacted, and not hidden by a
 * moderator. Only such text reaches an agent's prompt or room memory.
 */
export const isReadable = (message: ModerationInfo): boolean =>
  (READABLE_STATES as readonly string[]).includes(message.moderation) && message.hidden === undefined;

/** Visible to every member: exactly the readable messages. */
export const isPublic = (message: ModerationInfo): boolean => isReadable(message);

/** Who is looking: the viewer's user id and whether the viewer moderates the room. */
export interface Viewer {
  readonly userId: string;
  readonly moderator: boolean;
}

export const isModeratorRole = (role: Role): boolean => role === 'owner' || role === 'moderator';

export const viewerOf = (membership: { userId: string; role: Role }): Viewer => ({
  userId: membership.userId,
  moderator: isModeratorRole(membership.role),
});

/**
 * Who may see a message. Pending: only its sender (it is not yet checked).
 * Public: everyone. Quarantined, blocked or hidden: its sender and the room's
 * moderators, who see it flagged.
 */
export function canSee(message: ModeratedMessage, viewer: Viewer): boolean {
  if (message.moderation === 'pending') return viewer.userId === message.senderId;
  if (isPublic(message)) return true;
  return viewer.moderator || viewer.userId === message.senderId;
}

/** A change to a stored message, as the messages table's stream reports it. */
export interface MessageChange {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** The stream record's sequence number: increasing for the changes of one item. */
  readonly sequence: string;
  /** The message before the change; absent for an insert, or when the item is not a message. */
  readonly before?: ModeratedMessage;
  /** The message after the change; absent for a removal, or when the item is not a message. */
  readonly after?: ModeratedMessage;
}
