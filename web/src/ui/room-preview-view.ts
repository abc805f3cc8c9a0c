import type { RoomAccess } from '../room-access';
import { h, replaceChildren } from './dom';
import { t } from '../i18n';
import { modeOf } from '../room-modes';
import { modeNoticeElement } from './mode-notice';

export interface RoomPreviewActions {
  join(): void;
}

const stateText = (status: Exclude<RoomAccess['status'], 'preview'>): string => t().preview[status];

/**
 * What a room link shows to someone who is not in the room: a public room's
 * preview (topic, member count, recent messages, a Join button), or one
 * clear sentence saying why there is nothing to show.
 */
export class RoomPreviewView {
  readonly element: HTMLElement;
  private rendered: RoomAccess | undefined;

  constructor(private readonly actions: RoomPreviewActions) {
    this.element = h('section', { className: 'room-preview', 'aria-label': t().preview.label, hidden: true });
  }

  render(access: RoomAccess | undefined): void {
    this.element.hidden = access === undefined;
    if (access === this.rendered) return;
    this.rendered = access;
    if (access === undefined) return replaceChildren(this.element);
    if (access.status !== 'preview') {
      return replaceChildren(this.element, h('p', { className: `room-state room-${access.status}`, role: 'status' }, stateText(access.status)));
    }
    const { room, memberCount, messages, banned } = access;
    replaceChildren(
      this.element,
      room.topic !== undefined && h('p', { className: 'room-topic' }, room.topic),
      h('p', { className: 'member-count' }, t().preview.members(memberCount)),
      // Read before joining: what the room is for, and for a game whether a hidden AI plays.
      modeNoticeElement(modeOf(room)),
      // Whether visitors may use the room's embeddable widget (docs/widget.md).
      room.guestAccess !== undefined && room.guestAccess !== 'off' && h('p', { className: 'guest-access' }, t().roomSettingsView[room.guestAccess === 'post' ? 'guestsPost' : 'guestsRead']),
      messages.length > 0 &&
        h(
          'section',
          { className: 'preview-messages', 'aria-labelledby': 'preview-messages-title' },
          h('h3', { id: 'preview-messages-title' }, t().preview.recent),
          h(
            'ol',
            { className: 'messages' },
            ...messages.map((m) => h('li', { className: 'message' }, h('span', { className: 'author' }, m.senderName), ' ', h('span', { className: 'text', dir: 'auto' }, m.text))),
          ),
        ),
      banned
        ? h('p', { className: 'room-state room-banned', role: 'status' }, stateText('banned'))
        : h(
            'div',
            { className: 'join-prompt' },
            h('p', {}, t().preview.notMember),
            h('button', { type: 'button', onclick: () => this.actions.join() }, t().preview.join),
          ),
    );
  }
}
