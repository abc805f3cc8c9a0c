import type { ChatClient } from '../client';
import { roleAbilities } from '../present';
import type { ListedRoom } from '../protocol';
import { myRole, timelineOf, type AppState, type ConnectionStatus, type Notice } from '../state';
import { AgentsView } from './agents-view';
import { h, reconcile, replaceChildren, setText } from './dom';
import { MembersView } from './members-view';
import { SummaryView } from './summary-view';
import { TimelineView } from './timeline-view';

export interface ChatViewOptions {
  readonly client: ChatClient;
  readonly signOut: () => void;
  /** Makes `roomId` the open room (through the URL, so reload and back work). */
  readonly navigate: (roomId: string) => void;
}

const STATUS_TEXT: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  online: 'Connected',
  reconnecting: 'Connection lost. Reconnecting…',
  offline: 'Offline',
};

/**
 * The signed-in screen: rooms on the left, the open room in the middle,
 * its members (and agents) on the right. On a phone-sized screen the two
 * side panels become drawers opened from the header buttons.
 */
export class ChatView {
  private readonly status: HTMLParagraphElement;
  private readonly roomList: HTMLUListElement;
  private readonly roomsEmpty: HTMLParagraphElement;
  private readonly emptyRoom: HTMLDivElement;
  private readonly roomSection: HTMLElement;
  private readonly roomTitle: HTMLHeadingElement;
  private readonly roomMeta: HTMLParagraphElement;
  private readonly leaveButton: HTMLButtonElement;
  private readonly notices: HTMLDivElement;
  private readonly timeline: TimelineView;
  private readonly joinPrompt: HTMLDivElement;
  private readonly composer: HTMLFormElement;
  private readonly composerInput: HTMLTextAreaElement;
  private readonly guestNote: HTMLParagraphElement;
  private readonly members: MembersView;
  private readonly agents: AgentsView;
  private readonly summary: SummaryView;
  private readonly sidePanel: HTMLElement;
  private readonly roomsPanel: HTMLElement;
  private readonly toggles: HTMLButtonElement[] = [];
  private renderedRoomId: string | undefined;

