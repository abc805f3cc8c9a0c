import { catchUp, HISTORY_PAGE_SIZE } from './catch-up';
import { DisconnectedError, isTransient, RequestError } from './connection';
import { t } from './i18n';
import { allPages } from './pages';
import { checkRoomAccess } from './room-access';
import type {
  AgentChangesInput,
  AgentInfo,
  AgentSettingsInput,
  HistoryPage,
  HistoryRequest,
  FrameOf,
  ListedRoom,
  Membership,
  ModeratorAction,
  Role,
  Room,
  RoomSummary,
  ServerFrame,
} from './protocol';
import { initialState, reduce, timelineOf, type AppEvent, type AppState, type ConnectionStatus, type Me } from './state';
import { catchUpFrom } from './timeline';
import type { Citation, Passage, PassageResult } from './citations';
import type { RoomMode } from '../../lambdas/domain/types';

/** How the client talks to Parley: `ParleyConnection` in the browser, a fake in tests. */
export interface Transport {
  request<T = unknown>(action: string, payload?: Record<string, unknown>): Promise<T>;
}

export interface ChatClientOptions {
  readonly me: Me;
  readonly transport: Transport;
  /** A fresh clientMessageId per message. */
  readonly newClientMessageId?: () => string;
  readonly now?: () => Date;
  /**
   * Called once Parley has accepted a new display name: saves it with the
   * identity provider too, so the next session's token carries it.
   */
  readonly onDisplayNameChanged?: (displayName: string) => Promise<void>;
}

/** The cursor field of a request for the page after `cursor` (none for the first page). */
/** How long a read mark waits before it is sent, so marks made meanwhile go as one request. */
export const READ_MARK_DELAY_MS = 2000;

const from = (cursor: string | undefined): { cursor?: string } => (cursor !== undefined ? { cursor } : {});
/** A page's cursor, when it has one. */
const cursorOf = (page: { nextCursor?: string }): { nextCursor?: string } =>
  page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {};

const reason = (error: unknown): string =>
  error instanceof RequestError || error instanceof DisconnectedError
    ? error.message
    : t().errors.somethingWrong;

/**
 * What the person using the client can do, and how the client stays
 * consistent with Parley: each intent is one or a few requests whose
 * outcomes go through the reducer. After a reconnect, `resume()` catches up
 * every room already on screen and resends what was being sent, with the
 * same clientMessageId so nothing is stored twice.
 */
export class ChatClient {
  private current: AppState;
  private readonly listeners = new Set<(state: AppState) => void>();
  /** The tail of the send queue. */
  private sending: Promise<void> = Promise.resolve();
  /** Set when a send met a dropped connection: later ones wait for `resume()`, to keep their order. */
  private parked = false;
  /** Rooms whose read mark is waiting to be sent (markRead). */
  private readonly readMarkTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly newClientMessageId: () => string;
  private readonly now: () => Date;

  constructor(private readonly options: ChatClientOptions) {
    this.current = initialState(options.me);
    this.newClientMessageId = options.newClientMessageId ?? (() => crypto.randomUUID());
    this.now = options.now ?? (() => new Date());
  }

  get state(): AppState {
    return this.current;
  }

