import { renderMarkdown } from '../markdown';
import { presentItem, type MessageView, type Viewer } from '../present';
import type { ModeratorAction } from '../protocol';
import type { AgentAtWork, Timeline } from '../timeline';
import { timelineItems, type TimelineItem } from '../timeline';
import { fullTime, placeRows, shortTime, type RowPlace } from '../timeline-layout';
import { unseenAfter } from '../unseen';
import { append, h, reconcile, replaceChildren, setText } from './dom';
import { mentionsReader } from '../own-messages';
import { OwnMessageControls, type OwnMessageActions } from './own-message-controls';
import { AgentReplyControls, type AgentReplyActions } from './agent-reply-controls';
import { t } from '../i18n';
import { citationsOf } from '../citations';
import { linkCitations, PassageDialog, sourcesList, type CitationActions } from './citation-links';

export interface TimelineActions {
  loadOlder(): void;
  retry(clientMessageId: string): void;
  discard(clientMessageId: string): void;
  moderate(messageId: string, action: ModeratorAction): void;
}

const actionLabel = (action: ModeratorAction): string => t().timelineView.actions[action];

/**
 * A badge's text in the reader's language. The badge itself (present.ts) is
 * a fixed English key that also names its CSS class (`badge-held-for-review`).
 */
const badgeLabel = (badge: string): string => (t().timelineView.badges as Record<string, string>)[badge] ?? badge;

const rendered = new WeakMap<Element, string>();

/** Close enough to the bottom to follow new messages. */
const STICK_PX = 48;
/** How close to the top of the log the reader comes before the next older page loads. */
const NEAR_TOP_PX = 200;

/** One row of the list: a message (with its place in its group) or the separator that begins a day. */
type Row =
  | { readonly kind: 'item'; readonly key: string; readonly item: TimelineItem; readonly place: RowPlace }
  | { readonly kind: 'day'; readonly key: string; readonly label: string };

/** The rows in display order: each day's separator above its first message. */
const rowsOf = (items: readonly TimelineItem[], now: Date): Row[] => {
  const places = placeRows(items, now);
  const rows: Row[] = [];
  items.forEach((item, i) => {
    const place = places[i] as RowPlace;
    if (place.day) rows.push({ kind: 'day', key: `d:${place.day.key}`, label: place.day.label });
    rows.push({ kind: 'item', key: item.key, item, place });
  });
  return rows;
};

/** The first letter of a name, for its avatar (a whole character, never half a surrogate pair). */
const initialOf = (name: string): string => ([...name.trim()][0] ?? '?').toUpperCase();

/** What the log knows when deciding whether to ask for the next older page. */
export interface PagingCheck {
  /** The newest page is on screen and the log was scrolled to its newest message. */
  readonly settled: boolean;
  readonly history: Timeline['history'];
  readonly loading: boolean;
  /** Something happened that may call for a page: the top came into view, or a page arrived. */
  readonly armed: boolean;
  /** The top of the log is on screen, or within NEAR_TOP_PX of it. */
  readonly nearTop: boolean;
}

/**
 * Whether to ask for the next older page now. Only once the log has settled
 * at its newest message (so opening a room loads one page), one request at a
 * time, and only when the reader is at the top. A page that leaves the top
 * in view (a short page, or one whose messages are withheld from this reader)
 * arms the next check itself, so paging never waits for a scroll that cannot
 * happen; a failed request does not, so it is not repeated forever.
 */
export const shouldLoadOlder = (check: PagingCheck): boolean =>
  check.armed && check.settled && !check.loading && check.history === 'partial' && check.nearTop;

/**
 * What agents do about a message, under it: who is thinking (a polite
 * status, until their first words) and what they said instead of answering.
 */
