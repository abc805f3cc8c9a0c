import type { RoomEvent } from '../../lambdas/domain/protocol';
import type { Message } from '../../lambdas/domain/message';
import type { Membership, Role, Room } from '../../lambdas/domain/types';

/**
 * The wire protocol as the browser client sees it (docs/protocol.md). Shapes
 * come from the server's own domain types (`import type` only: nothing from
 * the server is bundled), plus the frames and fields that the agents and
 * moderation features add, which the client renders as soon as they arrive.
 */

export type { Membership, Role, Room, RoomEvent };

/** Where a message is in moderation; absent on servers without moderation. */
export type Moderation = 'pending' | 'allowed' | 'redacted' | 'quarantined' | 'blocked';

export interface ChatMessage extends Message {
  readonly moderation?: Moderation;
  /** True when moderation replaced parts of the text. */
  readonly redacted?: boolean;
  /** Set while a moderator hides the message (then only its sender and moderators receive it). */
  readonly hidden?: { readonly by: string; readonly at: string };
  /** Set on an agent reply that stopped before it was finished. */
  readonly incomplete?: boolean;
}

/** What a moderator may do to a message. */
export type ModeratorAction = 'hideMessage' | 'unhideMessage' | 'releaseMessage' | 'deleteMessage';

/** The room's rolling summary (room memory), as `getSummary` returns it. */
export interface RoomSummary {
  readonly text: string;
  readonly fromMessageId: string;
  readonly toMessageId: string;
  readonly createdAt: string;
}

/** A room as `listRooms` returns it: the caller's role when a member. */
export interface ListedRoom extends Room {
  readonly role?: Role;
}

/** An agent as frames name it: its handle and display name (a bare string is tolerated). */
export type AgentRef = string | { readonly handle?: string; readonly displayName?: string };

export type AgentTrigger =
  | { readonly mode: 'mention' }
  | { readonly mode: 'everyMessage' }
  | { readonly mode: 'ambient'; readonly probability?: number; readonly minQuietSeconds?: number };

/**
 * An agent of a room as `listAgents` returns it: every member sees these
 * fields; owners and moderators also get the rest of its configuration.
 */
export interface AgentInfo {
  readonly handle: string;
  readonly displayName: string;
  readonly modelId: string;
  readonly trigger: AgentTrigger;
  readonly useMemory: boolean;
  readonly systemPrompt?: string;
  readonly persona?: string;
}

export type ServerFrame =
  | { type: 'ack'; action: string; requestId?: string; data: unknown }
  | { type: 'error'; code: string; message: string; requestId?: string; action?: string }
  | { type: 'message'; roomId: string; message: ChatMessage }
  | { type: 'roomEvent'; roomId: string; event: RoomEvent }
  | { type: 'messageUpdated'; roomId: string; message: ChatMessage }
  /** A message this user may no longer see (hidden, quarantined or deleted). */
  | { type: 'messageRemoved'; roomId: string; messageId: string }
  | { type: 'agentDelta'; roomId: string; replyId: string; agent: AgentRef; text: string; seq: number }
  | { type: 'agentDone'; roomId: string; replyId: string; message: ChatMessage; incomplete?: boolean }
  | { type: 'notice'; roomId: string; text: string; code: string }
  | { type: 'agentChanged'; roomId: string; change: 'added' | 'updated' | 'removed'; agent: AgentRef; by: string };

export type FrameType = ServerFrame['type'];
export type FrameOf<T extends FrameType> = Extract<ServerFrame, { type: T }>;

/** A page of history, oldest first; `nextCursor` leads further in the page's direction. */
export interface HistoryPage {
  readonly roomId: string;
  readonly items: ChatMessage[];
  readonly nextCursor?: string;
}

export interface HistoryRequest {
  readonly roomId: string;
  readonly limit: number;
  readonly direction: 'backward' | 'forward';
  readonly cursor?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isString = (value: unknown): value is string => typeof value === 'string';

/** True for objects shaped enough like a message to render safely. */
export const isChatMessage = (value: unknown): value is ChatMessage =>
  isObject(value) &&
  isString(value['messageId']) &&
  isString(value['roomId']) &&
  isString(value['senderId']) &&
  isString(value['text']) &&
  isString(value['createdAt']);

/** What each frame type must carry before the client acts on it. */
const FRAME_SHAPES: { readonly [T in FrameType]: (f: Record<string, unknown>) => boolean } = {
  ack: (f) => isString(f['action']),
  error: (f) => isString(f['code']) && isString(f['message']),
  message: (f) => isString(f['roomId']) && isChatMessage(f['message']),
  roomEvent: (f) => isString(f['roomId']) && isObject(f['event']) && isString(f['event']['kind']),
  messageUpdated: (f) => isString(f['roomId']) && isChatMessage(f['message']),
  messageRemoved: (f) => isString(f['roomId']) && isString(f['messageId']),
  agentDelta: (f) =>
    isString(f['roomId']) && isString(f['replyId']) && isString(f['text']) && typeof f['seq'] === 'number',
  agentDone: (f) => isString(f['roomId']) && isString(f['replyId']) && isChatMessage(f['message']),
  notice: (f) => isString(f['roomId']) && isString(f['text']),
  agentChanged: (f) => isString(f['roomId']) && isString(f['change']) && f['agent'] !== undefined,
};

/**
 * Parses a text frame from Parley. Returns undefined for anything that is
 * not a frame this client knows, so a newer server never breaks an older
 * client: unknown frames are ignored.
 */
export function parseFrame(text: string): ServerFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !isString(value['type'])) return undefined;
  const type = value['type'];
  if (!Object.hasOwn(FRAME_SHAPES, type)) return undefined;
  return FRAME_SHAPES[type as FrameType](value) ? (value as ServerFrame) : undefined;
}

/** The display name of an agent reference. */
export const agentName = (agent: AgentRef | undefined): string =>
  typeof agent === 'string' ? agent : (agent?.displayName ?? agent?.handle ?? 'Agent');

/** The handle of an agent reference. */
export const agentHandle = (agent: AgentRef | undefined): string | undefined =>
  typeof agent === 'string' ? agent : agent?.handle;
