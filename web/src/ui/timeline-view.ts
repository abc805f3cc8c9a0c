import { presentItem, type MessageView, type Viewer } from '../present';
import type { ModeratorAction } from '../protocol';
import type { Timeline } from '../timeline';
import { timelineItems, type TimelineItem } from '../timeline';
import { append, h, reconcile, replaceChildren, setText } from './dom';

export interface TimelineActions {
  loadOlder(): void;
  retry(clientMessageId: string): void;
  discard(clientMessageId: string): void;
  moderate(messageId: string, action: ModeratorAction): void;
}

const ACTION_LABEL: Record<ModeratorAction, string> = {
  releaseMessage: 'Release',
  hideMessage: 'Hide',
  unhideMessage: 'Unhide',
  deleteMessage: 'Delete',
};

const rendered = new WeakMap<Element, string>();

/** Close enough to the bottom to follow new messages. */
const STICK_PX = 48;
/** How close to the top of the log the reader must be for older messages to load. */
const NEAR_TOP_PX = 200;

/**
 * The scrolling message log of the open room. Rows are keyed, so a new
 * message adds one row (which screen readers announce through the log
 * role) and a streaming reply updates one row in place. Scrolling near the
 * top loads older history and keeps the reader's place.
 */
export class TimelineView {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly older: HTMLButtonElement;
  private readonly start: HTMLParagraphElement;
  private readonly observer: IntersectionObserver | undefined;
  private roomId: string | undefined;
  private history: Timeline['history'] = 'unloaded';
  private firstKey: string | undefined;
  /** Folded messages the reader chose to read. */
  private readonly revealed = new Set<string>();
  private last: Parameters<TimelineView['render']> | undefined;

  constructor(
    private readonly actions: TimelineActions,
    private readonly viewer: () => Viewer,
  ) {
    this.older = h('button', { type: 'button', className: 'load-older', onclick: () => this.actions.loadOlder() }, 'Load older messages');
    this.start = h('p', { className: 'history-start', hidden: true }, 'This is the beginning of the room.');
    this.list = h('ol', { className: 'messages' });
    this.element = h('div', { className: 'timeline', role: 'log', tabindex: 0, 'aria-label': 'Messages' }, this.older, this.start, this.list);
    // Reaching the top loads the next older page; the button does the same by keyboard.
    this.observer =
      typeof IntersectionObserver === 'undefined'
        ? undefined
        : new IntersectionObserver(
            (entries) => {
              // Entries can arrive stale: by then the first page may already have
              // scrolled the button far away. Check where the reader really is.
              const nearTop = this.element.clientHeight > 0 && this.element.scrollTop <= NEAR_TOP_PX;
              if (entries.some((e) => e.isIntersecting) && nearTop && this.history === 'partial') this.actions.loadOlder();
            },
            { root: this.element, rootMargin: `${NEAR_TOP_PX}px 0px 0px 0px` },
          );
    this.observer?.observe(this.older);
  }

  render(roomId: string, roomName: string, timeline: Timeline, loadingOlder: boolean): void {
    this.last = [roomId, roomName, timeline, loadingOlder];
    const switched = roomId !== this.roomId;
    this.roomId = roomId;
    this.history = timeline.history;
    this.element.setAttribute('aria-label', `Messages in ${roomName}`);

    const box = this.element;
    const wasAtBottom = switched || box.scrollHeight - box.scrollTop - box.clientHeight < STICK_PX;
    const previousHeight = box.scrollHeight;
    const previousTop = box.scrollTop;
    const previousFirst = this.firstKey;

    const items = timelineItems(timeline);
    const now = new Date();
    reconcile(
      this.list,
      items,
      (item) => item.key,
      () => h('li', { className: 'message' }),
      (element, item) => this.updateRow(element, item, now),
    );
    this.firstKey = items[0]?.key;

    this.older.hidden = timeline.history === 'complete';
    this.older.disabled = loadingOlder;
    setText(this.older, loadingOlder ? 'Loading older messages…' : 'Load older messages');
    this.start.hidden = timeline.history !== 'complete';
    this.element.setAttribute('aria-busy', String(timeline.history === 'unloaded'));

    const grewAbove = previousFirst !== undefined && this.firstKey !== previousFirst;
    if (wasAtBottom) {
      box.scrollTop = box.scrollHeight;
    } else if (grewAbove) {
      // Older messages went in above: keep what the reader was looking at in place.
      box.scrollTop = previousTop + (box.scrollHeight - previousHeight);
    }
    // A page that does not fill the screen leaves nothing to scroll: fetch the next one.
    // Only after a page actually arrived, so a failing request does not repeat forever.
    const pageArrived = switched || this.firstKey !== previousFirst;
    // A log not laid out yet (clientHeight 0) says nothing about whether the page fills it.
    const laidOut = box.clientHeight > 0;
    if (pageArrived && !loadingOlder && laidOut && timeline.history === 'partial' && box.scrollHeight <= box.clientHeight + STICK_PX) {
      queueMicrotask(() => this.actions.loadOlder());
    }
  }