/** Who is thinking, and what each agent using a tool does; a status this client does not know reads as thinking. */
const thinkingText = (agents: readonly AgentAtWork[]): string => {
  const strings = t().timelineView;
  const busy = agents.flatMap((a) => {
    const say = a.status === undefined ? undefined : strings.toolStatus[a.status as keyof typeof strings.toolStatus];
    return say ? [say(a.name)] : [];
  });
  const thinking = agents.filter((a) => a.status === undefined || !(a.status in strings.toolStatus));
  return [...(thinking.length > 0 ? [strings.thinking(thinking.map((a) => a.name).join(', '), thinking.length)] : []), ...busy].join(' ');
};

const agentsAbout = (thinking: readonly AgentAtWork[] | undefined, notes: readonly string[] | undefined): Node[] => [
  ...(thinking && thinking.length > 0
    ? [h('p', { className: 'agent-thinking', role: 'status' }, thinkingText(thinking))]
    : []),
  ...(notes ?? []).map((text) => h('p', { className: 'agent-note' }, text)),
];

/**
 * The scrolling message log of the open room. Rows are keyed, so a new
 * message adds one row (which screen readers announce through the log
 * role) and a streaming reply updates one row in place. Reaching the top
 * loads older history (see `shouldLoadOlder`) and keeps the reader's place.
 */
export class TimelineView {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly older: HTMLButtonElement;
  private readonly start: HTMLParagraphElement;
  /** Shown when the reader has scrolled up and messages arrived below. */
  readonly jump: HTMLButtonElement;
  private readonly jumpCount: HTMLSpanElement;
  /** The newest message the reader has had on screen at the bottom of the log. */
  private seenThrough: string | undefined;
  private readonly observer: IntersectionObserver | undefined;
  private roomId: string | undefined;
  private history: Timeline['history'] = 'unloaded';
  private loading = false;
  /** The history paging state last rendered (`history` and cursor), to notice a page arriving. */
  private paging: string | undefined;
  private settled = false;
  private armed = false;
  /** Folded messages the reader chose to read. */
  private readonly revealed = new Set<string>();
  private last: Parameters<TimelineView['render']> | undefined;
  /** Edit and delete on the reader's own messages, when the chat offers them. */
  private readonly own: OwnMessageControls | undefined;
  private readonly agentReplies: AgentReplyControls | undefined;
  /** Where a reply's cited passages open, when the chat offers them. */
  private readonly passages: PassageDialog | undefined;
  /** Agents thinking about a message, and their notices about it, as last rendered. */
  private agentsAtWork: { thinking: Timeline['thinking']; notes: Timeline['agentNotes'] } = { thinking: undefined, notes: undefined };

  constructor(
    private readonly actions: TimelineActions,
    private readonly viewer: () => Viewer,
    ownMessages?: { readonly actions: OwnMessageActions; readonly maxTextBytes: number; readonly editWindowSeconds: number },
    /** Stop and Copy on agents' replies, when the chat offers them. */
    agentReplyActions?: AgentReplyActions,
    /** Opening the passages agents' replies cite, when the chat offers it. */
    citationActions?: CitationActions,
  ) {
    this.passages = citationActions && new PassageDialog(citationActions);
    this.agentReplies = agentReplyActions && new AgentReplyControls(agentReplyActions, () => this.rerender());
    this.own = ownMessages && new OwnMessageControls(
        ownMessages.actions,
        ownMessages.maxTextBytes,
        ownMessages.editWindowSeconds,
        () => this.rerender(),
      );
    this.older = h('button', { type: 'button', className: 'load-older', onclick: () => this.actions.loadOlder() }, t().timelineView.loadOlder);
    this.start = h('p', { className: 'history-start', hidden: true }, t().timelineView.start);
    this.list = h('ol', { className: 'messages' });
    this.jumpCount = h('span', { className: 'jump-count' });
    this.jump = h(
      'button',
      { type: 'button', className: 'jump-to-newest', hidden: true, onclick: () => this.jumpToNewest() },
      t().timelineView.jump,
      this.jumpCount,
    );
    this.element = h(
      'div',
      { className: 'timeline', role: 'log', tabindex: 0, 'aria-label': t().timelineView.messages },
      this.older,
      this.start,
      this.list,
      // Sticks to the bottom of the log's view without taking room in it.
      h('div', { className: 'jump-dock' }, this.jump),
    );
    this.element.addEventListener('scroll', () => this.noteSeen(), { passive: true });
    // The button at the top is the sentinel: its coming into view (by scrolling,
    // or the log being laid out) is a reason to look; where it really is decides.
    this.observer =
      typeof IntersectionObserver === 'undefined'
        ? undefined
        : new IntersectionObserver(
            (entries) => {
              if (!entries.some((e) => e.isIntersecting)) return;
              this.settle();
              this.armed = true;
              this.checkPaging();
            },
            { root: this.element, rootMargin: `${NEAR_TOP_PX}px 0px 0px 0px` },
          );
    this.observer?.observe(this.older);
  }

