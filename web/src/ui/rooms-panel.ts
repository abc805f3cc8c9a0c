import type { ListedRoom, Room } from '../protocol';
import type { AppState } from '../state';
import { roomHash } from '../address';
import { unreadOf, unreadText } from '../unread';
import { h, reconcile, replaceChildren } from './dom';
import { t } from '../i18n';
import { gameModeTag, modeName, modeNotice, ROOM_MODES, type RoomMode } from '../room-modes';

export interface RoomsActions {
  /** Creates and opens a room; resolves its id, or undefined when it was not created. */
  create(name: string, visibility: Room['visibility'], mode: RoomMode): Promise<string | undefined>;
  /** Joins and opens a room; resolves true once joined. */
  join(roomId: string): Promise<boolean>;
  /** A room was picked: its link followed, or it was created or joined here (on a phone, the drawer gives way to it). */
  picked(): void;
}

/**
 * The rooms panel: the caller's rooms first, then public ones, each with its
 * unread count; a form to create a room and one to join a room by its id.
 */
export class RoomsPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLParagraphElement;

  constructor(private readonly actions: RoomsActions) {
    this.list = h('ul', { className: 'room-list' });
    this.empty = h('p', { className: 'hint' }, t().rooms.empty);
    this.element = h(
      'nav',
      { id: 'rooms-panel', className: 'panel rooms-panel', 'aria-labelledby': 'rooms-title' },
      h('h2', { id: 'rooms-title' }, t().rooms.title),
      this.empty,
      this.list,
      this.createForm(),
      this.joinForm(),
    );
  }

  render(state: AppState): void {
    const rooms = [...state.rooms.values()].sort(
      (a, b) => Number(b.role !== undefined) - Number(a.role !== undefined) || a.name.localeCompare(b.name),
    );
    this.empty.hidden = !state.roomsLoaded || rooms.length > 0;
    reconcile(
      this.list,
      rooms,
      (room) => room.roomId,
      (room) => h('li', {}, h('a', { href: roomHash(room.roomId), className: 'room-link', onclick: () => this.actions.picked() })),
      (element, room) => this.updateRow(element, room, state),
    );
  }

  private updateRow(element: HTMLLIElement, room: ListedRoom, state: AppState): void {
    const link = element.firstElementChild as HTMLAnchorElement;
    const unread = unreadOf(state, room.roomId);
    const current = room.roomId === state.activeRoomId;
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
    const modeTag = gameModeTag(room);
    const signature = JSON.stringify([room.name, room.visibility, room.role, modeTag, unread.count, unread.atLeast]);
    if (link.dataset['signature'] === signature) return;
    link.dataset['signature'] = signature;
    replaceChildren(
      link,
      h('span', { className: 'room-name' }, room.name),
      room.visibility === 'private' && h('span', { className: 'room-tag' }, t().rooms.privateTag),
      modeTag !== undefined && h('span', { className: 'room-tag room-mode-tag' }, modeTag),
      room.role === undefined && h('span', { className: 'room-tag' }, t().rooms.notJoinedTag),
      unread.count > 0 && h('span', { className: 'unread', 'aria-label': t().rooms.unread(unreadText(unread)) }, unreadText(unread)),
    );
  }

  private createForm(): HTMLFormElement {
    const roomName = h('input', { id: 'new-room-name', name: 'name', required: true, maxlength: 100, autocomplete: 'off' });
    const roomPrivate = h('input', { id: 'new-room-private', name: 'private', type: 'checkbox' });
    // The mode is fixed at creation: its notice shows under the choice, as others will read it before joining.
    const roomMode = h(
      'select',
      { id: 'new-room-mode', name: 'mode', 'aria-describedby': 'new-room-mode-notice' },
      ...ROOM_MODES.map((mode) => h('option', { value: mode }, modeName(mode))),
    );
    const modeHint = h('p', { id: 'new-room-mode-notice', className: 'hint' }, modeNotice('chat'));
    roomMode.addEventListener('change', () => {
      modeHint.textContent = modeNotice(roomMode.value as RoomMode);
    });
    const form = h(
      'form',
      { className: 'create-room' },
      h('h3', {}, t().rooms.newRoom),
      h('label', { for: 'new-room-name' }, t().rooms.roomName),
      roomName,
      h('label', { className: 'checkbox' }, roomPrivate, ` ${t().rooms.private}`),
      h('label', { for: 'new-room-mode' }, t().modes.label),
      roomMode,
      modeHint,
      h('button', { type: 'submit' }, t().rooms.create),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = roomName.value.trim();
      if (name === '') return;
      void this.actions.create(name, roomPrivate.checked ? 'private' : 'public', roomMode.value as RoomMode).then((roomId) => {
        if (roomId === undefined) return;
        // The form starts again, unless the person is already writing the next room into it.
        if (roomName.value.trim() === name) {
          roomName.value = '';
          roomPrivate.checked = false;
          roomMode.value = 'chat';
          modeHint.textContent = modeNotice('chat');
        }
        this.actions.picked();
      });
    });
    return form;
  }

  private joinForm(): HTMLFormElement {
    const joinId = h('input', { id: 'join-room-id', name: 'roomId', required: true, maxlength: 128, autocomplete: 'off' });
    const form = h(
      'form',
      { className: 'join-room' },
      h('h3', {}, t().rooms.joinById),
      h('label', { for: 'join-room-id' }, t().rooms.roomId),
      joinId,
      h('button', { type: 'submit' }, t().rooms.join),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const roomId = joinId.value.trim();
      if (roomId === '') return;
      void this.actions.join(roomId).then((ok) => {
        if (!ok) return;
        if (joinId.value.trim() === roomId) joinId.value = '';
        this.actions.picked();
      });
    });
    return form;
  }
}
