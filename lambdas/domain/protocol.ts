import * as z from 'zod/mini';
import { ROLES, ROOM_MODES, VISIBILITIES } from './types';
import { moderationRequestSchemas } from './moderation/requests';
import type { Message, ModeratedMessage } from './message';
import type { Membership, Room } from './types';
import { agentRequestSchemas, type AgentFrame } from './agents/protocol';
import { retentionRequestSchemas } from './retention/protocol';
import { peopleRequestSchemas, type PeopleFrame } from './people/protocol';
import { roomRequestSchemas, type RoomListFrame } from './room-protocol';
import { presenceRequestSchemas, type PresenceFrame } from './presence/protocol';
import { documentRequestSchemas } from './knowledge/protocol';
import type { DocumentFrame } from './knowledge/documents';
import { gameRequestSchemas, type GameFrame } from './games/protocol';
import { id, messageId, pageCursor, requestId, visibleString, wireString } from './protocol-fields';

/**
 * The wire protocol: what clients send (requests, one per action) and what
 * Parley sends back (frames). docs/protocol.md describes it with examples.
 *
 * Schemas use zod's mini build: the classic build adds ~450 KB to every
 * Lambda bundle, the mini one ~15 KB.
 */

const cursor = pageCursor(1024);
/** How many items a listing returns at most; a page also stops at its byte budget (frame-budget.ts). */
const pageLimit = (max: number, fallback: number) => z._default(z.int().check(z.minimum(1), z.maximum(max)), fallback);

const base = { requestId };
const inRoom = { ...base, roomId: id };
const grantableRole = z.enum(ROLES.filter((r) => r !== 'owner') as ['moderator', 'member', 'guest']);

export const requestSchemas = {
  createRoom: z.object({
    ...base,
    name: visibleString(100),
    visibility: z._default(z.enum(VISIBILITIES), 'public'),
    /** What the room is for, fixed once made: `chat` (default), `imposter` or `dialogue` (games/modes.ts). */
    mode: z._default(z.enum(ROOM_MODES), 'chat'),
  }),
  listRooms: z.object({ ...base, cursor, limit: pageLimit(100, 50) }),
  joinRoom: z.object(inRoom),
  leaveRoom: z.object(inRoom),
  inviteMember: z.object({ ...inRoom, userId: id, role: z._default(grantableRole, 'member') }),
  setRole: z.object({ ...inRoom, userId: id, role: z.enum(ROLES) }),
  removeMember: z.object({ ...inRoom, userId: id }),
  listMembers: z.object({ ...inRoom, cursor, limit: pageLimit(100, 100) }),
  sendMessage: z.object({
    ...inRoom,
    clientMessageId: wireString().check(z.minLength(1), z.maxLength(64)),
    // The byte limit is configurable and checked by the use case; this bound
    // only stops absurd payloads before any work is done.
    text: wireString().check(z.minLength(1), z.maxLength(131_072)),
  }),
  /** The sender replaces the text of their own message (edit window, moderation: editMessage). */
  editMessage: z.object({
    ...inRoom,
    messageId,
    // As sendMessage: the configurable byte limit is the use case's.
    text: wireString().check(z.minLength(1), z.maxLength(131_072)),
  }),
  getHistory: z.object({
    ...inRoom,
    cursor,
    limit: z._default(z.int().check(z.minimum(1), z.maximum(100)), 50),
    direction: z._default(z.enum(['backward', 'forward']), 'backward'),
  }),
  ...moderationRequestSchemas,
  /**
   * Changes the caller's display name in every room they belong to. The
   * use case applies the display-name rule (length, no control characters);
   * this bound only stops absurd payloads.
   */
  updateProfile: z.object({ ...base, displayName: wireString().check(z.trim(), z.minLength(1), z.maxLength(256)) }),
  /** The room's rolling summary (room memory); any member may ask. */
  getSummary: z.object(inRoom),
  ...agentRequestSchemas,
  ...retentionRequestSchemas,
  ...peopleRequestSchemas,
  ...roomRequestSchemas,
  ...presenceRequestSchemas,
  ...documentRequestSchemas,
  ...gameRequestSchemas,
  /**
   * Proves the socket alive and keeps it past API Gateway's idle timeout:
   * answered by the $default function from the request alone, with no table read.
   */
  ping: z.object(base),
} as const;

export type Action = keyof typeof requestSchemas;
export type RequestOf<A extends Action> = z.output<(typeof requestSchemas)[A]>;
/** What a client sends for an action: fields with a default may be left out. */
export type RequestInputOf<A extends Action> = z.input<(typeof requestSchemas)[A]>;

export const isAction = (value: unknown): value is Action =>
  typeof value === 'string' && Object.hasOwn(requestSchemas, value);

/**
 * How a user's requests for an action are admitted:
 * - `read`: changes nothing; only the stage's throttle bounds it.
 * - `change`: takes a token from the user's action budget at the edge
 *   (lambdas/shared/ws-action.ts) before the use case runs, so a refused
 *   request changes nothing.
 * - `own`: its use case spends a budget of its own (sendMessage: the
 *   message rate), so sending and managing never starve each other.
 *
 * Every action is listed: a new action does not compile until it is classed.
 */
