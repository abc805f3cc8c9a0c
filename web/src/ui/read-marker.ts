import { t } from '../i18n';

/** Close enough to the bottom to count as having seen the newest message (as the log follows new ones). */
const SEEN_PX = 48;

/**
 * Marks the open room read when its newest message is seen: the page is
 * visible and the message log is scrolled to the bottom. Checked after each
 * render, when the reader scrolls, and when the window gets focus back.
 */
export class ReadMarker {
  constructor(
    private readonly log: HTMLElement,
    private readonly mark: () => void,
  ) {
    log.addEventListener('scroll', () => this.check(), { passive: true });
    window.addEventListener('focus', () => this.check());
    document.addEventListener('visibilitychange', () => this.check());
  }

  check(): void {
    if (document.visibilityState !== 'visible' || this.log.offsetParent === null) return;
    if (this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < SEEN_PX) this.mark();
  }
}

/**
 * Shows where the unread messages begin: a "New messages" line above the
 * first message from someone else after the read mark the room was opened
 * with (it stays put while the reader reads on, until the room is opened
 * again). Rows carry `data-key="m:<messageId>"` (timeline-view.ts).
 */
export function placeUnreadDivider(log: HTMLElement, messageId: string | undefined): void {
  const wanted = messageId === undefined ? null : log.querySelector<HTMLElement>(`[data-key="m:${CSS.escape(messageId)}"]`);
  for (const row of log.querySelectorAll<HTMLElement>('.unread-start')) {
    if (row !== wanted) {
      row.classList.remove('unread-start');
      row.removeAttribute('data-unread-label');
    }
  }
  if (wanted && !wanted.classList.contains('unread-start')) {
    wanted.classList.add('unread-start');
    wanted.setAttribute('data-unread-label', t().timeline.newMessages);
  }
}
