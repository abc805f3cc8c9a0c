import type { ChatClient } from '../client';
import type { PeopleClient } from '../people';
import type { RoomAdmin } from '../room-admin';
import { t } from '../i18n';
import { roleAbilities } from '../present';
import { myRole, timelineOf, type AppState, type ConnectionStatus, type Notice } from '../state';
import type { Timeline } from '../timeline';
import { AgentsView } from './agents-view';
import { ArchiveView } from './archive-view';
import { IntegrationsView } from './integrations-view';
import type { IntegrationsClient } from '../integrations';
import { AuditView } from './audit-view';
import { DocumentsView } from './documents-view';
import type { DocumentsClient } from '../documents';
import type { DocumentFrame } from '../../../lambdas/domain/knowledge/documents';
import { ModerationView } from './moderation-view';
import { PanelTabs } from './panel-tabs';
import { agentChangesOf, agentSettingsOf, storedTabMemory, toolsFor, visibleTabs, type PanelTab, type RoomTools } from '../room-tools';
import { Attention } from './attention';
import { mentionCandidates } from '../mention-complete';
import { InvitationsView } from './invitations-view';
import { MyId } from './my-id';
import { Composer } from './composer';
import { DirectoryView } from './directory-view';
import { h, reconcile, replaceChildren, setText } from './dom';
import { MembersView } from './members-view';
import { RoomPreviewView } from './room-preview-view';
import { RoomSettingsView } from './room-settings-view';
import { RoomsPanel } from './rooms-panel';
import { SummaryView } from './summary-view';
import { TimelineView } from './timeline-view';
import { typistsOf } from '../presence-state';
import { TypingSender } from '../typing-sender';
import { newestMessageId } from '../unread';
import { placeUnreadDivider, ReadMarker } from './read-marker';
import { TypingView } from './typing-view';
import { DialoguePanel } from './dialogue-panel';
import { ImposterPanel } from './imposter-panel';
import { modeNoticeElement } from './mode-notice';
import { modeName, modeOf } from '../room-modes';
import type { DialogueClient, ImposterClient } from '../games/games-client';
import type { ImposterFrame } from '../games/imposter-state';
import type { DialogueFrame } from '../games/dialogue-state';

export interface ChatViewOptions {
  readonly client: ChatClient;
  readonly signOut: () => void;
  /** Makes `roomId` the open room (through the URL, so reload and back work). */
  readonly navigate: (roomId: string) => void;
  /** Largest message text Parley accepts, in UTF-8 bytes. */
  readonly maxTextBytes: number;
  /** How long after sending people may edit their messages (the deployment's). */
  readonly editWindowSeconds: number;
  /** People and invitations: finding people to invite, and the invitations list. */
  readonly people?: PeopleClient;
  /** Room settings, bans and the directory search. */
  readonly admin: RoomAdmin;
  /** The owners' and moderators' tools: moderation, audit log, archive, the agent form. */
  readonly tools: RoomTools;
  /** What answers for every agent here, when not its own model (config.json). */
  readonly modelServedBy?: string;
  /** Room documents: the Documents tab lists, uploads, replaces and deletes them. */
  readonly documents: DocumentsClient;
  /** A room's API keys over the HTTP API, when the configuration names it: the owner's Integrations section. */
  readonly integrations?: IntegrationsClient;
  /** Game rooms: the imposter round and the guided dialogue panels. */
  readonly games?: { readonly imposter: ImposterClient; readonly dialogue: DialogueClient };
}

/** What the top bar says about the connection, in the language in use. */
const statusText = (status: ConnectionStatus): string =>
  ({ connecting: t().chatView.connecting, online: t().chatView.connected, reconnecting: t().chatView.reconnecting, offline: t().chatView.offline })[status];

/**
 * The signed-in screen: rooms on the left, the open room in the middle,
 * its members (and agents) on the right. On a phone-sized screen the two
 * side panels become drawers opened from the header buttons.
 */
