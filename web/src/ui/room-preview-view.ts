import type { RoomAccess } from '../room-access';
import { h, replaceChildren } from './dom';

export interface RoomPreviewActions {
  join(): void;
}

const STATE_TEXT: Record<Exclude<RoomAccess['status'], 'preview'>, string> = {
  banned: 'You are banned from this room. You cannot rejoin unless its owner or a moderator lifts the ban.',
  deleted: 'This room was deleted.',
  unavailable: 'This room does not exist, or you do not have access to it.',
};

/**
 * What a room link shows to someone who is not in the room: a public room's
 * preview (topic, member count, recent messages, a Join button), or one
 * clear sentence saying why there is nothing to show.
 */
export class RoomPreviewView {
  readonly element: HTMLElement;
  private rendered: RoomAccess | undefined;

  constructor(private readonly actions: RoomPreviewActions) {
    this.element = h('section', { className: 'room-preview', 'aria-label': 'Room preview', hidden: true });
  }

  render(access: RoomAccess | undefined): void {
    this.element.hidden = access === undefined;
    if (access === this.rendered) return;
    this.rendered = access;
    if (access === undefined) return replaceChildren(this.element);
    if (access.status !== 'preview') {
      return replaceChildren(this.element, h('p', { className: `room-state room-${access.status}`, role: 'status' }, STATE_TEXT[access.status]));
    }
    const { room, memberCount, messages, banned } = access;
    replaceChildren(
      this.element,
      room.topic !== undefined && h('p', { className: 'room-topic' }, room.topic),
      h('p', { className: 'member-count' }, memberCount === 1 ? '1 member' : `${memberCount} members`),
      messages.length > 0 &&
        h(
          'section',
          { className: 'preview-messages', 'aria-labelledby': 'preview-messages-title' },
          h('h3', { id: 'preview-messages-title' }, 'Recent messages'),
          h(
            'ol',
            { className: 'messages' },
            ...messages.map((m) => h('li', { className: 'message' }, h('span', { className: 'author' }, m.senderName), ' ', h('span', { className: 'text', dir: 'auto' }, m.text))),
          ),
        ),
      banned
        ? h('p', { className: 'room-state room-banned', role: 'status' }, STATE_TEXT.banned)
        : h(
            'div',
            { className: 'join-prompt' },
            h('p', {}, 'You are not a member of this public room yet.'),
            h('button', { type: 'button', onclick: () => this.actions.join() }, 'Join this room'),
          ),
    );
  }
}