  render(roomId: string, roomName: string, timeline: Timeline, loadingOlder: boolean): void {
    this.last = [roomId, roomName, timeline, loadingOlder];
    if (roomId !== this.roomId) {
      this.roomId = roomId;
      this.seenThrough = undefined;
      this.settled = false;
      this.armed = false;
      this.paging = undefined;
    }
    this.history = timeline.history;
    this.loading = loadingOlder;
    this.agentsAtWork = { thinking: timeline.thinking, notes: timeline.agentNotes };
    this.element.setAttribute('aria-label', t().timelineView.messagesIn(roomName));

    const box = this.element;
    const following = !this.settled || box.scrollHeight - box.scrollTop - box.clientHeight < STICK_PX;
    // The first row the reader sees: wherever rows go in above it, it stays put.
    const anchor = following ? undefined : this.firstVisibleRow();
    const anchorTop = anchor?.getBoundingClientRect().top;

    const now = new Date();
    reconcile(
      this.list,
      rowsOf(timelineItems(timeline), now),
      (row) => row.key,
      (row) => (row.kind === 'day' ? h('li', { className: 'day-separator' }, h('span', {}, row.label)) : h('li', { className: 'message' })),
      (element, row) => {
        if (row.kind === 'item') this.updateRow(element, row.item, row.place, now);
        else setText(element.firstChild as HTMLElement, row.label);
      },
    );

    this.older.hidden = timeline.history === 'complete';
    this.older.disabled = loadingOlder;
    setText(this.older, loadingOlder ? t().timelineView.loadingOlder : t().timelineView.loadOlder);
    this.start.hidden = timeline.history !== 'complete';
    this.element.setAttribute('aria-busy', String(timeline.history === 'unloaded'));

    if (following) {
      box.scrollTop = box.scrollHeight;
    } else if (anchor?.isConnected && anchorTop !== undefined) {
      box.scrollTop += anchor.getBoundingClientRect().top - anchorTop;
    }
    // Settling, or a page arriving (or the timeline replaced): check again, whether or not the reader scrolls.
    if (this.settle()) this.armed = true;
    const paging = `${timeline.history} ${timeline.olderCursor ?? ''}`;
    if (paging !== this.paging) {
      this.paging = paging;
      this.armed = true;
    }
    this.checkPaging();
    this.noteSeen();
  }

  /** Whether the log shows its newest message (scrolled to the bottom). */
  atNewest(): boolean {
    const box = this.element;
    return box.scrollHeight - box.scrollTop - box.clientHeight < STICK_PX;
  }

  /** Scrolls to the newest message, and moves the keyboard there if it was on the button. */
  jumpToNewest(): void {
    const hadFocus = document.activeElement === this.jump;
    this.element.scrollTop = this.element.scrollHeight;
    this.noteSeen();
    if (hadFocus) this.element.focus();
  }

