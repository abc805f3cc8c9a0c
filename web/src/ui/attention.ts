import { mentionsToNotify, notificationBody } from '../mention-alerts';
import { timelineOf, type AppState } from '../state';
import { tabTitle, unseenAfter } from '../unseen';
import { h } from './dom';
import { t } from '../i18n';

/**
 * What calls the person back to Parley: the unseen count in the tab title
 * ("(3) Lobby · Parley") while the tab is hidden or the room is scrolled up,
 * and a desktop notification for a mention of them while the tab is hidden.
 * Notifications need the browser's permission, asked only when the person
 * clicks "Notify me of mentions", never on load.
 */
export class Attention {
  /** The button that asks for permission; hidden once the browser has an answer, or without notifications. */
  readonly element: HTMLButtonElement;
  /** Per room, the newest message the person has had on screen. */
  private readonly seen = new Map<string, string>();
  /** Per room, the newest message already considered for a notification. */
  private readonly considered = new Map<string, string>();
  private last: AppState | undefined;

  constructor(
    /** Whether the open room's log shows its newest message. */
    private readonly atNewest: () => boolean,
    private readonly open: (roomId: string) => void,
  ) {
    this.element = h(
      'button',
      { type: 'button', className: 'notify-mentions', hidden: true, onclick: () => void this.ask() },
      t().attention.notify,
      // On a phone only "Notify" shows; the whole name stays for screen readers.
      h('span', { className: 'notify-label' }, t().attention.notifyRest),
    );
    document.addEventListener('visibilitychange', () => this.refresh());
    this.refresh();
  }

  /** Looks again after a scroll or a visibility change, with the last state. */
  refresh(): void {
    this.element.hidden = permission() !== 'default';
    if (this.last) this.update(this.last);
  }

  update(state: AppState): void {
    this.last = state;
    this.notify(state);
    const roomId = state.activeRoomId;
    if (roomId === undefined) {
      document.title = tabTitle(undefined, 0);
      return;
    }
    const { messages } = timelineOf(state, roomId);
    const newest = messages.at(-1)?.messageId;
    const looking = document.visibilityState === 'visible' && this.atNewest();
    if (newest !== undefined && (looking || !this.seen.has(roomId))) this.seen.set(roomId, newest);
    const name = state.rooms.get(roomId)?.name ?? t().attention.room;
    document.title = tabTitle(name, unseenAfter(messages, this.seen.get(roomId), state.me.userId));
  }

  private notify(state: AppState): void {
    const allowed = permission() === 'granted' && document.visibilityState === 'hidden';
    for (const [roomId, timeline] of state.timelines) {
      const newest = timeline.messages.at(-1)?.messageId;
      if (newest === undefined) continue;
      const after = this.considered.get(roomId);
      this.considered.set(roomId, newest);
      // What a room held when first seen (its history) is not news.
      if (after === undefined || !allowed) continue;
      const room = state.rooms.get(roomId)?.name ?? t().attention.aRoom;
      for (const message of mentionsToNotify(timeline.messages, after, state.me.userId)) {
        const notification = new Notification(t().attention.mentioned(message.senderName, room), {
          body: notificationBody(message.text),
          tag: message.messageId,
        });
        notification.onclick = () => {
          window.focus();
          this.open(roomId);
          notification.close();
        };
      }
    }
  }

  private async ask(): Promise<void> {
    if (permission() !== 'default') return;
    await Notification.requestPermission();
    this.refresh();
  }
}

const permission = (): NotificationPermission | 'unsupported' =>
  typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