export class ChatView {
  private readonly status: HTMLParagraphElement;
  private readonly rooms: RoomsPanel;
  private readonly emptyRoom: HTMLDivElement;
  private readonly roomSection: HTMLElement;
  private readonly roomTitle: HTMLHeadingElement;
  private readonly roomMeta: HTMLParagraphElement;
  private readonly leaveButton: HTMLButtonElement;
  private readonly notices: HTMLDivElement;
  private readonly timeline: TimelineView;
  private readonly joinPrompt: HTMLDivElement;
  private readonly joinNotice: HTMLDivElement;
  private readonly imposter: ImposterPanel | undefined;
  private readonly dialogue: DialoguePanel | undefined;
  private readonly composer: Composer;
  private readonly guestNote: HTMLParagraphElement;
  private readonly members: MembersView;
  private readonly agents: AgentsView;
  private readonly summary: SummaryView;
  private readonly preview: RoomPreviewView;
  private readonly settings: RoomSettingsView;
  private readonly moderation: ModerationView;
  private readonly audit: AuditView;
  private readonly documents: DocumentsView;
  private readonly archive: ArchiveView;
  private readonly integrations: IntegrationsView | undefined;
  private readonly tabs: PanelTabs;
  private readonly toggles: HTMLButtonElement[] = [];
  private readonly meName: HTMLSpanElement;
  private readonly profileToggle: HTMLButtonElement;
  private readonly profileForm: HTMLFormElement;
  private readonly profileInput: HTMLInputElement;
  private readonly profileError: HTMLParagraphElement;
  private readonly myId: MyId;
  private readonly invitations: InvitationsView;
  private renderedRoomId: string | undefined;
  /** Refused messages already handed back to the message box (each once). */
  private readonly returned = new Set<string>();
  private readonly typing = new TypingView();
  private readonly typingSender: TypingSender;
  private readonly readMarker: ReadMarker;
  private readonly attention: Attention;
  /** The read mark the open room was opened with: where its unread divider stays. */
  private dividerMark: { readonly roomId: string; readonly lastRead: string | undefined } | undefined;

