import { agentAnswering, agentNoticed, agentThinking } from './agent-replies';
import {
  agentHandle,
  type AgentInfo,
  type ChatMessage,
  type FrameOf,
  type FrameType,
  type HistoryPage,
  type ListedRoom,
  type Membership,
  type Role,
  type RoomRemovedReason,
  type RoomSummary,
  type ServerFrame,
} from './protocol';
import type { RoomAccess } from './room-access';
import { t } from './i18n';
import {
  addPending,
  applyAgentDelta,
  applyAgentDone,
  applyCatchUp,
  applyOlderPage,
  awaitsPageFrom,
  confirmPending,
  discardPending,
  emptyTimeline,
  failPending,
  markGap,
  mergeMessages,
  removeMessage,
  retryPending,
  updateMessage,
  type PendingMessage,
  type Timeline,
} from './timeline';
import { listedInvitations, withInvitation, withoutInvitation, type Invitation, type Invitations } from './invitations';
import { applyListedPresence, applyPresence, applyRead, applyTyping, emptyPresence, stopTyping, type PresenceSlice } from './presence-state';

/**
 * The whole client state and the one reducer that changes it, from frames
 * Parley pushes and from the outcomes of the client's own requests. Pure:
 * the view renders whatever state it is given.
 */

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline';

export interface Me {
  readonly userId: string;
  readonly displayName: string;
}

export interface Notice {
  readonly id: number;
  readonly text: string;
  readonly tone: 'info' | 'error';
  readonly roomId?: string;
}

export interface AppState {
  readonly me: Me;
  readonly status: ConnectionStatus;
  readonly rooms: ReadonlyMap<string, ListedRoom>;
  readonly roomsLoaded: boolean;
  readonly activeRoomId?: string;
  readonly timelines: ReadonlyMap<string, Timeline>;
  /** Rooms with a request for older history under way: one at a time per room. */
  readonly loadingOlder: ReadonlySet<string>;
  /** Members by room, once listed; kept current by room events. */
  readonly members: ReadonlyMap<string, readonly Membership[]>;
  /** Agents by room, once listed. */
  readonly agents: ReadonlyMap<string, readonly AgentInfo[]>;
  /**
   * Actions Parley answered with UNKNOWN_ACTION: features this deployment
   * does not have (agents, room memory, moderation), whose controls the
   * client then hides.
   */
  readonly unsupported: ReadonlySet<string>;
  /** Room summaries (room memory) by room, once asked for; null when the room has none yet. */
  readonly summaries: ReadonlyMap<string, RoomSummary | null>;
  /** Messages from others that arrived in rooms not on screen. */
  readonly unread: ReadonlyMap<string, number>;
  readonly notices: readonly Notice[];
  readonly nextNoticeId: number;
  /** Invitations addressed to the person using the client, by room id (invitations.ts). */
  readonly invitations: Invitations;
  /** Rooms opened by link that the person does not belong to: a preview, or why not (room-access.ts). */
  readonly roomAccess: ReadonlyMap<string, RoomAccess>;
  /** Who is online and typing, and how far the person has read (presence-state.ts). */
  readonly presence: PresenceSlice;
}