  subscribe(listener: (state: AppState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispatch(event: AppEvent): void {
    const next = reduce(this.current, event);
    if (next === this.current) return;
    this.current = next;
    for (const listener of this.listeners) listener(next);
  }

  /** A frame Parley pushed (not an answer to a request). */
  receive(frame: ServerFrame): void {
    this.dispatch({ type: 'frame', frame });
    // The frame names the agent only: list the room's agents again for the rest.
    if (frame.type === 'agentChanged' && frame.change !== 'removed' && this.current.agents.has(frame.roomId)) {
      void this.loadAgents(frame.roomId);
    }
  }

  setStatus(status: ConnectionStatus): void {
    this.dispatch({ type: 'status', status });
  }

  notify(text: string, tone: 'info' | 'error' = 'error', roomId?: string): void {
    this.dispatch({ type: 'notice', text, tone, ...(roomId === undefined ? {} : { roomId }) });
  }

  /**
   * Runs once the socket is open. First time: list rooms and open the room
   * on screen. After a drop: the same, plus catch up every room with
   * history on screen, then resend unconfirmed messages.
   */
  async resume({ resumed }: { readonly resumed: boolean }): Promise<void> {
    await this.refreshRooms();
    await this.loadReadState();
    const active = this.current.activeRoomId;
    if (!resumed) {
      if (active !== undefined) await this.openRoom(active);
      return;
    }
    const loaded = [...this.current.timelines].filter(([, t]) => t.history !== 'unloaded').map(([id]) => id);
    await Promise.all(loaded.map((roomId) => this.catchUpRoom(roomId)));
    if (active !== undefined) {
      // A room opened while the connection was down has no page yet: load its latest now.
      const room = this.current.rooms.get(active);
      const joined = room === undefined || room.role !== undefined;
      const first = joined && timelineOf(this.current, active).history === 'unloaded' ? [this.loadOlder(active)] : [];
      await Promise.all([this.loadMembers(active), this.loadAgents(active), ...first]);
    }
    this.parked = false;
    for (const [roomId, timeline] of this.current.timelines) {
      for (const pending of timeline.pending) {
        if (pending.state === 'sending') await this.deliver(roomId, pending.clientMessageId, pending.text);
      }
    }
  }

  async refreshRooms(): Promise<void> {
    try {
      const rooms = await allPages(async (cursor) => {
        const page = await this.options.transport.request<{ rooms: ListedRoom[]; nextCursor?: string }>('listRooms', from(cursor));
        return { items: page.rooms, ...cursorOf(page) };
      });
      this.dispatch({ type: 'roomsListed', rooms });
    } catch (error) {
      if (!(error instanceof DisconnectedError)) this.notify(t().client.listRoomsFailed(reason(error)));
    }
  }

  /**
   * Shows a room: its latest page (once), and its members. A room the
   * person has not joined is asked about first (getRoom): a preview, or why
   * it cannot be shown, and nothing else is requested.
   */
  async openRoom(roomId: string): Promise<void> {
    this.dispatch({ type: 'roomOpened', roomId });
    const room = this.current.rooms.get(roomId);
    if ((room === undefined || room.role === undefined) && !(await this.checkAccess(roomId))) return;
    const work: Array<Promise<void>> = [this.loadMembers(roomId), this.loadAgents(roomId)];
    if (timelineOf(this.current, roomId).history === 'unloaded') work.push(this.loadOlder(roomId));
    await Promise.all(work);
  }

  /**
   * Opens a room the person has just created or joined. The room is open
   * (and the address names it) at once; its members, agents and history
   * load after, and report their own failures. Creating or joining is done
   * without them, so a form that waits for it answers (and empties) then,
   * not over whatever the person typed meanwhile.
   */
  private openJoined(roomId: string): void {
    void this.openRoom(roomId);
  }

  async loadMembers(roomId: string): Promise<void> {
    try {
      const members = await allPages(async (cursor) => {
        const page = await this.options.transport.request<{ members: Membership[]; nextCursor?: string }>('listMembers', {
          roomId,
          ...from(cursor),
        });
        return { items: page.members, ...cursorOf(page) };
      });
      this.dispatch({ type: 'membersListed', roomId, members });
    } catch (error) {
      if (!(error instanceof DisconnectedError)) this.notify(t().client.listMembersFailed(reason(error)), 'error', roomId);
    }
  }

  async loadAgents(roomId: string): Promise<void> {
    if (this.current.unsupported.has('listAgents')) return;
    try {
      const agents = await allPages(async (cursor) => {
        const page = await this.options.transport.request<{ agents: AgentInfo[]; nextCursor?: string }>('listAgents', {
          roomId,
          ...from(cursor),
        });
        return { items: page.agents, ...cursorOf(page) };
      });
      this.dispatch({ type: 'agentsListed', roomId, agents });
    } catch (error) {
      if (!this.unsupported('listAgents', error) && !(error instanceof DisconnectedError)) {
        this.notify(t().client.listAgentsFailed(reason(error)), 'error', roomId);
      }
    }
  }

  /** Adds an agent (owners and moderators); the room hears of it through an agentChanged frame. */
  async addAgent(roomId: string, agent: AgentSettingsInput): Promise<boolean> {
    try {
      await this.options.transport.request('addAgent', { roomId, agent });
      await this.loadAgents(roomId);
      return true;
    } catch (error) {
      this.notify(t().client.addAgentFailed(reason(error)), 'error', roomId);
      return false;
    }
  }

  async updateAgent(roomId: string, handle: string, changes: AgentChangesInput): Promise<void> {
    try {
      await this.options.transport.request('updateAgent', { roomId, handle, changes });
      await this.loadAgents(roomId);
    } catch (error) {
      this.notify(t().client.changeAgentFailed(reason(error)), 'error', roomId);
    }
  }

  async removeAgent(roomId: string, handle: string): Promise<void> {
    try {
      await this.options.transport.request('removeAgent', { roomId, handle });
      const displayName = this.current.agents.get(roomId)?.find((a) => a.handle === handle)?.displayName ?? handle;
      this.dispatch({ type: 'frame', frame: { type: 'agentChanged', roomId, change: 'removed', agent: { handle, displayName }, by: this.current.me.userId } });
    } catch (error) {
      this.notify(t().client.removeAgentFailed(reason(error)), 'error', roomId);
    }
  }

  /**
   * Asks Parley to stop an agent's reply while it streams; resolves
   * Parley's reason when it refused, to be shown on the reply. The room
   * hears the outcome through the reply's agentDone, marked stopped.
   */
  async stopAgentReply(roomId: string, replyId: string): Promise<string | undefined> {
    try {
      await this.options.transport.request('stopAgentReply', { roomId, messageId: replyId });
      return undefined;
    } catch (error) {
      return reason(error);
    }
  }

  /** Opens a reply's cited passage (getDocumentPassage); resolves Parley's reason when it cannot be opened. */
  async documentPassage(roomId: string, citation: Citation): Promise<PassageResult> {
    try {
      const { documentId, version, chunk } = citation;
      return { passage: await this.options.transport.request<Passage>('getDocumentPassage', { roomId, documentId, version, chunk }) };
    } catch (error) {
      return { error: reason(error) };
    }
  }

  /**
   * Asks the agent behind a stored reply for another answer to the same
   * message; resolves Parley's reason when it refused, to be shown on the
   * reply. The new answer arrives as a new agent message.
   */
  async regenerateAgentReply(roomId: string, replyId: string): Promise<string | undefined> {
    try {
      await this.options.transport.request('regenerateAgentReply', { roomId, messageId: replyId });
      return undefined;
    } catch (error) {
      return reason(error);
    }
  }

  /**
   * A moderator's action on a message; the room hears the outcome through
   * messageUpdated and messageRemoved frames, this client included.
   */
  async moderate(roomId: string, messageId: string, action: ModeratorAction): Promise<void> {
    try {
      await this.options.transport.request(action, { roomId, messageId });
    } catch (error) {
      if (!this.unsupported(action, error)) this.notify(t().client.moderateFailed(reason(error)), 'error', roomId);
    }
  }

  /**
   * Edits one of the user's messages. Resolves the reason when Parley
   * refused it (the editor keeps the text); the room, this client included,
   * hears the edit through messageUpdated.
   */
  async editMessage(roomId: string, messageId: string, text: string): Promise<string | undefined> {
    try {
      await this.options.transport.request('editMessage', { roomId, messageId, text });
      return undefined;
    } catch (error) {
      return reason(error);
    }
  }

  /** Deletes one of the user's messages for everyone; the room hears messageRemoved. */
  async deleteMessage(roomId: string, messageId: string): Promise<void> {
    try {
      await this.options.transport.request('deleteMessage', { roomId, messageId });
    } catch (error) {
      this.notify(t().client.deleteMessageFailed(reason(error)), 'error', roomId);
    }
  }

  /** The room's rolling summary, from room memory. */
  async loadSummary(roomId: string): Promise<void> {
    try {
      const { summary } = await this.options.transport.request<{ summary: RoomSummary | null }>('getSummary', { roomId });
      this.dispatch({ type: 'summaryLoaded', roomId, summary });
    } catch (error) {
      if (!this.unsupported('getSummary', error)) this.notify(t().client.summaryFailed(reason(error)), 'error', roomId);
    }
  }

  /**
   * The next older page of a room's history (the latest page first), one
   * request at a time per room: asking again while a page is on its way, or
   * once the beginning is reached, does nothing.
   */
  async loadOlder(roomId: string): Promise<void> {
    const timeline = timelineOf(this.current, roomId);
    if (timeline.history === 'complete' || this.current.loadingOlder.has(roomId)) return;
    const from = timeline.olderCursor;
    this.dispatch({ type: 'olderRequested', roomId });
    let page: HistoryPage;
    try {
      page = await this.fetchHistory({
        roomId,
        limit: HISTORY_PAGE_SIZE,
        direction: 'backward',
        ...(from === undefined ? {} : { cursor: from }),
      });
    } catch (error) {
      this.dispatch({ type: 'olderFailed', roomId });
      if (!(error instanceof DisconnectedError)) this.notify(t().client.historyFailed(reason(error)), 'error', roomId);
      return;
    }
    this.dispatch({ type: 'olderPage', roomId, ...(from === undefined ? {} : { from }), page });
  }

  isLoadingOlder(roomId: string): boolean {
    return this.current.loadingOlder.has(roomId);
  }

  async createRoom(name: string, visibility: Room['visibility'], mode: RoomMode = 'chat'): Promise<string | undefined> {
    try {
      const { room, membership } = await this.options.transport.request<{ room: Room; membership: Membership }>(
        'createRoom',
        // A chat room is asked for as before, so a server without modes still creates it.
        { name, visibility, ...(mode === 'chat' ? {} : { mode }) },
      );
      this.dispatch({ type: 'roomJoined', room, membership });
      // A new room has no history: nothing to load, nothing to catch up on but what arrives.
      this.dispatch({ type: 'olderPage', roomId: room.roomId, page: { items: [] } });
      this.openJoined(room.roomId);
      return room.roomId;
    } catch (error) {
      this.notify(t().client.createRoomFailed(reason(error)));
      return undefined;
    }
  }

  async joinRoom(roomId: string): Promise<boolean> {
    try {
      const { membership } = await this.options.transport.request<{ membership: Membership }>('joinRoom', { roomId });
      if (!this.current.rooms.has(roomId)) await this.refreshRooms();
      this.dispatch({ type: 'roomJoined', membership });
      this.dispatch({ type: 'roomAccessChecked', roomId, access: undefined });
      this.openJoined(roomId);
      return true;
    } catch (error) {
      this.notify(t().client.joinFailed(reason(error)));
      return false;
    }
  }

  async leaveRoom(roomId: string): Promise<void> {
    try {
      await this.options.transport.request('leaveRoom', { roomId });
      this.dispatch({ type: 'roomLeft', roomId });
    } catch (error) {
      this.notify(t().client.leaveFailed(reason(error)), 'error', roomId);
    }
  }

  async setRole(roomId: string, userId: string, role: Role): Promise<void> {
    try {
      const { membership } = await this.options.transport.request<{ membership: Membership }>('setRole', {
        roomId,
        userId,
        role,
      });
      this.dispatch({ type: 'frame', frame: { type: 'roomEvent', roomId, event: { kind: 'roleChanged', member: membership, by: this.current.me.userId } } });
    } catch (error) {
      this.notify(t().client.setRoleFailed(reason(error)), 'error', roomId);
    }
  }

  async removeMember(roomId: string, userId: string): Promise<void> {
    try {
      await this.options.transport.request('removeMember', { roomId, userId });
      this.dispatch({ type: 'frame', frame: { type: 'roomEvent', roomId, event: { kind: 'memberRemoved', userId, by: this.current.me.userId } } });
    } catch (error) {
      this.notify(t().client.removeMemberFailed(reason(error)), 'error', roomId);
    }
  }

  /** Invites someone by id; `name`, when known (chosen from a search), is what the notice calls them. */
  async invite(roomId: string, userId: string, role: Exclude<Role, 'owner'>, name?: string): Promise<boolean> {
    try {
      await this.options.transport.request('inviteMember', { roomId, userId, role });
      this.notify(t().client.invited(name ?? userId, t().roles[role]), 'info', roomId);
      return true;
    } catch (error) {
      this.notify(t().client.inviteFailed(reason(error)), 'error', roomId);
      return false;
    }
  }

  /** Shows the message at once, then sends it; a drop leaves it queued for `resume()`. */
  /** Changes the display name everywhere Parley shows it; resolves false (with a notice) when refused. */
  async updateProfile(displayName: string): Promise<boolean> {
    let accepted: string;
    try {
      ({ displayName: accepted } = await this.options.transport.request<{ displayName: string }>('updateProfile', { displayName }));
    } catch (error) {
      this.notify(t().client.renameFailed(reason(error)));
      return false;
    }
    this.dispatch({ type: 'displayNameChanged', displayName: accepted });
    try {
      await this.options.onDisplayNameChanged?.(accepted);
    } catch {
      this.notify(t().client.nameNotSaved);
    }
    return true;
  }

  async send(roomId: string, text: string): Promise<void> {
    const clientMessageId = this.newClientMessageId();
    this.dispatch({
      type: 'sending',
      pending: {
        clientMessageId,
        roomId,
        text,
        senderId: this.current.me.userId,
        senderName: this.current.me.displayName,
        createdAt: this.now().toISOString(),
      },
    });
    await this.deliver(roomId, clientMessageId, text);
  }

  /** Sends a failed message again, under the same clientMessageId, when that could succeed. */
  async retry(roomId: string, clientMessageId: string): Promise<void> {
    const pending = timelineOf(this.current, roomId).pending.find((p) => p.clientMessageId === clientMessageId);
    if (!pending?.retryable) return;
    this.dispatch({ type: 'sendRetried', roomId, clientMessageId });
    await this.deliver(roomId, clientMessageId, pending.text);
  }

  discard(roomId: string, clientMessageId: string): void {
    this.dispatch({ type: 'sendDiscarded', roomId, clientMessageId });
  }

  /**
   * Sends one message at a time, in the order they were written: Parley
   * orders messages by the time it stores them, so concurrent sends could
   * swap a person's quick messages.
   */
  private deliver(roomId: string, clientMessageId: string, text: string): Promise<void> {
    const next = this.sending.then(() => this.deliverNow(roomId, clientMessageId, text));
    this.sending = next;
    return next;
  }

  private async deliverNow(roomId: string, clientMessageId: string, text: string): Promise<void> {
    // Settled meanwhile (catching up found it) or discarded: nothing to send.
    const pending = timelineOf(this.current, roomId).pending.find((p) => p.clientMessageId === clientMessageId);
    if (pending === undefined || pending.state !== 'sending' || this.parked) return;
    try {
      const ack = await this.options.transport.request<{ messageId: string; createdAt: string }>('sendMessage', {
        roomId,
        clientMessageId,
        text,
      });
      this.dispatch({ type: 'sent', roomId, ack: { clientMessageId, messageId: ack.messageId, createdAt: ack.createdAt } });
    } catch (error) {
      // Disconnected: it stays queued and goes again, with the same id, on reconnect.
      if (error instanceof DisconnectedError) {
        this.parked = true;
        return;
      }
      this.dispatch({ type: 'sendFailed', roomId, clientMessageId, error: reason(error), retryable: isTransient(error) });
    }
  }

  /** Whether the person belongs to the room, noting a preview or why not; true when Parley cannot tell (no getRoom). */
  private async checkAccess(roomId: string): Promise<boolean> {
    let check;
    try {
      check = await checkRoomAccess(this.options.transport, roomId);
    } catch (error) {
      if (!(error instanceof DisconnectedError)) this.notify(t().client.openRoomFailed(reason(error)), 'error', roomId);
      return false;
    }
    if (check.member === undefined) return this.current.rooms.get(roomId)?.role !== undefined || !this.current.rooms.has(roomId);
    if (check.member) {
      this.dispatch({ type: 'roomsListed', rooms: [{ ...check.room, role: check.membership.role }] });
      this.dispatch({ type: 'roomAccessChecked', roomId, access: undefined });
      return true;
    }
    if (check.access.status === 'preview') this.dispatch({ type: 'roomsListed', rooms: [check.access.room] });
    this.dispatch({ type: 'roomAccessChecked', roomId, access: check.access });
    return false;
  }

  /**
   * The person's read marks in their rooms (getReadState, 100 rooms a
   * request), so unread counts and the divider start where another tab or
   * device left them.
   */
  async loadReadState(): Promise<void> {
    const mine = [...this.current.rooms.values()].filter((r) => r.role !== undefined).map((r) => r.roomId);
    try {
      for (let start = 0; start < mine.length && !this.current.unsupported.has('getReadState'); start += 100) {
        const { readStates } = await this.options.transport.request<{ readStates: Array<FrameOf<'readState'>> }>('getReadState', {
          roomIds: mine.slice(start, start + 100),
        });
        for (const mark of readStates) this.dispatch({ type: 'frame', frame: { ...mark, type: 'readState' } });
      }
      this.dispatch({ type: 'readMarksLoaded' });
    } catch (error) {
      // Without the server's marks (an older deployment), the client still marks what is read.
      if (this.unsupported('getReadState', error)) this.dispatch({ type: 'readMarksLoaded' });
      else if (!(error instanceof DisconnectedError)) {
        this.notify(t().client.readStateFailed(reason(error)));
      }
    }
  }

  /** Moves the read mark of a room to `messageId` when it is later than the one known; the person's other tabs hear it. */
  async markRead(roomId: string, messageId: string): Promise<void> {
    const known = this.current.presence.lastRead.get(roomId);
    if (!this.current.presence.marksLoaded || (known !== undefined && known >= messageId)) return;
    if (this.current.unsupported.has('markRead')) return;
    this.dispatch({ type: 'frame', frame: { type: 'readState', roomId, messageId, readAt: this.now().toISOString() } });
    // One request per room every READ_MARK_DELAY_MS at most, carrying the
    // latest mark: reading a busy room must not spend the person's budget of
    // changes (every markRead spends one token of it).
    if (this.readMarkTimers.has(roomId)) return;
    this.readMarkTimers.set(
      roomId,
      setTimeout(() => {
        this.readMarkTimers.delete(roomId);
        const latest = this.current.presence.lastRead.get(roomId);
        if (latest === undefined) return;
        this.options.transport.request('markRead', { roomId, messageId: latest }).catch((error: unknown) => {
          // Not worth a notice: the next message read marks again.
          this.unsupported('markRead', error);
        });
      }, READ_MARK_DELAY_MS),
    );
  }

  /** Tells the room's other members the person is typing; a refusal (too often) changes nothing on screen. */
  async sendTyping(roomId: string): Promise<void> {
    if (this.current.unsupported.has('typing')) return;
    try {
      await this.options.transport.request('typing', { roomId });
    } catch (error) {
      this.unsupported('typing', error);
    }
  }

  /** Notes an action this deployment does not have; true when `error` says so. */
  private unsupported(action: string, error: unknown): boolean {
    if (!(error instanceof RequestError) || error.code !== 'UNKNOWN_ACTION') return false;
    this.dispatch({ type: 'actionUnsupported', action });
    return true;
  }

  private async catchUpRoom(roomId: string): Promise<void> {
    try {
      const result = await catchUp(roomId, catchUpFrom(timelineOf(this.current, roomId)), (r) => this.fetchHistory(r));
      if (result.kind === 'caught-up') this.dispatch({ type: 'caughtUp', roomId, items: result.items });
      else this.dispatch({ type: 'timelineReset', roomId, page: result.page });
    } catch (error) {
      if (!(error instanceof DisconnectedError)) this.notify(t().client.catchUpFailed(reason(error)), 'error', roomId);
    }
  }

  private fetchHistory(request: HistoryRequest): Promise<HistoryPage> {
    return this.options.transport.request<HistoryPage>('getHistory', { ...request });
  }
}
