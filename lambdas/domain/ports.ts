import type { FinalModerationState, Mention, ModeratedMessage } from './message';
import type { Ban, Connection, Invitation, Membership, Page, Room, RoomConnection } from './types';

/**
 * Ports: what the use cases need from the outside world. Adapters in
 * `lambdas/adapters` implement them on AWS; tests implement them with fakes.
 */

/** Rooms, memberships and invitations. */
export interface RoomRepository {
  /** Stores a new room with its owner's membership, atomically. */
  createRoom(room: Room, owner: Membership): Promise<void>;
  getRoom(roomId: string): Promise<Room | undefined>;
  getMembership(roomId: string, userId: string): Promise<Membership | undefined>;
  /** Stores a membership and consumes any invitation for it, atomically. */
  putMembership(membership: Membership): Promise<void>;
  /**
   * Sets the display name on a membership; resolves undefined (and writes
   * nothing) when the membership no longer exists.
   */
  renameMember(roomId: string, userId: string, displayName: string): Promise<Membership | undefined>;
  /** Removes a membership and what belongs only to it (the member's read mark). */
  deleteMembership(roomId: string, userId: string): Promise<void>;
  /** Every member of a room, for code that needs them all (fan-out by role). */
  listMembers(roomId: string): Promise<Membership[]>;
  /** Up to `limit` members in user id order, after `cursor` (cursors.ts: memberCursor). */
  pageMembers(roomId: string, page: PageQuery): Promise<Page<Membership>>;
  /** Memberships of a user, with their rooms. */
  listRoomsOfUser(userId: string): Promise<Array<{ room: Room; membership: Membership }>>;
  /** Up to `limit` memberships of a user in room id order, after `cursor` (cursors.ts: roomOfUserCursor). */
  pageRoomsOfUser(userId: string, page: PageQuery): Promise<Page<{ room: Room; membership: Membership }>>;
  /** Public rooms, newest first, after `cursor` (cursors.ts: publicRoomCursor). */
  listPublicRooms(limit: number, cursor?: string): Promise<Page<Room>>;
  /** Stores an invitation, replacing any earlier one for the same room and user (a re-invitation renews it). */
  putInvitation(invitation: Invitation): Promise<void>;
  /** The stored invitation, expired or not: callers decide with people/invitation.ts. */
  getInvitation(roomId: string, userId: string): Promise<Invitation | undefined>;
  /** Removes an invitation; resolves false when there was none. */
  deleteInvitation(roomId: string, userId: string): Promise<boolean>;
  /**
   * Up to `limit` invitations of a user in room id order, after `cursor`
   * (people/invitation.ts: invitationCursor), expired ones included.
   */
  pageInvitationsOfUser(userId: string, page: PageQuery): Promise<Page<Invitation>>;
  /** Up to `limit` invitations to a room in invitee id order, after `cursor` (an invitee's user id), expired ones included. */
  pageInvitationsOfRoom(roomId: string, page: PageQuery): Promise<Page<Invitation>>;
  /**
   * Stores a room's new settings (name, topic, visibility, preview) and
   * brings every copy of them in step: the directory and name indexes and
   * the room fields each membership carries. Throws NotFoundError when the
   * room is gone or deleted.
   */
  updateRoom(room: Room): Promise<void>;
  /**
   * Makes `to` the owner and `from` (the owner) a moderator, and the room's
   * ownerId `to`, atomically; ConflictError when either membership changed
   * since it was read. Resolves the room as it now is.
   */
  transferOwnership(roomId: string, from: Membership, to: Membership): Promise<Room>;
  /**
   * Turns the room into a tombstone: it leaves the directory and the name
   * index and answers every later request as deleted, for good. ConflictError
   * when already deleted.
   */
  markDeleted(roomId: string, deletedAt: string): Promise<void>;
  /**
   * Removes what a deleted room still holds (memberships, invitations, bans, agents),
   * in bounded batches; resolves how many items went. The tombstone stays.
   */
  purgeRoom(roomId: string): Promise<number>;
  /** How many members the room has. */
  countMembers(roomId: string): Promise<number>;
  /** Bans a user: stores the ban and removes their membership, read mark and invitation, atomically. */
  banMember(ban: Ban): Promise<void>;
  getBan(roomId: string, userId: string): Promise<Ban | undefined>;
  /** Lifts a ban; resolves false when there was none. */
  deleteBan(roomId: string, userId: string): Promise<boolean>;
  /** Up to `limit` bans in user id order, after `cursor` (a user id). */
  pageBans(roomId: string, page: PageQuery): Promise<Page<Ban>>;
  /**
   * Public rooms whose folded name (room-settings.ts: foldName) starts
   * with the folded `prefix`, in name order, after `cursor` (cursors.ts:
   * roomNameCursor).
   */
  searchPublicRooms(prefix: string, page: PageQuery): Promise<Page<Room>>;
}