export type AppEvent =
  | { readonly type: 'frame'; readonly frame: ServerFrame }
  | { readonly type: 'status'; readonly status: ConnectionStatus }
  | { readonly type: 'roomsListed'; readonly rooms: readonly ListedRoom[] }
  | { readonly type: 'roomJoined'; readonly room?: ListedRoom; readonly membership: Membership }
  | { readonly type: 'roomLeft'; readonly roomId: string }
  | { readonly type: 'roomOpened'; readonly roomId: string }
  | { readonly type: 'membersListed'; readonly roomId: string; readonly members: readonly Membership[] }
  | { readonly type: 'agentsListed'; readonly roomId: string; readonly agents: readonly AgentInfo[] }
  /** The server's read marks have been loaded (presence-state.ts: marksLoaded). */
  | { readonly type: 'readMarksLoaded' }
  | { readonly type: 'actionUnsupported'; readonly action: string }
  /** Parley accepted a new display name for the person using the client. */
  | { readonly type: 'displayNameChanged'; readonly displayName: string }
  | { readonly type: 'summaryLoaded'; readonly roomId: string; readonly summary: RoomSummary | null }
  | { readonly type: 'olderRequested'; readonly roomId: string }
  | {
      readonly type: 'olderPage';
      readonly roomId: string;
      /** The cursor the page was asked from; absent for the latest page. */
      readonly from?: string;
      readonly page: Pick<HistoryPage, 'items' | 'nextCursor'>;
    }
  | { readonly type: 'olderFailed'; readonly roomId: string }
  | { readonly type: 'caughtUp'; readonly roomId: string; readonly items: readonly ChatMessage[] }
  | { readonly type: 'timelineReset'; readonly roomId: string; readonly page: Pick<HistoryPage, 'items' | 'nextCursor'> }
  | { readonly type: 'sending'; readonly pending: Omit<PendingMessage, 'state'> }
  | {
      readonly type: 'sent';
      readonly roomId: string;
      readonly ack: { readonly clientMessageId: string; readonly messageId: string; readonly createdAt: string };
    }
  | {
      readonly type: 'sendFailed';
      readonly roomId: string;
      readonly clientMessageId: string;
      readonly error: string;
      readonly retryable: boolean;
    }
  | { readonly type: 'sendRetried'; readonly roomId: string; readonly clientMessageId: string }
  | { readonly type: 'sendDiscarded'; readonly roomId: string; readonly clientMessageId: string }
  | { readonly type: 'notice'; readonly text: string; readonly tone: Notice['tone']; readonly roomId?: string }
  | { readonly type: 'noticeDismissed'; readonly id: number }
  | { readonly type: 'invitationsListed'; readonly invitations: readonly Invitation[] }
  /** The person accepted or declined an invitation from this tab. */
  | { readonly type: 'invitationSettled'; readonly roomId: string }
  /** What Parley said the person may see of a room; `undefined` once they belong to it. */
  | { readonly type: 'roomAccessChecked'; readonly roomId: string; readonly access: RoomAccess | undefined };

const MAX_NOTICES = 4;

export const initialState = (me: Me): AppState => ({
  me,
  status: 'connecting',
  rooms: new Map(),
  roomsLoaded: false,
  timelines: new Map(),
  loadingOlder: new Set(),
  members: new Map(),
  agents: new Map(),
  unsupported: new Set(),
  summaries: new Map(),
  unread: new Map(),
  notices: [],
  nextNoticeId: 1,
  invitations: new Map(),
  roomAccess: new Map(),
  presence: emptyPresence(),
});

export const timelineOf = (state: AppState, roomId: string): Timeline => state.timelines.get(roomId) ?? emptyTimeline();

/** The caller's role in a room, if a member. */
export const myRole = (state: AppState, roomId: string): Role | undefined =>
  state.members.get(roomId)?.find((m) => m.userId === state.me.userId)?.role ?? state.rooms.get(roomId)?.role;

const withMap = <V>(map: ReadonlyMap<string, V>, key: string, value: V | undefined): ReadonlyMap<string, V> => {
  const next = new Map(map);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return next;
};

const withTimeline = (state: AppState, roomId: string, change: (t: Timeline) => Timeline): AppState => {
  const before = timelineOf(state, roomId);
  const after = change(before);
  return after === before && state.timelines.has(roomId)
    ? state
    : { ...state, timelines: withMap(state.timelines, roomId, after) };
};

const addNotice = (state: AppState, text: string, tone: Notice['tone'], roomId?: string): AppState => ({
  ...state,
  notices: [...state.notices, { id: state.nextNoticeId, text, tone, ...(roomId === undefined ? {} : { roomId }) }].slice(
    -MAX_NOTICES,
  ),
  nextNoticeId: state.nextNoticeId + 1,
});

/** Updates a room's member list (when listed) and, for the caller, the room's role. */
const withMember = (state: AppState, roomId: string, member: Membership): AppState => {
  const members = state.members.get(roomId);
  let next = state;
  if (members) {
    const others = members.filter((m) => m.userId !== member.userId);
    next = { ...next, members: withMap(next.members, roomId, [...others, member]) };
  }
  const room = next.rooms.get(roomId);
  if (member.userId === next.me.userId && room) {
    // A member has no preview: whatever says first that the person joined (a frame comes before joinRoom's ack) ends it.
    next = { ...next, rooms: withMap(next.rooms, roomId, { ...room, role: member.role }), roomAccess: withMap(next.roomAccess, roomId, undefined) };
  }
  return next;
};

const withoutMember = (state: AppState, roomId: string, userId: string): AppState => {
  const members = state.members.get(roomId);
  let next = members
    ? { ...state, members: withMap(state.members, roomId, members.filter((m) => m.userId !== userId)) }
    : state;
  if (userId === next.me.userId) next = leaveRoom(next, roomId);
  return next;
};