  /** At the bottom, the newest message counts as seen; scrolled up with newer messages below, the button says how many. */
  private noteSeen(): void {
    const timeline = this.last?.[2];
    if (!timeline || this.element.hidden) return;
    const newest = timeline.messages.at(-1)?.messageId;
    if (!this.settled || this.atNewest() || this.seenThrough === undefined) this.seenThrough = newest;
    const unseen = unseenAfter(timeline.messages, this.seenThrough, this.viewer().userId);
    this.jump.hidden = unseen === 0;
    setText(this.jumpCount, unseen === 0 ? '' : t().timelineView.newCount(unseen));
  }

  /** Once the newest page is rendered in a laid-out log: show its newest message, and only then page back. */
  private settle(): boolean {
    const box = this.element;
    if (this.settled || this.history === 'unloaded' || box.clientHeight === 0) return false;
    box.scrollTop = box.scrollHeight;
    this.settled = true;
    return true;
  }

  private checkPaging(): void {
    const check = { settled: this.settled, history: this.history, loading: this.loading, armed: this.armed };
    // Where the top really is, not what a possibly stale intersection entry said.
    if (!shouldLoadOlder({ ...check, nearTop: this.nearTop() })) {
      // Blocked only by the request under way: look again once it is over.
      if (!(check.loading && check.armed)) this.armed = false;
      return;
    }
    this.armed = false;
    // Not from inside a render: asking changes the state, which renders again.
    queueMicrotask(() => this.actions.loadOlder());
  }

  private nearTop(): boolean {
    const box = this.element.getBoundingClientRect();
    return box.height > 0 && !this.older.hidden && this.older.getBoundingClientRect().bottom >= box.top - NEAR_TOP_PX;
  }