/** One page of a listing: at most `limit` items, after the item `cursor` names. */
export interface PageQuery {
  readonly limit: number;
  readonly cursor?: string;
}

export type SaveResult = { stored: true } | { stored: false; existing: ModeratedMessage };

export interface HistoryQuery {
  readonly limit: number;
  /** `backward` pages from newest to oldest; `forward` from a cursor onwards. */
  readonly direction: 'backward' | 'forward';
  readonly cursor?: string;
}

/** A sender's edit of their message, moderated again (see editMessage). */
export interface MessageEdit {
  readonly roomId: string;
  readonly messageId: string;
  /** Only this sender's message is changed. */
  readonly senderId: string;
  /**
   * The `editedAt` the editor read (undefined: never edited). The write
   * happens only if it is still so, so of two concurrent edits one wins and
   * the other is refused rather than silently overwritten.
   */
  readonly previousEditedAt: string | undefined;
  readonly editedAt: string;
  /** The new text as moderation left it (redacted where it found something). */
  readonly text: string;
  readonly moderation: FinalModerationState;
  readonly reasons: readonly string[];
  readonly redacted: boolean;
  readonly mentions: readonly Mention[];
}

/** A room's messages. */
export interface MessageRepository {
  /**
   * Stores a message once per (room, sender, clientMessageId). A retry with
   * the same client id stores nothing and returns the message stored first.
   * `expiresAt` (epoch seconds) is when the table's TTL removes the message;
   * absent, it is kept.
   */
  saveMessage(message: ModeratedMessage & { clientMessageId: string }, expiresAt?: number): Promise<SaveResult>;
  /** A page of the room's messages, always in chronological order, with their moderation. */
  getHistory(roomId: string, query: HistoryQuery): Promise<Page<ModeratedMessage>>;
  /** One message with its moderation, read consistently; undefined when there is none. */
  getMessage(roomId: string, messageId: string): Promise<ModeratedMessage | undefined>;
  /**
   * Applies a sender's edit, only if the message is still theirs, readable
   * and as they read it (`previousEditedAt`). Resolves the message as
   * stored, or undefined when a condition failed (nothing changed).
   */
  editMessage(edit: MessageEdit): Promise<ModeratedMessage | undefined>;
}

/** Live connections and the rooms each one receives. */
export interface ConnectionRepository {
  /** Registers a connection and subscribes it to the given rooms. */
  saveConnection(connection: Connection, roomIds: readonly string[]): Promise<void>;
  getConnection(connectionId: string): Promise<Connection | undefined>;
  /** Removes a connection and all its room subscriptions; a no-op when gone. */
  removeConnection(connectionId: string): Promise<void>;
  /**
   * Removes a connection a post found gone, as removeConnection does, unless
   * it opened at or after `openedBefore` (ISO-8601): its $connect may still be
   * running (delivery.ts: CONNECT_WINDOW_MS). True when it was removed.
   */
  removeGoneConnection(connectionId: string, openedBefore: string): Promise<boolean>;
  /** The connections subscribed to a room, found by key (never a scan). */
  listRoomConnections(roomId: string): Promise<RoomConnection[]>;
  /** Every live connection of a user (all their tabs and devices), found by key. */
  listUserConnections(userId: string): Promise<RoomConnection[]>;
  /** Subscribes every live connection of a user to a room. */
  subscribeUser(roomId: string, userId: string): Promise<void>;
  /** Sets the display name recorded on every live connection of a user. */
  renameUser(userId: string, displayName: string): Promise<void>;
  /** Unsubscribes every live connection of a user from a room. */
  unsubscribeUser(roomId: string, userId: string): Promise<void>;
  /** Unsubscribes every live connection from a room (a deleted room); resolves how many there were. */
  unsubscribeRoom(roomId: string): Promise<number>;
}

export type PostOutcome = 'delivered' | 'gone';

/** Pushes frames to connected clients (the API Gateway management API). */
export interface ConnectionGateway {
  /** Resolves `gone` when the connection no longer exists; throws on other failures. */
  post(connectionId: string, payload: string): Promise<PostOutcome>;
}

/** Per-key admission control. */
export interface RateLimiter {
  /** Takes one token for `key`; resolves false when none is left. */
  tryAcquire(key: string): Promise<boolean>;
}

export interface Clock {
  now(): number;
}
