import type { FinalModerationState, Mention, ModeratedMessage } from './message';
import type { Connection, Invitation, Membership, Page, Room, RoomConnection } from './types';

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
  putInvitation(invitation: Invitation): Promise<void>;
  getInvitation(roomId: string, userId: string): Promise<Invitation | undefined>;
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