  /**
   * The first message row at least partly on screen, found by bisection
   * (rows are laid out top to bottom). Not a day separator: an older page of
   * the same day moves that day's separator above itself.
   */
  private firstVisibleRow(): Element | undefined {
    const rows = this.list.children;
    const top = this.element.getBoundingClientRect().top;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((rows[mid] as Element).getBoundingClientRect().bottom <= top) lo = mid + 1;
      else hi = mid;
    }
    let row = rows[lo];
    while (row?.classList.contains('day-separator')) row = row.nextElementSibling ?? undefined;
    return row;
  }

  private rerender(): void {
    if (this.last) this.render(...this.last);
  }

  private updateRow(element: HTMLElement, item: TimelineItem, place: RowPlace, now: Date): void {
    const view = presentItem(item, this.viewer(), now);
    const revealed = this.revealed.has(item.key);
    const message = item.kind === 'message' ? item.message : undefined;
    const own = message && this.own ? this.own.signatureOf(message.messageId) : '';
    const replyId = item.kind === 'reply' ? item.reply.replyId : message?.senderType === 'agent' ? message.messageId : undefined;
    const agentMarks = replyId !== undefined && this.agentReplies ? this.agentReplies.signatureOf(replyId) : '';
    const thinking = message && this.agentsAtWork.thinking?.get(message.messageId);
    const notes = message && this.agentsAtWork.notes?.get(message.messageId);
    // A row with something to say about itself (a badge, a fold, moderation) shows its sender again.
    const continues = place.continues && view.badges.length === 0 && view.concealed === undefined && view.actions.length === 0;
    const signature = JSON.stringify([view, revealed, own, message?.editedAt, message?.mentions, message?.citations, agentMarks, thinking, notes, continues]);
    if (rendered.get(element) === signature) return;
    rendered.set(element, signature);
    element.dataset['senderType'] = view.senderType;
    element.dataset['key'] = item.key;
    element.classList.toggle('mine', view.mine);
    element.classList.toggle('continues', continues);
    element.classList.toggle('streaming', view.streaming);
    element.classList.toggle('mentions-me', message !== undefined && mentionsReader(message, this.viewer().userId));
    // A streaming reply changes with every chunk: screen readers read it once it is complete.
    if (view.streaming) element.setAttribute('aria-busy', 'true');
    else element.removeAttribute('aria-busy');
    replaceChildren(element, ...this.rowContent(view, item, revealed, now, continues), ...agentsAbout(thinking, notes));
  }

  /** The time of day, with the whole timestamp on hover (title) and on keyboard focus (a tooltip drawn from data-full). */
  private timeOf(view: MessageView): HTMLElement | undefined {
    if (!view.datetime) return undefined;
    const full = fullTime(view.datetime);
    return h('time', { datetime: view.datetime, title: full, tabindex: 0, 'aria-label': full, 'data-full': full }, shortTime(view.datetime));
  }

  private rowContent(view: MessageView, item: TimelineItem, revealed: boolean, now: Date, continues: boolean): Node[] {
    const meta = continues
      ? // The name is said once per group; screen readers still hear whose message it is.
        h('div', { className: 'message-meta' }, h('span', { className: 'visually-hidden' }, view.author), this.timeOf(view))
      : h(
          'div',
          { className: 'message-meta' },
          h('span', { className: 'avatar', 'aria-hidden': 'true', 'data-sender-type': view.senderType }, initialOf(view.author)),
          h('span', { className: 'author' }, view.author),
          view.senderLabel && h('span', { className: `sender-label sender-${view.senderType}` }, view.senderLabel),
          this.timeOf(view),
        );
    if (view.badges.length > 0) {
      const badges = h('span', { className: 'badges' });
      for (const badge of view.badges) append(badges, h('span', { className: `badge badge-${badge.replace(/\s+/g, '-')}` }, badgeLabel(badge)));
      append(meta, badges);
    }
    const message = item.kind === 'message' ? item.message : undefined;
    const editing = message !== undefined && this.own?.isEditing(message.messageId) === true;
    if (message && this.own) append(meta, this.own.editedMarker(message, now), this.own.menu(message, this.viewer().userId));
    const nodes: Node[] = [meta];
    if (editing && message && this.own) nodes.push(this.own.editor(message));
    else if (view.concealed === undefined || revealed) {
      const text = h('div', { className: 'message-text', dir: 'auto' }, ...renderMarkdown(view.text));
      nodes.push(text);
      const citations = citationsOf(message);
      const passages = this.passages;
      if (passages && citations.length > 0) {
        const open = (citation: (typeof citations)[number], opener: HTMLElement) => void passages.open(citation, opener);
        linkCitations(text, citations, open);
        nodes.push(sourcesList(citations, open));
      }
    }
    const confirmation = message && this.own?.confirmation(message.messageId);
    if (confirmation) nodes.push(confirmation);
    const agentControls =
      item.kind === 'reply' ? this.agentReplies?.live(item.reply.replyId, view.author) : message && this.agentReplies?.stored(message, view.author);
    if (agentControls) nodes.push(agentControls);
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
        revealed ? t().timelineView.fold : t().timelineView.show,
      );
      nodes.push(h('p', { className: 'message-note' }, view.concealed, ' ', toggle));
    }
    if (view.actions.length > 0 && item.kind === 'message') {
      const { messageId } = item.message;
      nodes.push(
        h(
          'div',
          { className: 'moderation-actions', role: 'group', 'aria-label': t().timelineView.moderate(view.author) },
          ...view.actions.map((action) =>
            h('button', { type: 'button', onclick: () => this.actions.moderate(messageId, action) }, actionLabel(action)),
          ),
        ),
      );
    }
    if (view.failed) {
      const { clientMessageId, error, retryable } = view.failed;
      nodes.push(
        h(
          'div',
          { className: 'message-actions' },
          h('span', { className: 'send-error', role: 'alert' }, error),
          // A refusal for what the message is (too long, not allowed) would only come again.
          retryable && h('button', { type: 'button', onclick: () => this.actions.retry(clientMessageId) }, t().timelineView.retry),
          h('button', { type: 'button', onclick: () => this.actions.discard(clientMessageId) }, t().timelineView.discard),
        ),
      );
    }
    return nodes;
  }
}
