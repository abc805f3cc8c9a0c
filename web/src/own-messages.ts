import type { ChatMessage } from './protocol';

/**
 * What a reader may do to, and sees of, their own messages and mentions,
 * decided without the DOM. Parley has the last word (the edit window is the
 * deployment's, and a refused edit keeps its text in the editor); the client
 * only leaves out what Parley would certainly refuse.
 */

export interface OwnMessageAbilities {
  /** The reader sent it and every member can read it: a withheld message keeps its text until a moderator acts. */
  readonly canEdit: boolean;
  /** The reader sent it: a sender may delete their message in any state. */
  readonly canDelete: boolean;
}

const NONE: OwnMessageAbilities = { canEdit: false, canDelete: false };

/** The deployment's edit window (config.json) and the time the reader's screen is drawn at. */
export interface EditWindow {
  readonly editWindowSeconds: number;
  readonly nowMs: number;
}

export function ownMessageControls(message: ChatMessage, userId: string, window: EditWindow): OwnMessageAbilities {
  if (message.senderId !== userId || (message.senderType ?? 'human') !== 'human') return NONE;
  const readable =
    (message.moderation === undefined || message.moderation === 'allowed' || message.moderation === 'redacted') &&
    message.hidden === undefined;
  // The same rule as Parley's (domain/message-edits.ts): the window counts from when the message was sent.
  const inWindow = window.nowMs - Date.parse(message.createdAt) <= window.editWindowSeconds * 1000;
  return { canEdit: readable && inWindow, canDelete: true };
}

/** True when the message mentions the reader, by the mentions Parley stored on it (never by parsing its text). */
export const mentionsReader = (message: ChatMessage, userId: string): boolean =>
  message.mentions?.some((mention) => mention.kind === 'member' && mention.id === userId) ?? false;

/**
 * Whether `incoming` is an older copy of an edited message than `current`
 * (a history page read before the edit), which must not bring the old text
 * back. ISO times of one clock compare as strings.
 */
export const isStaleEdit = (current: ChatMessage, incoming: ChatMessage): boolean =>
  current.editedAt !== undefined && (incoming.editedAt === undefined || incoming.editedAt < current.editedAt);
