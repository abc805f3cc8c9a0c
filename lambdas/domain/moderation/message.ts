import type { Message, Role } from '../types';

/**
 * A message's moderation state. sendMessage moderates a person's message and
 * stores it in its final state; an agent's reply is stored `pending` (it was
 * streamed as written) and the moderation consumer moves it once to a final
 * state; moderators may later release a quarantined message. Messages stored before moderation existed have no
 * state and count as `allowed`.
 */
export const MODERATION_STATES = ['pending', 'allowed', 'redacted', 'quarantined', 'blocked'] as const;
export type ModerationState = (typeof MODERATION_STATES)[number];
export type FinalModerationState = Exclude<ModerationState, 'pending'>;

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

/** Visible to every member: moderated, not withheld and not hidden. */
export const isPublic = (message: ModerationInfo): boolean =>
  (message.moderation === 'allowed' || message.moderation === 'redacted') && message.hidden === undefined;

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

/** The message as `viewer` may receive it, or undefined when it is not for them. */
export function viewFor(message: ModeratedMessage, viewer: Viewer): ModeratedMessage | undefined {
  return canSee(message, viewer) ? message : undefined;
}

/** A message with its moderation state; one stored before moderation existed is allowed. */
export const asModerated = (message: Message): ModeratedMessage =>
  'moderation' in message && typeof (message as ModeratedMessage).moderation === 'string'
    ? (message as ModeratedMessage)
    : { ...message, moderation: 'allowed' };