  private rerender(): void {
    if (this.last) this.render(...this.last);
  }

  private updateRow(element: HTMLLIElement, item: TimelineItem, now: Date): void {
    const view = presentItem(item, this.viewer(), now);
    const revealed = this.revealed.has(item.key);
    const signature = JSON.stringify([view, revealed]);
    if (rendered.get(element) === signature) return;
    rendered.set(element, signature);
    element.dataset['senderType'] = view.senderType;
    element.dataset['key'] = item.key;
    element.classList.toggle('mine', view.mine);
    element.classList.toggle('streaming', view.streaming);
    // A streaming reply changes with every chunk: screen readers read it once it is complete.
    if (view.streaming) element.setAttribute('aria-busy', 'true');
    else element.removeAttribute('aria-busy');
    replaceChildren(element, ...this.rowContent(view, item, revealed));
  }

  private rowContent(view: MessageView, item: TimelineItem, revealed: boolean): Node[] {
    const meta = h(
      'div',
      { className: 'message-meta' },
      h('span', { className: 'author' }, view.author),
      view.senderLabel && h('span', { className: `sender-label sender-${view.senderType}` }, view.senderLabel),
      view.datetime && h('time', { datetime: view.datetime }, view.time),
    );
    if (view.badges.length > 0) {
      const badges = h('span', { className: 'badges' });
      for (const badge of view.badges) append(badges, h('span', { className: `badge badge-${badge.replace(/\s+/g, '-')}` }, badge));
      append(meta, badges);
    }
    const nodes: Node[] = [meta];
    if (view.concealed === undefined || revealed) nodes.push(h('p', { className: 'message-text' }, view.text));
    if (view.concealed !== undefined) {
      const toggle = h(
        'button',
        {
          type: 'button',
          className: 'reveal',
          'aria-expanded': String(revealed),
          onclick: () => {
            if (revealed) this.revealed.delete(item.key);
            else this.revealed.add(item.key);
            const row = toggle.closest('li');
            this.rerender();
            // The row was rebuilt: keep the keyboard where it was.
            row?.querySelector<HTMLButtonElement>('.reveal')?.focus();
          },
        },
        revealed ? 'Fold away' : 'Show message',
      );
      nodes.push(h('p', { className: 'message-note' }, view.concealed, ' ', toggle));
    }
    if (view.actions.length > 0 && item.kind === 'message') {
      const { messageId } = item.message;
      nodes.push(
        h(
          'div',
          { className: 'moderation-actions', role: 'group', 'aria-label': `Moderate the message from ${view.author}` },
          ...view.actions.map((action) =>
            h('button', { type: 'button', onclick: () => this.actions.moderate(messageId, action) }, ACTION_LABEL[action]),
          ),
        ),
      );
    }
    if (view.failed) {
      const { clientMessageId, error } = view.failed;
      nodes.push(
        h(
          'div',
          { className: 'message-actions' },
          h('span', { className: 'send-error', role: 'alert' }, error),
          h('button', { type: 'button', onclick: () => this.actions.retry(clientMessageId) }, 'Retry'),
          h('button', { type: 'button', onclick: () => this.actions.discard(clientMessageId) }, 'Discard'),
        ),
      );
    }
    return nodes;
  }
}
