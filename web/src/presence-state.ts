import type { ChatMessage, FrameOf } from './protocol';
import { t } from './i18n';

/**
 * Who is online, who is typing and how far the person has read, as the
 * client keeps them (docs/web.md, "Presence, typing and unread"). Pure: the
 * reducer in state.ts calls these with the frames Parley pushes.
 */

export interface Typist {
  readonly userId: string;
  readonly displayName: string;
  /** When the notice lapses, in the client's clock (ms). */
  readonly until: number;
}

export interface PresenceSlice {
  /** Users known to be online: from listMembers, kept current by presence frames. */
  readonly online: ReadonlySet<string>;
  /** Who is typing, by room; lapsed notices are dropped when read (typistsOf). */
  readonly typing: ReadonlyMap<string, readonly Typist[]>;
  /** The person's last-read message by room, as the server keeps it. */
  readonly lastRead: ReadonlyMap<string, string>;
  /**
   * Whether the server's marks have been read since the client started: until
   * then the client marks nothing, so a room opened early neither hides the
   * mark another tab left nor loses its unread divider.
   */
  readonly marksLoaded: boolean;
}

export const emptyPresence = (): PresenceSlice => ({ online: new Set(), typing: new Map(), lastRead: new Map(), marksLoaded: false });

/** A member's presence changed. */
export function applyPresence(slice: PresenceSlice, frame: Pick<FrameOf<'presence'>, 'userId' | 'online'>): PresenceSlice {
  if (slice.online.has(frame.userId) === frame.online) return slice;
  const online = new Set(slice.online);
  if (frame.online) online.add(frame.userId);
  else online.delete(frame.userId);
  return { ...slice, online };
}

/** The members a listing said were online (the listing is the truth for those it names). */
export function applyListedPresence(
  slice: PresenceSlice,
  members: readonly { readonly userId: string; readonly online?: boolean }[],
): PresenceSlice {
  const online = new Set(slice.online);
  for (const member of members) {
    if (member.online === true) online.add(member.userId);
    else if (member.online === false) online.delete(member.userId);
  }
  return { ...slice, online };
}

/** Someone is typing: their notice is renewed until `nowMs + expiresInMs`. */
export function applyTyping(slice: PresenceSlice, frame: FrameOf<'typing'>, nowMs: number): PresenceSlice {
  const others = (slice.typing.get(frame.roomId) ?? []).filter((t) => t.userId !== frame.userId && t.until > nowMs);
  const typist: Typist = { userId: frame.userId, displayName: frame.displayName, until: nowMs + frame.expiresInMs };
  return { ...slice, typing: new Map(slice.typing).set(frame.roomId, [...others, typist]) };
}

/** A message from someone ends their typing notice in that room. */
export function stopTyping(slice: PresenceSlice, roomId: string, userId: string): PresenceSlice {
  const typists = slice.typing.get(roomId);
  if (!typists?.some((t) => t.userId === userId)) return slice;
  return { ...slice, typing: new Map(slice.typing).set(roomId, typists.filter((t) => t.userId !== userId)) };
}

/** Who is typing in a room at `nowMs`. */
export const typistsOf = (slice: PresenceSlice, roomId: string, nowMs: number): Typist[] =>
  (slice.typing.get(roomId) ?? []).filter((t) => t.until > nowMs);

/** The person read a room up to `messageId` (here or on another tab); a mark never moves back. */
export function applyRead(slice: PresenceSlice, roomId: string, messageId: string): PresenceSlice {
  const current = slice.lastRead.get(roomId);
  if (current !== undefined && current >= messageId) return slice;
  return { ...slice, lastRead: new Map(slice.lastRead).set(roomId, messageId) };
}

/** The typing line's words: "Bob is typing…", "Bob and Carol are typing…", "Several people are typing…". */
export function typingText(typists: readonly Pick<Typist, 'displayName'>[]): string {
  const names = typists.map((t) => t.displayName);
  if (names.length === 0) return '';
  if (names.length === 1) return t().presence.typingOne(names[0]!);
  if (names.length === 2) return t().presence.typingTwo(names[0]!, names[1]!);
  return t().presence.typingMany;
}

/**
 * Messages from others after the last-read mark among the messages the
 * client holds. Exact while the held window reaches back to the mark; when
 * it does not (older messages not loaded), a lower bound, and `atLeast` says so.
 */
export function unreadAfter(
  messages: readonly Pick<ChatMessage, 'messageId' | 'senderId'>[],
  lastRead: string | undefined,
  me: string,
): { readonly count: number; readonly atLeast: boolean } {
  if (lastRead === undefined) return { count: 0, atLeast: false };
  const count = messages.filter((m) => m.messageId > lastRead && m.senderId !== me).length;
  const reachesMark = messages.length === 0 || messages[0]!.messageId <= lastRead;
  return { count, atLeast: !reachesMark };
}

/** The id of the first message after the mark from someone else: where the unread divider goes. */
export function firstUnread(
  messages: readonly Pick<ChatMessage, 'messageId' | 'senderId'>[],
  lastRead: string | undefined,
  me: string,
): string | undefined {
  if (lastRead === undefined) return undefined;
  return messages.find((m) => m.messageId > lastRead && m.senderId !== me)?.messageId;
}