  constructor(
    root: HTMLElement,
    private readonly options: ChatViewOptions,
  ) {
    this.status = h('p', { className: 'status', role: 'status' }, statusText('connecting'));
    this.meName = h('span', { className: 'me' }, options.client.state.me.displayName);
    this.profileToggle = h(
      'button',
      { type: 'button', className: 'profile-toggle', 'aria-expanded': 'false', 'aria-controls': 'profile-form', onclick: () => this.toggleProfile() },
      h('span', { className: 'visually-hidden' }, t().chatView.signedInAs),
      this.meName,
      h('span', { className: 'visually-hidden' }, t().chatView.changeName),
    );
    this.profileError = h('p', { className: 'form-error', role: 'alert' });
    this.myId = new MyId(options.client.state.me.userId);
    this.profileInput = h('input', { id: 'profile-name', name: 'displayName', required: true, maxlength: 64, autocomplete: 'nickname' });
    this.profileForm = h(
      'form',
      { id: 'profile-form', className: 'profile-form', hidden: true, 'aria-label': t().chatView.profileForm },
      h('label', { for: 'profile-name' }, t().signIn.displayName),
      this.profileInput,
      h('button', { type: 'submit' }, t().chatView.save),
      h('button', { type: 'button', onclick: () => this.toggleProfile(false) }, t().chatView.cancel),
      this.profileError,
      this.myId.element,
    );
    this.profileForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.saveProfile();
    });
    const roomsToggle = this.drawerToggle('rooms-panel', t().rooms.title);
    const membersToggle = this.drawerToggle('side-panel', t().chatView.details);
    this.rooms = this.roomsPanel();
    this.invitations = new InvitationsView({
      accept: async (invitation) => {
        const accepted = (await options.people?.accept(invitation)) ?? false;
        if (accepted) options.navigate(invitation.roomId);
        return accepted;
      },
      decline: async (invitation) => (await options.people?.decline(invitation)) ?? false,
    });
    // Invitations come first in the rooms panel: they are rooms waiting for an answer.
    this.rooms.element.querySelector('h2')?.after(this.invitations.element);

    this.emptyRoom = h('div', { className: 'empty-room' }, h('p', {}, t().chatView.emptyRoom));
    this.roomTitle = h('h2', { id: 'room-title', tabindex: -1 });
    this.roomMeta = h('p', { className: 'room-meta' });
    this.leaveButton = h('button', { type: 'button', className: 'leave', onclick: () => this.leave() }, t().chatView.leave);
    this.notices = h('div', { className: 'notices' });
    this.timeline = this.timelineView();
    // A room's mode and its notice come before its Join button (for an imposter room, the consent that an AI plays).
    this.joinNotice = h('div', { className: 'join-notice' });
    this.joinPrompt = h(
      'div',
      { className: 'join-prompt', hidden: true },
      this.joinNotice,
      h('p', {}, t().preview.notMember),
      h('button', { type: 'button', onclick: () => this.joinActive() }, t().preview.join),
    );
    this.guestNote = h('p', { className: 'guest-note', hidden: true }, t().chatView.guestNote);
    this.composer = new Composer((text) => this.send(text), options.maxTextBytes, (query) => this.mentionable(query));
    this.attention = new Attention(() => this.timeline.atNewest(), (roomId) => options.navigate(roomId));
    this.timeline.element.addEventListener('scroll', () => this.attention.refresh(), { passive: true });
    this.preview = new RoomPreviewView({ join: () => this.joinActive() });
    this.imposter = options.games === undefined ? undefined : new ImposterPanel(options.games.imposter);
    this.dialogue = options.games === undefined ? undefined : new DialoguePanel(options.games.dialogue, () => options.client.state.me.userId);
    this.typingSender = new TypingSender((roomId) => void options.client.sendTyping(roomId));
    // Input bubbles up from the message box: each keystroke may become a typing notice.
    this.composer.element.addEventListener('input', () => this.inOpenRoom((roomId) => this.typingSender.typed(roomId)));
    this.readMarker = new ReadMarker(this.timeline.element, () => this.markOpenRoomRead());
    this.roomSection = h(
      'section',
      { className: 'room', 'aria-labelledby': 'room-title', hidden: true },
      h(
        'header',
        { className: 'room-header' },
        h('div', { className: 'room-heading' }, this.roomTitle, this.roomMeta),
        this.attention.element,
        membersToggle,
        this.leaveButton,
      ),
      this.notices,
      this.preview.element,
      ...(this.imposter ? [this.imposter.element] : []),
      ...(this.dialogue ? [this.dialogue.element] : []),
      this.timeline.element,
      this.typing.element,
      this.joinPrompt,
      this.guestNote,
      this.composer.element,
    );

    this.members = this.membersView();
    this.agents = this.agentsView();
    this.summary = new SummaryView((roomId) => void options.client.loadSummary(roomId));
    this.settings = this.settingsView();
    this.moderation = new ModerationView(options.tools);
    this.audit = new AuditView(options.tools);
    this.documents = new DocumentsView(options.documents);
    this.archive = new ArchiveView(options.tools);
    this.integrations = options.integrations === undefined ? undefined : new IntegrationsView(options.integrations);
    this.tabs = this.panelTabs();
    this.rooms.element.append(
      new DirectoryView({ search: (query, cursor) => options.admin.search(query, cursor), picked: () => this.closeDrawers(false) }).element,
    );

    this.mount(root, roomsToggle);
  }

  render(state: AppState): void {
    setText(this.status, statusText(state.status));
    setText(this.meName, state.me.displayName);
    this.status.dataset['status'] = state.status;
    this.rooms.render(state);
    this.invitations.render(state.invitations);
    this.myId.render(state.me.userId);
    this.renderRoom(state);
    this.attention.update(state);
  }

  /** Members and agents of the open room whom `@query` may mention. */
  private mentionable(query: string) {
    const { state } = this.options.client;
    const roomId = state.activeRoomId;
    if (roomId === undefined) return [];
    return mentionCandidates(state.members.get(roomId) ?? [], state.agents.get(roomId) ?? [], query, state.me.userId);
  }

  /** A room document's status or deletion, which the Documents tab follows. */
  receiveDocumentFrame(frame: DocumentFrame): void {
    this.documents.receive(frame);
  }

  /** A game frame: the imposter or dialogue panel follows its room's. */
  receiveGameFrame(frame: ImposterFrame | DialogueFrame): void {
    if (frame.type === 'dialogueStarted' || frame.type === 'dialogueProgressed' || frame.type === 'dialogueResolved') this.dialogue?.receive(frame);
    else this.imposter?.receive(frame);
  }

  focusComposer(): void {
    this.composer.focus();
  }

  /** The page: a skip link, the header, and the three columns; Escape closes the drawers. */
  private mount(root: HTMLElement, roomsToggle: HTMLButtonElement): void {
    const main = h('main', { id: 'main', className: 'main' }, this.emptyRoom, this.roomSection);
    const sidePanel = h(
      'aside',
      { id: 'side-panel', className: 'panel side-panel', 'aria-label': t().chatView.roomDetails },
      this.tabs.element,
    );
    replaceChildren(
      root,
      h('a', { className: 'skip-link', href: '#composer-input' }, t().chatView.skipLink),
      this.header(roomsToggle),
      h('div', { className: 'layout' }, this.rooms.element, main, sidePanel),
    );
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.closeDrawers(true);
    });
  }

  private header(roomsToggle: HTMLButtonElement): HTMLElement {
    return h(
      'header',
      { className: 'top-bar' },
      roomsToggle,
      h('h1', { className: 'brand' }, t().app.brand),
      this.status,
      this.profileToggle,
      h('button', { type: 'button', className: 'sign-out', onclick: () => this.options.signOut() }, t().chatView.signOut),
      this.profileForm,
    );
  }

  /** Opens (with the current name) or closes the display name form. */
  private toggleProfile(open = this.profileForm.hidden): void {
    this.profileForm.hidden = !open;
    this.profileToggle.setAttribute('aria-expanded', String(open));
    setText(this.profileError, '');
    if (open) {
      this.profileInput.value = this.options.client.state.me.displayName;
      this.profileInput.focus();
      this.profileInput.select();
    } else {
      this.profileToggle.focus();
    }
  }

  private async saveProfile(): Promise<void> {
    const name = this.profileInput.value.trim();
    if (name === '' || name === this.options.client.state.me.displayName) return this.toggleProfile(false);
    this.profileForm.setAttribute('aria-busy', 'true');
    const saved = await this.options.client.updateProfile(name);
    this.profileForm.removeAttribute('aria-busy');
    // Refused: the reason is the client's latest notice, shown where the person is looking.
    if (saved) this.toggleProfile(false);
    else setText(this.profileError, this.options.client.state.notices.at(-1)?.text ?? t().chatView.nameFailed);
  }

  private roomsPanel(): RoomsPanel {
    const { client } = this.options;
    return new RoomsPanel({
      create: (name, visibility, mode) => client.createRoom(name, visibility, mode),
      join: (roomId) => client.joinRoom(roomId),
      picked: () => this.closeDrawers(false),
    });
  }

  private timelineView(): TimelineView {
    const { client } = this.options;
    return new TimelineView(
      {
        loadOlder: () => this.inOpenRoom((roomId) => void client.loadOlder(roomId)),
        retry: (clientMessageId) => this.inOpenRoom((roomId) => void client.retry(roomId, clientMessageId)),
        discard: (clientMessageId) => this.inOpenRoom((roomId) => client.discard(roomId, clientMessageId)),
        moderate: (messageId, action) =>
          this.inOpenRoom((roomId) => {
            if (action === 'deleteMessage' && !window.confirm(t().chatView.confirmDelete)) return;
            void client.moderate(roomId, messageId, action);
          }),
      },
      () => {
        const roomId = client.state.activeRoomId;
        // Moderation controls show only where the deployment has moderation.
        const moderator =
          roomId !== undefined && roleAbilities(myRole(client.state, roomId)).canManage && !client.state.unsupported.has('hideMessage');
        return { userId: client.state.me.userId, moderator };
      },
      {
        actions: {
          edit: (messageId, text) =>
            this.inOpenRoom((roomId) => client.editMessage(roomId, messageId, text)) ??
            Promise.resolve(t().chatView.roomClosed),
          remove: (messageId) => this.inOpenRoom((roomId) => void client.deleteMessage(roomId, messageId)),
        },
        maxTextBytes: this.options.maxTextBytes,
        editWindowSeconds: this.options.editWindowSeconds,
      },
      {
        stop: (replyId) =>
          this.inOpenRoom((roomId) => client.stopAgentReply(roomId, replyId)) ?? Promise.resolve(t().chatView.roomClosed),
        copy: (text) => navigator.clipboard.writeText(text),
        regenerate: (replyId) =>
          this.inOpenRoom((roomId) => client.regenerateAgentReply(roomId, replyId)) ?? Promise.resolve(t().chatView.roomClosed),
      },
      {
        open: (citation) =>
          this.inOpenRoom((roomId) => client.documentPassage(roomId, citation)) ?? Promise.resolve({ error: t().chatView.roomClosed }),
      },
    );
  }

  private membersView(): MembersView {
    const { client } = this.options;
    return new MembersView({
      setRole: (userId, role) => this.inOpenRoom((roomId) => void client.setRole(roomId, userId, role)),
      remove: (userId) => this.inOpenRoom((roomId) => void client.removeMember(roomId, userId)),
      invite: async (userId, role, name) => (await this.inOpenRoom((roomId) => client.invite(roomId, userId, role, name))) ?? false,
      ...(this.options.people ? { find: (query: string) => this.options.people!.findUsers(query) } : {}),
      ban: (userId, name) =>
        this.inOpenRoom((roomId) => {
          if (window.confirm(t().chatView.confirmBan(name))) void this.options.admin.ban(roomId, userId);
        }),
    });
  }

  private settingsView(): RoomSettingsView {
    const { admin, people } = this.options;
    return new RoomSettingsView({
      update: async (change) => (await this.inOpenRoom((roomId) => admin.update(roomId, change))) ?? false,
      remove: async (confirm) => (await this.inOpenRoom((roomId) => admin.remove(roomId, confirm))) ?? false,
      transfer: async (userId) => (await this.inOpenRoom((roomId) => admin.transfer(roomId, userId))) ?? false,
      bans: async () => this.inOpenRoom((roomId) => admin.bans(roomId)),
      unban: async (userId) => (await this.inOpenRoom((roomId) => admin.unban(roomId, userId))) ?? false,
      ...(people
        ? {
            invitations: async () => this.inOpenRoom((roomId) => people.roomInvitations(roomId)),
            revoke: async (userId: string) => (await this.inOpenRoom((roomId) => people.revoke(roomId, userId))) ?? false,
          }
        : {}),
    });
  }

  /** The right panel's tabs; a tab's tool loads what it shows when the tab is shown. */
  private panelTabs(): PanelTabs {
    let storage: Storage | undefined;
    try {
      storage = window.localStorage;
    } catch {
      storage = undefined;
    }
    return new PanelTabs(
      {
        members: [this.members.element],
        agents: [this.agents.element, this.summary.element],
        moderation: [this.moderation.element],
        audit: [this.audit.element],
        documents: [this.documents.element],
        settings: [this.settings.element, this.archive.element, ...(this.integrations ? [this.integrations.element] : [])],
      },
      storedTabMemory(storage),
      (tab: PanelTab) =>
        this.inOpenRoom((roomId) => {
          const state = this.options.client.state;
          const role = myRole(state, roomId);
          if (tab === 'moderation') {
            this.moderation.render(roomId, timelineOf(state, roomId).messages);
            void this.moderation.load(roomId, role);
          }
          if (tab === 'audit') void this.audit.load(roomId);
          if (tab === 'documents') void this.documents.load(roomId);
        }),
    );
  }

  private agentsView(): AgentsView {
    const { client, tools } = this.options;
    return new AgentsView({
      ...(this.options.modelServedBy !== undefined ? { modelServedBy: this.options.modelServedBy } : {}),
      form: {
        models: async () => (await this.inOpenRoom((roomId) => tools.agentModels(roomId))) ?? { ok: true, value: undefined },
        save: async (form, before) => {
          const roomId = client.state.activeRoomId;
          if (roomId === undefined) return { ok: false, error: t().chatView.roomClosed };
          const answer =
            before === undefined
              ? await tools.addAgent(roomId, agentSettingsOf(form))
              : await tools.updateAgent(roomId, before.handle, agentChangesOf(before, form));
          if (answer.ok) await client.loadAgents(roomId);
          return answer;
        },
      },
      update: (handle, changes) => this.inOpenRoom((roomId) => void client.updateAgent(roomId, handle, changes)),
      remove: (handle) => this.inOpenRoom((roomId) => void client.removeAgent(roomId, handle)),
    });
  }

  /** Acts on the open room; does nothing when no room is open. */
  private inOpenRoom<T>(act: (roomId: string) => T): T | undefined {
    const roomId = this.options.client.state.activeRoomId;
    return roomId === undefined ? undefined : act(roomId);
  }

  private renderRoom(state: AppState): void {
    const roomId = state.activeRoomId;
    const room = roomId === undefined ? undefined : state.rooms.get(roomId);
    this.emptyRoom.hidden = roomId !== undefined;
    this.roomSection.hidden = roomId === undefined;
    // With no room open there are no details to show: no tabs over empty panels.
    this.tabs.element.hidden = roomId === undefined;
    if (roomId === undefined) return;

    const role = myRole(state, roomId);
    const { canPost, canLeave, canManage } = roleAbilities(role);
    const name = room?.name ?? t().attention.room;
    setText(this.roomTitle, name);
    setText(
      this.roomMeta,
      [
        room?.visibility === 'private' ? t().chatView.privateRoom : t().chatView.publicRoom,
        ...(modeOf(room) === 'chat' ? [] : [modeName(modeOf(room))]),
        role === undefined ? t().chatView.notJoined : t().chatView.youAre(t().roles[role]),
      ].join(' · '),
    );
    // A room link the person cannot read shows a preview or why not, and nothing else.
    const access = state.roomAccess.get(roomId);
    this.preview.render(access);
    this.timeline.element.hidden = access !== undefined;
    this.leaveButton.hidden = !canLeave;
    this.joinPrompt.hidden = access !== undefined || role !== undefined || room?.visibility !== 'public';
    if (!this.joinPrompt.hidden && this.joinNotice.dataset['mode'] !== modeOf(room)) {
      this.joinNotice.dataset['mode'] = modeOf(room);
      replaceChildren(this.joinNotice, modeNoticeElement(modeOf(room)));
    }
    // A game room's panel stands above its chat, for the people in it.
    const playing = access === undefined && role !== undefined && role !== 'guest';
    this.imposter?.render(playing && modeOf(room) === 'imposter' ? roomId : undefined, canManage);
    this.dialogue?.render(playing && modeOf(room) === 'dialogue' ? roomId : undefined, canManage);
    this.guestNote.hidden = role !== 'guest';
    this.composer.element.hidden = !canPost;

    const notices = state.notices.filter((n) => n.roomId === undefined || n.roomId === roomId);
    this.renderNotices(notices);

    const timeline = timelineOf(state, roomId);
    this.timeline.render(roomId, name, timeline, this.options.client.isLoadingOlder(roomId));
    this.returnRefused(timeline);
    this.members.render(state.members.get(roomId), state.me.userId, role, state.presence.online);
    this.members.element.hidden = access !== undefined;
    this.settings.render(access === undefined ? room : undefined, role, state.members.get(roomId), state.me.userId);
    this.tabs.render(roomId, access === undefined ? visibleTabs(role, state.unsupported) : ['members', 'settings']);
    if (this.tabs.selected === 'moderation') this.moderation.render(roomId, timeline.messages);
    this.documents.render(roomId, toolsFor(role).documents, state.agents.get(roomId) ?? []);
    this.archive.element.hidden = access !== undefined || !toolsFor(role).archive || state.unsupported.has('getArchive');
    if (!this.archive.element.hidden) this.archive.render(roomId);
    if (this.integrations) {
      // Keys act for the room, so only its owner manages them (docs/http-api.md).
      this.integrations.element.hidden = access !== undefined || role !== 'owner';
      if (!this.integrations.element.hidden) this.integrations.render(roomId);
    }
    this.typing.render(typistsOf(state.presence, roomId, Date.now()));
    this.renderReadState(state, roomId, timeline);
    this.agents.element.hidden = state.unsupported.has('listAgents') || role === undefined;
    this.summary.element.hidden = state.unsupported.has('getSummary') || role === undefined;
    if (!this.summary.element.hidden) this.summary.render(roomId, state.summaries.get(roomId));
    if (!this.agents.element.hidden) this.agents.render(state.agents.get(roomId), canManage);

    if (roomId !== this.renderedRoomId) {
      this.renderedRoomId = roomId;
      // Moving into a room lands on its heading, so screen readers announce it.
      if (document.activeElement === document.body || this.rooms.element.contains(document.activeElement)) this.roomTitle.focus();
    }
  }

  /** Places the unread divider where the room's read mark stood when it was opened, then marks what is seen. */
  private renderReadState(state: AppState, roomId: string, timeline: Timeline): void {
    const lastRead = state.presence.lastRead.get(roomId);
    // The mark may arrive after the room opens (a new tab): the first one known counts.
    if (this.dividerMark?.roomId !== roomId || (this.dividerMark.lastRead === undefined && lastRead !== undefined)) {
      this.dividerMark = { roomId, lastRead };
    }
    const markAtOpen = this.dividerMark.lastRead;
    const first =
      markAtOpen === undefined
        ? undefined
        : timeline.messages.find((m) => m.messageId > markAtOpen && m.senderId !== state.me.userId)?.messageId;
    placeUnreadDivider(this.timeline.element, first);
    this.readMarker.check();
  }

  private markOpenRoomRead(): void {
    const { client } = this.options;
    const roomId = client.state.activeRoomId;
    if (roomId === undefined || myRole(client.state, roomId) === undefined) return;
    const newest = newestMessageId(client.state, roomId);
    if (newest !== undefined) void client.markRead(roomId, newest);
  }

  /**
   * A message Parley refused for what it is (too long, not allowed) cannot
   * be retried as it is: its text goes back to the message box to be
   * edited, unless the person has started writing something else.
   */
  private returnRefused(timeline: Timeline): void {
    for (const pending of timeline.pending) {
      if (pending.state !== 'failed' || pending.retryable || this.returned.has(pending.clientMessageId)) continue;
      this.returned.add(pending.clientMessageId);
      this.composer.restore(pending.text);
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
              'aria-label': t().chatView.dismiss,
              onclick: () => this.options.client.dispatch({ type: 'noticeDismissed', id: notice.id }),
            },
            '×',
          ),
        ),
      () => undefined,
    );
  }

  /** Sends the composer's text to the open room; false when no room is open. */
  private send(text: string): boolean {
    const roomId = this.options.client.state.activeRoomId;
    if (roomId === undefined) return false;
    this.typingSender.sent(roomId);
    void this.options.client.send(roomId, text);
    return true;
  }

  private joinActive(): void {
    this.inOpenRoom((roomId) => void this.options.client.joinRoom(roomId));
  }

  private leave(): void {
    this.inOpenRoom((roomId) => void this.options.client.leaveRoom(roomId));
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
      // The room details open on their chosen tab; the rooms panel on its heading.
      const tab = panel.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]');
      if (open && tab) tab.focus();
      else if (open) panel.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
      if (open && !tab) panel.querySelector<HTMLElement>('h2')?.focus();
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
