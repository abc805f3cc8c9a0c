import type { AgentRef, AgentTrigger } from '../../lambdas/domain/agents/protocol';
import type { AgentConfig } from '../../lambdas/domain/agents/config';
import type { AgentReplyMeta } from '../../lambdas/domain/agents/reply';
import type {
  Action,
  ReceivedFrame,
  RequestInputOf,
  RequestOf,
  RoomEvent,
  WireMessage,
} from '../../lambdas/domain/protocol';
import type { Membership, Page, Role, Room } from '../../lambdas/domain/types';
import type { RoomRemovedReason } from '../../lambdas/domain/room-protocol';
import type { AgentSummary } from '../../lambdas/use-cases/agents/manage-agents';
import type { ListedRoom } from '../../lambdas/use-cases/list-rooms';
import type { RoomSummaryView } from '../../lambdas/use-cases/memory/get-room-summary';
import { t } from './i18n';

/**
 * The wire protocol as the browser client sees it (docs/protocol.md). Every
 * shape is the server's own: frames and requests from its protocol modules,
 * answers from the use cases that return them. `import type` only, so
 * nothing from the server is bundled.
 */

export type { AgentRef, AgentTrigger, ListedRoom, Membership, Role, Room, RoomEvent };
export type { RoomRemovedReason };

/** A frame from Parley. */
export type ServerFrame = ReceivedFrame;
export type FrameType = ServerFrame['type'];
export type FrameOf<T extends FrameType> = Extract<ServerFrame, { type: T }>;

/**
 * A message on screen: as Parley sent it, plus whether its agent reply was
 * cut off (from agentDone); an agent's reply carries its facts (`agent`),
 * `stopped` among them when someone stopped it.
 */
export type ChatMessage = WireMessage & { readonly incomplete?: boolean; readonly agent?: Partial<AgentReplyMeta> };

/** What a moderator may do to a message. */
export type ModeratorAction = Extract<Action, 'hideMessage' | 'unhideMessage' | 'releaseMessage' | 'deleteMessage'>;

/** The room's rolling summary (room memory), as `getSummary` returns it. */
export type RoomSummary = RoomSummaryView;

/**
 * An agent of a room as `listAgents` returns it: every member sees its
 * summary; owners and moderators get its whole configuration.
 */
export type AgentInfo = AgentSummary | AgentConfig;

/** What a room manager sets when adding an agent; Parley fills in the rest. */
export type AgentSettingsInput = RequestInputOf<'addAgent'>['agent'];
/** Changes to an agent's settings. */
export type AgentChangesInput = RequestInputOf<'updateAgent'>['changes'];

/** A page of history, oldest first; `nextCursor` leads further in the page's direction. */
export type HistoryPage = Page<WireMessage> & { readonly roomId: string };

/** A `getHistory` request with every field spelled out (the connection adds the requestId). */
export type HistoryRequest = Omit<RequestOf<'getHistory'>, 'requestId'>;

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
  agentThinking: (f) => isString(f['roomId']) && isString(f['messageId']),
  agentChanged: (f) => isString(f['roomId']) && isString(f['change']) && f['agent'] !== undefined,
  invitation: (f) =>
    isObject(f['invitation']) && isString(f['invitation']['roomId']) && isString(f['invitation']['roomName']),
  invitationRevoked: (f) => isString(f['roomId']),
  invitationDeclined: (f) => isString(f['roomId']),
  roomAdded: (f) =>
    isObject(f['room']) && isString(f['room']['roomId']) && isObject(f['membership']) && isString(f['membership']['role']),
  roomUpdated: (f) => isObject(f['room']) && isString(f['room']['roomId']) && isString(f['room']['name']),
  roomRemoved: (f) => isString(f['roomId']) && isString(f['reason']),
  presence: (f) => isString(f['roomId']) && isString(f['userId']) && typeof f['online'] === 'boolean',
  typing: (f) =>
    isString(f['roomId']) && isString(f['userId']) && isString(f['displayName']) && typeof f['expiresInMs'] === 'number',
  readState: (f) => isString(f['roomId']) && isString(f['messageId']),
  documentStatus: (f) =>
    isString(f['roomId']) && isString(f['documentId']) && isString(f['name']) && isString(f['status']) && typeof f['version'] === 'number',
  documentDeleted: (f) => isString(f['roomId']) && isString(f['documentId']),
  roundStarted: (f) => isString(f['roomId']) && isObject(f['round']) && isString(f['round']['roundId']),
  roundLine: (f) => isString(f['roomId']) && isObject(f['line']) && isString(f['line']['text']) && typeof f['line']['seat'] === 'number',
  roundVote: (f) => isString(f['roomId']) && isString(f['roundId']) && typeof f['votes'] === 'number',
  roundEnded: (f) => isString(f['roomId']) && isObject(f['round']) && isObject(f['reveal']) && Array.isArray(f['scores']),
  dialogueStarted: (f) => isString(f['roomId']) && isObject(f['dialogue']) && isString(f['dialogue']['dialogueId']),
  dialogueProgressed: (f) => isString(f['roomId']) && isObject(f['dialogue']) && isObject(f['turn']),
  dialogueResolved: (f) => isString(f['roomId']) && isObject(f['dialogue']) && isObject(f['outcome']),
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

/** An agent as a frame names it; parseFrame does not check its shape, so a bare string is tolerated. */
type LooseAgentRef = AgentRef | string | undefined;

/** The display name of an agent reference. */
export const agentName = (agent: LooseAgentRef): string =>
  typeof agent === 'string' ? agent : (agent?.displayName ?? agent?.handle ?? t().timeline.agent);

/** The handle of an agent reference. */
export const agentHandle = (agent: LooseAgentRef): string | undefined =>
  typeof agent === 'string' ? agent : agent?.handle;