/** The caller is no longer a member: a public room stays listed without a role, a private one goes. */
const leaveRoom = (state: AppState, roomId: string): AppState => {
  const room = state.rooms.get(roomId);
  if (!room) return state;
  const { role: _role, ...rest } = room;
  const stays = room.visibility === 'public';
  return {
    ...state,
    rooms: withMap(state.rooms, roomId, stays ? rest : undefined),
    members: withMap(state.members, roomId, undefined),
    agents: withMap(state.agents, roomId, undefined),
    ...(stays ? {} : { timelines: withMap(state.timelines, roomId, undefined) }),
    ...(state.activeRoomId === roomId && !stays ? { activeRoomId: undefined } : {}),
  };
};

/** The room's request for older history is over, whatever its outcome. */
const olderSettled = (state: AppState, roomId: string): AppState => {
  if (!state.loadingOlder.has(roomId)) return state;
  const loadingOlder = new Set(state.loadingOlder);
  loadingOlder.delete(roomId);
  return { ...state, loadingOlder };
};

type FrameReducers = { readonly [T in FrameType]: (state: AppState, frame: FrameOf<T>) => AppState };

/**
 * One entry per frame type. A new frame type is one new entry here (and,
 * if it shows something new, one renderer in the view).
 */
const frameReducers: FrameReducers = {
  // Answers to requests settle the request's promise; see connection.ts.
  ack: (state) => state,
  error: (state, frame) => (frame.requestId === undefined ? addNotice(state, frame.message, 'error') : state),
  message: (state, { roomId, message }) => {
    const typed = stopTyping(state.presence, roomId, message.senderId);
    const next = withTimeline(typed === state.presence ? state : { ...state, presence: typed }, roomId, (t) =>
      mergeMessages(t, [message]),
    );
    const fromOther = message.senderId !== state.me.userId;
    const seen = state.timelines.get(roomId)?.messages.some((m) => m.messageId === message.messageId) ?? false;
    if (roomId === state.activeRoomId || !fromOther || seen) return next;
    return { ...next, unread: withMap(next.unread, roomId, (next.unread.get(roomId) ?? 0) + 1) };
  },
  messageUpdated: (state, { roomId, message }) => withTimeline(state, roomId, (t) => updateMessage(t, message)),
  messageRemoved: (state, { roomId, messageId }) => withTimeline(state, roomId, (t) => removeMessage(t, messageId)),
  agentDelta: (state, frame) => withTimeline(state, frame.roomId, (t) => agentAnswering(applyAgentDelta(t, frame), frame.agent)),
  agentDone: (state, frame) =>
    withTimeline(state, frame.roomId, (t) =>
      agentAnswering(applyAgentDone(t, frame), frame.message.agent?.handle, frame.message.agent?.triggerMessageId),
    ),
  agentThinking: (state, frame) => withTimeline(state, frame.roomId, (t) => agentThinking(t, frame)),
  // An agent's notice also shows on the message it concerns.
  notice: (state, { roomId, text, messageId, agent }) => {
    const noted = messageId === undefined ? state : withTimeline(state, roomId, (t) => agentNoticed(t, { messageId, text, ...(agent ? { agent } : {}) }));
    return addNotice(noted, text, 'info', roomId);
  },
  // Added and updated agents are listed again by the client (the frame names the agent only).
  agentChanged: (state, { roomId, change, agent }) => {
    const agents = state.agents.get(roomId);
    if (change !== 'removed' || !agents) return state;
    const handle = agentHandle(agent);
    return { ...state, agents: withMap(state.agents, roomId, agents.filter((a) => a.handle !== handle)) };
  },
  invitation: (state, { invitation }) => ({ ...state, invitations: withInvitation(state.invitations, invitation) }),
  invitationRevoked: (state, { roomId }) => {
    const invitation = state.invitations.get(roomId);
    const next = { ...state, invitations: withoutInvitation(state.invitations, roomId) };
    return invitation ? addNotice(next, t().state.invitationWithdrawn(invitation.roomName), 'info') : next;
  },
  invitationDeclined: (state, { roomId }) => ({ ...state, invitations: withoutInvitation(state.invitations, roomId) }),
  // Every tab lists a room its person joined, from whichever tab or device.
  roomAdded: (state, { room, membership }) =>
    reduce({ ...state, invitations: withoutInvitation(state.invitations, room.roomId) }, { type: 'roomJoined', room, membership }),
  roomUpdated: (state, { room }) => {
    const listed = state.rooms.get(room.roomId);
    return listed ? { ...state, rooms: withMap(state.rooms, room.roomId, { ...listed, ...room }) } : state;
  },
  roomRemoved: (state, { roomId, reason }) => roomRemoved(state, roomId, reason),
  presence: (state, frame) => ({ ...state, presence: applyPresence(state.presence, frame) }),
  typing: (state, frame) => ({ ...state, presence: applyTyping(state.presence, frame, Date.now()) }),
  readState: (state, { roomId, messageId }) => ({ ...state, presence: applyRead(state.presence, roomId, messageId) }),
  // Room documents are shown by the documents panel, which listens to these frames itself.
  documentStatus: (state) => state,
  documentDeleted: (state) => state,
  // Imposter rounds and dialogues are shown by the game panel, which listens to these frames itself.
  roundStarted: (state) => state,
  roundLine: (state) => state,
  roundVote: (state) => state,
  roundEnded: (state) => state,
  dialogueStarted: (state) => state,
  dialogueProgressed: (state) => state,
  dialogueResolved: (state) => state,
  roomEvent: (state, { roomId, event }) => {
    switch (event.kind) {
      case 'memberJoined': {
        // Joining takes a live connection: the newcomer is online, though no presence frame said so.
        const next = withMember(state, roomId, event.member);
        return { ...next, presence: applyPresence(next.presence, { userId: event.member.userId, online: true }) };
      }
      case 'roleChanged':
        return withMember(state, roomId, event.member);
      case 'memberRenamed': {
        // Another tab of the same person renamed them: this one shows the new name too.
        const next = withMember(state, roomId, event.member);
        return event.member.userId === state.me.userId ? { ...next, me: { ...next.me, displayName: event.member.displayName } } : next;
      }
      case 'memberLeft':
        return withoutMember(state, roomId, event.userId);
      // The removed person also hears it on a roomRemoved frame: whichever comes first says so, once.
      case 'memberRemoved':
        return event.userId === state.me.userId ? roomRemoved(state, roomId, 'removed') : withoutMember(state, roomId, event.userId);
      case 'roomCreated':
        return state.rooms.has(event.room.roomId)
          ? state
          : { ...state, rooms: withMap(state.rooms, event.room.roomId, event.room) };
      default:
        return state;
    }
  },
};