export type Admission = 'read' | 'change' | 'own';

export const ACTION_ADMISSION: { readonly [A in Action]: Admission } = {
  createRoom: 'change',
  listRooms: 'read',
  joinRoom: 'change',
  leaveRoom: 'change',
  inviteMember: 'change',
  setRole: 'change',
  removeMember: 'change',
  listMembers: 'read',
  sendMessage: 'own',
  getHistory: 'read',
  hideMessage: 'change',
  unhideMessage: 'change',
  releaseMessage: 'change',
  deleteMessage: 'change',
  getOriginalMessage: 'read',
  getModerationSettings: 'read',
  setModerationSettings: 'change',
  getAuditLog: 'read',
  listHeldMessages: 'read',
  updateProfile: 'change',
  getSummary: 'read',
  addAgent: 'change',
  updateAgent: 'change',
  listAgents: 'read',
  removeAgent: 'change',
  stopAgentReply: 'change',
  regenerateAgentReply: 'change',
  setRetention: 'change',
  getRetention: 'read',
  getArchive: 'read',
  whoami: 'read',
  findUsers: 'read',
  listInvitations: 'read',
  listRoomInvitations: 'read',
  acceptInvitation: 'change',
  declineInvitation: 'change',
  revokeInvitation: 'change',
  updateRoom: 'change',
  deleteRoom: 'change',
  transferOwnership: 'change',
  banMember: 'change',
  unbanMember: 'change',
  listBans: 'read',
  getRoom: 'read',
  searchRooms: 'read',
  editMessage: 'change',
  // Typing has a tighter limit of its own, per person and room (presence/send-typing.ts).
  typing: 'own',
  markRead: 'change',
  getReadState: 'read',
  requestDocumentUpload: 'change',
  listDocuments: 'read',
  deleteDocument: 'change',
  getDocumentPassage: 'read',
  startRound: 'change',
  // A round line is a message of the game: it spends the sender's message budget in its use case.
  sendRoundLine: 'own',
  castVote: 'change',
  getRound: 'read',
  getLeaderboard: 'read',
  listScenarios: 'read',
  uploadScenario: 'change',
  startDialogue: 'change',
  takeDialogueTurn: 'change',
  endDialogue: 'change',
  getDialogue: 'read',
  // Costs no table request; the stage's throttle bounds it like any read.
  ping: 'read',
};

/** True for actions that spend the user's action budget at the edge. */
export const spendsActionBudget = (action: string): boolean =>
  isAction(action) && ACTION_ADMISSION[action] === 'change';

/** Frames sent to clients. */
export type Frame =
  | { type: 'ack'; action: string; requestId?: string; data: unknown }
  | { type: 'error'; code: string; message: string; requestId?: string; action?: string }
  | { type: 'message'; roomId: string; message: Message }
  /** A message the client has changed (moderated, redacted, hidden, released): replace it by messageId. */
  | { type: 'messageUpdated'; roomId: string; message: Message }
  /** A message the client may no longer show (hidden, quarantined or deleted): remove it. */
  | { type: 'messageRemoved'; roomId: string; messageId: string }
  | { type: 'roomEvent'; roomId: string; event: RoomEvent }
  /** A room of the user's list changed or left it (room-protocol.ts). */
  | RoomListFrame
  /** Agents' streamed replies, notices and configuration changes (see agents/protocol.ts). */
  | AgentFrame
  /** Invitations and rooms added, sent to every connection of the person concerned (see people/protocol.ts). */
  | PeopleFrame
  /** Presence, typing and read state (see presence/protocol.ts). */
  | PresenceFrame
  /** A document's status, to owners and moderators; a document deleted (see knowledge/documents.ts). */
  | DocumentFrame
  /** Imposter rounds and guided dialogues (see games/protocol.ts). */
  | GameFrame;

/**
 * A message as a client receives it, on a frame or a history page: with its
 * moderation fields once moderation has seen it (messages stored before
 * moderation existed have none).
 */
export type WireMessage = Message & Partial<Omit<ModeratedMessage, keyof Message>>;

type WithWireMessage<F> = F extends { message: Message } ? F & { message: WireMessage } : F;

/** Every frame as a client reads it: `Frame`, with each message it carries typed as a `WireMessage`. */
export type ReceivedFrame = WithWireMessage<Frame>;

export type RoomEvent =
  | { kind: 'memberJoined'; member: Membership }
  | { kind: 'memberLeft'; userId: string }
  | { kind: 'memberRemoved'; userId: string; by: string }
  | { kind: 'roleChanged'; member: Membership; by: string }
  /** A member chose a new display name (messages already sent keep the old one). */
  | { kind: 'memberRenamed'; member: Membership }
  | { kind: 'roomCreated'; room: Room };
