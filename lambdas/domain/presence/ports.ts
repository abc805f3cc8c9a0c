import type { PresenceState } from './presence';
import type { ReadState } from './read-state';

/** Per-user connection counts and what the user's rooms last heard of them. */
export interface PresenceRepository {
  /**
   * Counts a new connection opened at `connectedAtMs`, atomically, and
   * renews the count's lifetime; an empty or expired count starts again
   * from one. Resolves the state after.
   */
  countConnection(userId: string, connectedAtMs: number, nowMs: number): Promise<PresenceState>;
  /**
   * Uncounts a closed connection opened at `connectedAtMs`, atomically.
   * Resolves undefined (and changes nothing) when the count has nothing to
   * take it from: already zero, or restarted after that connection opened.
   */
  uncountConnection(userId: string, connectedAtMs: number): Promise<PresenceState | undefined>;
  /**
   * Records that `online` was announced, unless the count changed since
   * `version` was read (a later change then decides). True when recorded.
   */
  claimAnnouncement(userId: string, version: number, online: boolean, tat: number): Promise<boolean>;
  /** Which of these users are online at `nowMs`, read by key (up to 100 a request). */
  onlineUsers(userIds: readonly string[], nowMs: number): Promise<Set<string>>;
}

/** Each member's last-read message per room. */
export interface ReadStateRepository {
  /**
   * Moves the member's mark to `messageId` unless it is already there or
   * later. Resolves the mark after: the one given when it moved, the stored
   * one when it did not.
   */
  markRead(userId: string, state: ReadState): Promise<{ moved: boolean; state: ReadState }>;
  /** The member's marks in these rooms (up to 100), read by key; rooms without a mark are left out. */
  readStates(userId: string, roomIds: readonly string[]): Promise<ReadState[]>;
}