/** What the person reads when a room leaves their list. */
const REMOVED_NOTICE: Record<RoomRemovedReason, (name: string) => string> = {
  left: (name) => t().state.left(name),
  removed: (name) => t().state.removed(name),
  banned: (name) => t().state.banned(name),
  deleted: (name) => t().state.deleted(name),
};

/** What the room's page shows once a room left the person's list for `reason`. */
const ACCESS_AFTER: Record<RoomRemovedReason, RoomAccess> = {
  left: { status: 'unavailable' },
  removed: { status: 'unavailable' },
  banned: { status: 'banned' },
  deleted: { status: 'deleted' },
};

/**
 * The room is no longer the caller's: everything shown about it goes
 * (members, agents, summary). A public room one left or was removed from
 * stays listed, to rejoin; otherwise the room goes from the list and its
 * page says why, once (a frame repeated by another tab changes nothing).
 */
const roomRemoved = (state: AppState, roomId: string, reason: RoomRemovedReason): AppState => {
  const room = state.rooms.get(roomId);
  const access = ACCESS_AFTER[reason] ?? ACCESS_AFTER.removed;
  const heardAlready =
    room === undefined
      ? state.activeRoomId !== roomId || state.roomAccess.get(roomId)?.status === access.status
      : room.role === undefined && (reason === 'left' || reason === 'removed');
  if (heardAlready) return state;
  const stays = room?.visibility === 'public' && (reason === 'left' || reason === 'removed');
  const { role: _role, ...unjoined } = room ?? { role: undefined };
  const next: AppState = {
    ...state,
    rooms: withMap(state.rooms, roomId, stays && room ? (unjoined as ListedRoom) : undefined),
    members: withMap(state.members, roomId, undefined),
    agents: withMap(state.agents, roomId, undefined),
    summaries: withMap(state.summaries, roomId, undefined),
    timelines: stays ? state.timelines : withMap(state.timelines, roomId, undefined),
    roomAccess: withMap(state.roomAccess, roomId, stays ? undefined : access),
  };
  return addNotice(next, (REMOVED_NOTICE[reason] ?? REMOVED_NOTICE.removed)(room?.name ?? t().state.theRoom), 'info');
};

