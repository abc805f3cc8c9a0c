/** Roles in a room, strongest first. Guests read but do not post. */
export const ROLES = ['owner', 'moderator', 'member', 'guest'] as const;
export type Role = (typeof ROLES)[number];

export const VISIBILITIES = ['public', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/**
 * Whether people without an account may enter a public room through the
 * embeddable widget (guests.ts): not at all, to read, or to read and post.
 */
export const GUEST_ACCESS = ['off', 'read', 'post'] as const;
export type GuestAccess = (typeof GUEST_ACCESS)[number];

/**
 * What a room is for, chosen at creation and shown to everyone before they
 * join: open chat, the imposter game (a hidden AI plays among the people,
 * games/imposter.ts), or guided dialogues with AI characters
 * (games/dialogue.ts).
 */
export const ROOM_MODES = ['chat', 'imposter', 'dialogue'] as const;
export type RoomMode = (typeof ROOM_MODES)[number];

/** Who a caller is, as the $connect authorizer established it. */
export interface Identity {
  readonly userId: string;
  readonly displayName: string;
}

export interface Room {
  readonly roomId: string;
  readonly name: string;
  readonly visibility: Visibility;
  readonly ownerId: string;
  readonly createdAt: string;
  /** What the room is for (roomModeOf); absent means `chat`, as for every room made before modes. */
  readonly mode?: RoomMode;
  /** What the room is about (room-settings.ts bounds it); absent when none was set. */
  readonly topic?: string;
  /**
   * Whether a non-member may read a public room's recent messages before
   * joining (getRoom); absent means ROOM_PREVIEW_DEFAULT.
   */
  readonly preview?: boolean;
  /**
   * Whether `message.posted` domain events carry the message's text
   * (docs/events.md); absent means ROOM_SHARE_TEXT_IN_EVENTS_DEFAULT (no).
   */
  readonly shareMessageTextInEvents?: boolean;
  /**
   * When the owner last turned shareMessageTextInEvents on: only messages
   * posted since then carry their text (one posted before keeps it private
   * even when its event is published after the change).
   */
  readonly shareMessageTextInEventsSince?: string;
  /** Whether guests may enter (guests.ts: guestAccessOf); absent means `off`. Only a public room lets them in. */
  readonly guestAccess?: GuestAccess;
  /** When the room was deleted: a deleted room keeps only this tombstone, and its id is never reused. */
  readonly deletedAt?: string;
}

export interface Membership {
  readonly roomId: string;
  readonly userId: string;
  readonly displayName: string;
  readonly role: Role;
  readonly joinedAt: string;
  /** A guest's membership lapses with the guest's token (ISO-8601); a member's never does. */
  readonly expiresAt?: string;
}

export interface Invitation {
  readonly roomId: string;
  readonly userId: string;
  readonly role: Exclude<Role, 'owner'>;
  readonly invitedBy: string;
  readonly invitedAt: string;
  /** The inviter's and invitee's display names and the room's name when it was sent, so a list of invitations needs no other read. */
  readonly invitedByName: string;
  readonly inviteeName: string;
  readonly roomName: string;
  /** The room's mode (absent for chat, like Room.mode), so the invitee learns it and its notice (games/modes.ts) before accepting. */
  readonly roomMode?: RoomMode;
  /** ISO-8601; after it the invitation is refused and not listed (people/invitation.ts). */
  readonly expiresAt: string;
}

/** A user kept out of a room until unbanned: they cannot join, be invited or post. */
export interface Ban {
  readonly roomId: string;
  readonly userId: string;
  readonly bannedBy: string;
  readonly bannedAt: string;
  /** Why, as the moderator wrote it; shown to moderators only. */
  readonly reason?: string;
  /** The banned person's display name when banned, if they had a profile. */
  readonly userName?: string;
}

export interface Connection {
  readonly connectionId: string;
  readonly userId: string;
  readonly displayName: string;
  readonly connectedAt: string;
}

/** A live connection subscribed to a room's messages. */
export interface RoomConnection {
  readonly connectionId: string;
  readonly userId: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Opaque cursor for the next page, absent on the last one. */
  readonly nextCursor?: string;
}
