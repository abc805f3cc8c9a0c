import type { RoomSummary } from '../protocol';
import { t } from '../i18n';
import { formatTime } from '../present';
import { h, replaceChildren, setText } from './dom';

/** The room's rolling summary from room memory, fetched when asked for. */
export class SummaryView {
  readonly element: HTMLElement;
  private readonly body: HTMLDivElement;
  private readonly button: HTMLButtonElement;
  private roomId: string | undefined;
  private shown: RoomSummary | null | undefined;

  constructor(load: (roomId: string) => void) {
    this.body = h('div', { className: 'summary-body', 'aria-live': 'polite' });
    this.button = h(
      'button',
      {
        type: 'button',
        onclick: () => {
          if (this.roomId !== undefined) load(this.roomId);
        },
      },
      t().summaryView.show,
    );
    this.element = h(
      'section',
      { className: 'summary', 'aria-labelledby': 'summary-title' },
      h('h2', { id: 'summary-title' }, t().summaryView.title),
      this.body,
      this.button,
    );
  }

  render(roomId: string, summary: RoomSummary | null | undefined): void {
    if (roomId === this.roomId && summary === this.shown) return;
    this.roomId = roomId;
    this.shown = summary;
    setText(this.button, summary === undefined ? t().summaryView.show : t().summaryView.refresh);
    if (summary === undefined) {
      replaceChildren(this.body, h('p', { className: 'hint' }, t().summaryView.hint));
    } else if (summary === null) {
      replaceChildren(this.body, h('p', { className: 'hint' }, t().summaryView.none));
    } else {
      replaceChildren(
        this.body,
        h('p', { className: 'summary-text' }, summary.text),
        h('p', { className: 'hint' }, t().summaryView.written(formatTime(summary.createdAt, new Date()))),
      );
    }
  }
}