const reduceFrame = <T extends FrameType>(state: AppState, frame: FrameOf<T>): AppState =>
  (frameReducers[frame.type as T] as (s: AppState, f: FrameOf<T>) => AppState)(state, frame);

/** The next state after `event`. */
export function reduce(state: AppState, event: AppEvent): AppState {
  switch (event.type) {
    case 'frame':
      return reduceFrame(state, event.frame);
    case 'status': {
      if (state.status === event.status) return state;
      // Leaving `online`: whatever is said from now on may be missed until the client catches up.
      const dropped = state.status === 'online';
      const timelines = dropped ? new Map([...state.timelines].map(([id, t]) => [id, markGap(t)])) : state.timelines;
      return { ...state, status: event.status, timelines };
    }
    case 'roomsListed': {
      const rooms = new Map(state.rooms);
      for (const room of event.rooms) rooms.set(room.roomId, { ...rooms.get(room.roomId), ...room });
      return { ...state, rooms, roomsLoaded: true };
    }
    case 'roomJoined': {
      const { membership } = event;
      const existing = state.rooms.get(membership.roomId) ?? event.room;
      if (!existing) return state;
      const rooms = withMap(state.rooms, membership.roomId, { ...existing, ...event.room, role: membership.role });
      return withMember({ ...state, rooms }, membership.roomId, membership);
    }
    case 'roomLeft':
      return leaveRoom(state, event.roomId);
    case 'roomOpened':
      return { ...state, activeRoomId: event.roomId, unread: withMap(state.unread, event.roomId, undefined) };
    case 'membersListed':
      return {
        ...state,
        members: withMap(state.members, event.roomId, event.members),
        presence: applyListedPresence(state.presence, event.members),
      };
    case 'readMarksLoaded':
      return state.presence.marksLoaded ? state : { ...state, presence: { ...state.presence, marksLoaded: true } };
    case 'agentsListed':
      return { ...state, agents: withMap(state.agents, event.roomId, event.agents) };
    case 'summaryLoaded':
      return { ...state, summaries: withMap(state.summaries, event.roomId, event.summary) };
    case 'displayNameChanged':
      return { ...state, me: { ...state.me, displayName: event.displayName } };
    case 'actionUnsupported':
      return state.unsupported.has(event.action) ? state : { ...state, unsupported: new Set(state.unsupported).add(event.action) };
    case 'olderRequested':
      return state.loadingOlder.has(event.roomId) ? state : { ...state, loadingOlder: new Set(state.loadingOlder).add(event.roomId) };
    case 'olderPage': {
      const next = olderSettled(state, event.roomId);
      // Only the page the timeline is waiting for: a late answer from before a reset is dropped.
      return awaitsPageFrom(timelineOf(next, event.roomId), event.from)
        ? withTimeline(next, event.roomId, (t) => applyOlderPage(t, event.page))
        : next;
    }
    case 'olderFailed':
      return olderSettled(state, event.roomId);
    case 'caughtUp':
      return withTimeline(state, event.roomId, (t) => applyCatchUp(t, event.items));
    case 'timelineReset':
      // Keep what is still being sent; the rest is replaced by the latest page.
      return withTimeline(state, event.roomId, (t) =>
        applyOlderPage({ ...emptyTimeline(), pending: t.pending, finishedReplies: t.finishedReplies, removed: t.removed }, event.page),
      );
    case 'sending':
      return withTimeline(state, event.pending.roomId, (t) => addPending(t, event.pending));
    case 'sent':
      return withTimeline(state, event.roomId, (t) => confirmPending(t, event.ack));
    case 'sendFailed':
      return withTimeline(state, event.roomId, (t) => failPending(t, event.clientMessageId, event.error, event.retryable));
    case 'sendRetried':
      return withTimeline(state, event.roomId, (t) => retryPending(t, event.clientMessageId));
    case 'sendDiscarded':
      return withTimeline(state, event.roomId, (t) => discardPending(t, event.clientMessageId));
    case 'notice':
      return addNotice(state, event.text, event.tone, event.roomId);
    case 'noticeDismissed':
      return { ...state, notices: state.notices.filter((n) => n.id !== event.id) };
    case 'invitationsListed':
      return { ...state, invitations: listedInvitations(event.invitations) };
    case 'invitationSettled':
      return { ...state, invitations: withoutInvitation(state.invitations, event.roomId) };
    case 'roomAccessChecked':
      return { ...state, roomAccess: withMap(state.roomAccess, event.roomId, event.access) };
  }
}