  constructor(
    root: HTMLElement,
    private readonly options: ChatViewOptions,
  ) {
    const { client } = options;
    const me = () => client.state.me.userId;
    const active = () => client.state.activeRoomId;

    this.status = h('p', { className: 'status', role: 'status' }, STATUS_TEXT.connecting);
    const roomsToggle = this.drawerToggle('rooms-panel', 'Rooms');
    const membersToggle = this.drawerToggle('side-panel', 'Members');
    const header = h(
      'header',
      { className: 'top-bar' },
      roomsToggle,
      h('h1', { className: 'brand' }, 'Parley'),
      this.status,
      h('span', { className: 'me' }, h('span', { className: 'visually-hidden' }, 'Signed in as '), client.state.me.displayName),
      h('button', { type: 'button', className: 'sign-out', onclick: () => options.signOut() }, 'Sign out'),
    );

    // Rooms panel
    this.roomList = h('ul', { className: 'room-list' });
    this.roomsEmpty = h('p', { className: 'hint' }, 'No rooms yet. Create one below.');
    const roomName = h('input', { id: 'new-room-name', name: 'name', required: true, maxlength: 100, autocomplete: 'off' });
    const roomPrivate = h('input', { id: 'new-room-private', name: 'private', type: 'checkbox' });
    const createForm = h(
      'form',
      { className: 'create-room' },
      h('h3', {}, 'New room'),
      h('label', { for: 'new-room-name' }, 'Room name'),
      roomName,
      h('label', { className: 'checkbox' }, roomPrivate, ' Private (invitation only)'),
      h('button', { type: 'submit' }, 'Create room'),
    );
    createForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = roomName.value.trim();
      if (name === '') return;
      void client.createRoom(name, roomPrivate.checked ? 'private' : 'public').then((roomId) => {
        if (roomId === undefined) return;
        roomName.value = '';
        roomPrivate.checked = false;
        options.navigate(roomId);
      });
    });
    const joinId = h('input', { id: 'join-room-id', name: 'roomId', required: true, maxlength: 128, autocomplete: 'off' });
    const joinForm = h(
      'form',
      { className: 'join-room' },
      h('h3', {}, 'Join by id'),
      h('label', { for: 'join-room-id' }, 'Room id'),
      joinId,
      h('button', { type: 'submit' }, 'Join'),
    );
    joinForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const roomId = joinId.value.trim();
      if (roomId === '') return;
      void client.joinRoom(roomId).then((ok) => {
        if (!ok) return;
        joinId.value = '';
        options.navigate(roomId);
      });
    });
    this.roomsPanel = h(
      'nav',
      { id: 'rooms-panel', className: 'panel rooms-panel', 'aria-labelledby': 'rooms-title' },
      h('h2', { id: 'rooms-title' }, 'Rooms'),
      this.roomsEmpty,
      this.roomList,
      createForm,
      joinForm,
    );

    // The open room
    this.emptyRoom = h('div', { className: 'empty-room' }, h('p', {}, 'Pick a room, or create one to start talking.'));
    this.roomTitle = h('h2', { id: 'room-title', tabindex: -1 });
    this.roomMeta = h('p', { className: 'room-meta' });
    this.leaveButton = h('button', { type: 'button', className: 'leave', onclick: () => this.leave() }, 'Leave room');
    this.notices = h('div', { className: 'notices' });
    this.timeline = new TimelineView(
      {
        loadOlder: () => {
          const roomId = active();
          if (roomId !== undefined) void client.loadOlder(roomId);
        },
        retry: (clientMessageId) => {
          const roomId = active();
          if (roomId !== undefined) void client.retry(roomId, clientMessageId);
        },
        discard: (clientMessageId) => {
          const roomId = active();
          if (roomId !== undefined) client.discard(roomId, clientMessageId);
        },
        moderate: (messageId, action) => {
          const roomId = active();
          if (roomId === undefined) return;
          if (action === 'deleteMessage' && !window.confirm('Delete this message for everyone?')) return;
          void client.moderate(roomId, messageId, action);
        },
      },
      () => {
        const roomId = active();
        // Moderation controls show only where the deployment has moderation.
        const moderator =
          roomId !== undefined && roleAbilities(myRole(client.state, roomId)).canManage && !client.state.unsupported.has('hideMessage');
        return { userId: me(), moderator };
      },
    );
    this.joinPrompt = h(
      'div',
      { className: 'join-prompt', hidden: true },
      h('p', {}, 'You are not a member of this public room yet.'),
      h('button', { type: 'button', onclick: () => this.joinActive() }, 'Join this room'),
    );
    this.composerInput = h('textarea', {
      id: 'composer-input',
      name: 'text',
      rows: 1,
      required: true,
      autocomplete: 'off',
      placeholder: 'Write a message',
      'aria-describedby': 'composer-help',
    });
    this.composer = h(
      'form',
      { className: 'composer' },
      h('label', { for: 'composer-input', className: 'visually-hidden' }, 'Message'),
      this.composerInput,
      h('button', { type: 'submit' }, 'Send'),
      h('p', { id: 'composer-help', className: 'visually-hidden' }, 'Enter sends, Shift+Enter adds a line.'),
    );
    this.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.sendFromComposer();
    });
    this.composerInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.sendFromComposer();
      }
    });
    this.guestNote = h('p', { className: 'guest-note', hidden: true }, 'Guests can read this room but not post in it.');
    this.roomSection = h(
      'section',
      { className: 'room', 'aria-labelledby': 'room-title', hidden: true },
      h('header', { className: 'room-header' }, h('div', { className: 'room-heading' }, this.roomTitle, this.roomMeta), membersToggle, this.leaveButton),
      this.notices,
      this.timeline.element,
      this.joinPrompt,
      this.guestNote,
      this.composer,
    );
    const main = h('main', { id: 'main', className: 'main' }, this.emptyRoom, this.roomSection);

    // Members
    this.members = new MembersView({
      setRole: (userId, role) => {
        const roomId = active();
        if (roomId !== undefined) void client.setRole(roomId, userId, role);
      },
      remove: (userId) => {
        const roomId = active();
        if (roomId !== undefined) void client.removeMember(roomId, userId);
      },
      invite: async (userId, role) => {
        const roomId = active();
        return roomId === undefined ? false : client.invite(roomId, userId, role);
      },
    });
    this.agents = new AgentsView({
      add: async (agent) => {
        const roomId = active();
        return roomId === undefined ? false : client.addAgent(roomId, agent);
      },
      update: (handle, changes) => {
        const roomId = active();
        if (roomId !== undefined) void client.updateAgent(roomId, handle, changes);
      },
      remove: (handle) => {
        const roomId = active();
        if (roomId !== undefined) void client.removeAgent(roomId, handle);
      },
    });
    this.summary = new SummaryView((roomId) => void client.loadSummary(roomId));
    this.sidePanel = h(
      'aside',
      { id: 'side-panel', className: 'panel side-panel', 'aria-label': 'Room details' },
      this.members.element,
      this.agents.element,
      this.summary.element,
    );

    replaceChildren(
      root,
      h('a', { className: 'skip-link', href: '#composer-input' }, 'Skip to the message box'),
      header,
      h('div', { className: 'layout' }, this.roomsPanel, main, this.sidePanel),
    );
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.closeDrawers(true);
    });
  }

  render(state: AppState): void {
    setText(this.status, STATUS_TEXT[state.status]);
    this.status.dataset['status'] = state.status;
    this.renderRooms(state);
    this.renderRoom(state);
  }

  focusComposer(): void {
    if (!this.composer.hidden) this.composerInput.focus();
  }

  private renderRooms(state: AppState): void {
    const rooms = [...state.rooms.values()].sort(
      (a, b) => Number(b.role !== undefined) - Number(a.role !== undefined) || a.name.localeCompare(b.name),
    );
    this.roomsEmpty.hidden = !state.roomsLoaded || rooms.length > 0;
    reconcile(
      this.roomList,
      rooms,
      (room) => room.roomId,
      (room) => h('li', {}, h('a', { href: `#/room/${encodeURIComponent(room.roomId)}`, className: 'room-link', onclick: () => this.closeDrawers(false) })),
      (element, room) => this.updateRoomRow(element, room, state),
    );
  }

  private updateRoomRow(element: HTMLLIElement, room: ListedRoom, state: AppState): void {
    const link = element.firstElementChild as HTMLAnchorElement;
    const unread = state.unread.get(room.roomId) ?? 0;
    const current = room.roomId === state.activeRoomId;
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
    const signature = JSON.stringify([room.name, room.visibility, room.role, unread]);
    if (link.dataset['signature'] === signature) return;
    link.dataset['signature'] = signature;
    replaceChildren(
      link,
      h('span', { className: 'room-name' }, room.name),
      room.visibility === 'private' && h('span', { className: 'room-tag' }, 'private'),
      room.role === undefined && h('span', { className: 'room-tag' }, 'not joined'),
      unread > 0 && h('span', { className: 'unread', 'aria-label': `${unread} unread` }, String(unread)),
    );
  }

  private renderRoom(state: AppState): void {
    const roomId = state.activeRoomId;
    const room = roomId === undefined ? undefined : state.rooms.get(roomId);
    this.emptyRoom.hidden = roomId !== undefined;
    this.roomSection.hidden = roomId === undefined;
    if (roomId === undefined) return;

    const role = myRole(state, roomId);
    const { canPost, canLeave, canManage } = roleAbilities(role);
    const name = room?.name ?? 'Room';
    setText(this.roomTitle, name);
    setText(
      this.roomMeta,
      [room?.visibility === 'private' ? 'Private room' : 'Public room', role === undefined ? 'not joined' : `you are ${role}`].join(' · '),
    );
    this.leaveButton.hidden = !canLeave;
    this.joinPrompt.hidden = role !== undefined || room?.visibility !== 'public';
    this.guestNote.hidden = role !== 'guest';
    this.composer.hidden = !canPost;

    const notices = state.notices.filter((n) => n.roomId === undefined || n.roomId === roomId);
    this.renderNotices(notices);

    this.timeline.render(roomId, name, timelineOf(state, roomId), this.options.client.isLoadingOlder(roomId));
    this.members.render(state.members.get(roomId), state.me.userId, role);
    this.agents.element.hidden = state.unsupported.has('listAgents') || role === undefined;
    this.summary.element.hidden = state.unsupported.has('getSummary') || role === undefined;
    if (!this.summary.element.hidden) this.summary.render(roomId, state.summaries.get(roomId));
    if (!this.agents.element.hidden) this.agents.render(state.agents.get(roomId), canManage);

    if (roomId !== this.renderedRoomId) {
      this.renderedRoomId = roomId;
      // Moving into a room lands on its heading, so screen readers announce it.
      if (document.activeElement === document.body || this.roomsPanel.contains(document.activeElement)) this.roomTitle.focus();
    }
  }

  private renderNotices(notices: readonly Notice[]): void {
    reconcile(
      this.notices,
      notices,
      (n) => String(n.id),
      (notice) =>
        h(
          'div',
          { className: `notice notice-${notice.tone}`, role: notice.tone === 'error' ? 'alert' : 'status' },
          h('p', {}, notice.text),
          h(
            'button',
            {
              type: 'button',
              'aria-label': 'Dismiss',
              onclick: () => this.options.client.dispatch({ type: 'noticeDismissed', id: notice.id }),
            },
            '×',
          ),
        ),
      () => undefined,
    );
  }

  private sendFromComposer(): void {
    const roomId = this.options.client.state.activeRoomId;
    const text = this.composerInput.value;
    if (roomId === undefined || text.trim() === '') return;
    this.composerInput.value = '';
    void this.options.client.send(roomId, text);
  }

  private joinActive(): void {
    const roomId = this.options.client.state.activeRoomId;
    if (roomId !== undefined) void this.options.client.joinRoom(roomId);
  }

  private leave(): void {
    const roomId = this.options.client.state.activeRoomId;
    if (roomId !== undefined) void this.options.client.leaveRoom(roomId);
  }

  private drawerToggle(panelId: string, label: string): HTMLButtonElement {
    const button = h('button', { type: 'button', className: 'drawer-toggle', 'aria-controls': panelId, 'aria-expanded': 'false' }, label);
    button.addEventListener('click', () => {
      const panel = document.getElementById(panelId);
      if (!panel) return;
      const open = panel.dataset['open'] !== 'true';
      this.closeDrawers(false);
      panel.dataset['open'] = String(open);
      button.setAttribute('aria-expanded', String(open));
      if (open) panel.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
      if (open) panel.querySelector<HTMLElement>('h2')?.focus();
    });
    this.toggles.push(button);
    return button;
  }

  private closeDrawers(restoreFocus: boolean): void {
    for (const toggle of this.toggles) {
      const panel = document.getElementById(toggle.getAttribute('aria-controls') ?? '');
      if (panel?.dataset['open'] === 'true') {
        panel.dataset['open'] = 'false';
        toggle.setAttribute('aria-expanded', 'false');
        if (restoreFocus) toggle.focus();
      }
    }
  }
}
