import { archiveRangeProblem, type ArchivePage, type RoomTools } from '../room-tools';
import { t } from '../i18n';
import { h, reconcile, setText } from './dom';

const today = (): string => new Date().toISOString().slice(0, 10);

const size = (bytes: number): string => (bytes < 1024 ? t().archiveView.bytes(bytes) : t().archiveView.kilobytes((bytes / 1024).toFixed(1)));

/**
 * The Archive section of the Settings tab (the owner): links to the room's
 * archived messages for a range of UTC days, at most 31 of them with both
 * ends included (docs/retention.md). A range Parley would refuse is
 * explained before anything is asked; Parley's own refusal shows in place.
 */
export class ArchiveView {
  readonly element: HTMLElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly error: HTMLParagraphElement;
  private readonly status: HTMLParagraphElement;
  private readonly list: HTMLUListElement;
  private readonly more: HTMLButtonElement;
  private files: ArchivePage['files'] = [];
  private cursor: string | undefined;
  private roomId: string | undefined;

  constructor(private readonly tools: RoomTools) {
    const strings = t().archiveView;
    this.from = h('input', { id: 'archive-from', type: 'date', required: true, 'aria-describedby': 'archive-help archive-error' });
    this.to = h('input', { id: 'archive-to', type: 'date', required: true, 'aria-describedby': 'archive-help archive-error' });
    this.error = h('p', { id: 'archive-error', className: 'form-error', role: 'alert' });
    this.status = h('p', { className: 'hint', role: 'status' });
    this.list = h('ul', { className: 'tool-list archive-files', 'aria-label': strings.files });
    this.more = h('button', { type: 'button', hidden: true, onclick: () => void this.fetch(true) }, strings.more);
    const form = h(
      'form',
      { className: 'archive-form', 'aria-labelledby': 'archive-title', novalidate: true },
      h('label', { for: 'archive-from' }, strings.from),
      this.from,
      h('label', { for: 'archive-to' }, strings.to),
      this.to,
      h('p', { id: 'archive-help', className: 'hint' }, strings.help),
      h('button', { type: 'submit' }, strings.submit),
      this.error,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.fetch(false);
    });
    this.element = h('section', { className: 'archive', 'aria-labelledby': 'archive-title' }, h('h3', { id: 'archive-title' }, strings.title), form, this.status, this.list, this.more);
  }

  /** Shows the section for `roomId`, emptied when the room changed. */
  render(roomId: string): void {
    if (roomId === this.roomId) return;
    this.roomId = roomId;
    this.files = [];
    this.cursor = undefined;
    if (this.to.value === '') this.to.value = today();
    setText(this.error, '');
    setText(this.status, '');
    this.show();
  }

  private async fetch(next: boolean): Promise<void> {
    const roomId = this.roomId;
    if (roomId === undefined) return;
    const problem = archiveRangeProblem(this.from.value, this.to.value);
    setText(this.error, problem ?? '');
    this.from.setAttribute('aria-invalid', String(problem !== undefined));
    this.to.setAttribute('aria-invalid', String(problem !== undefined));
    if (problem !== undefined) return;
    setText(this.status, t().archiveView.asking);
    const answer = await this.tools.archive(roomId, this.from.value, this.to.value, next ? this.cursor : undefined);
    if (roomId !== this.roomId) return;
    if (!answer.ok) {
      setText(this.status, '');
      setText(this.error, answer.error);
      return;
    }
    this.files = next ? [...this.files, ...answer.value.files] : answer.value.files;
    this.cursor = answer.value.nextCursor;
    setText(
      this.status,
      this.files.length === 0
        ? t().archiveView.nothing
        : t().archiveView.found(this.files.length, new Date(answer.value.expiresAt).toLocaleTimeString(t().locale)),
    );
    this.show();
  }

  private show(): void {
    this.more.hidden = this.cursor === undefined;
    reconcile(
      this.list,
      this.files,
      (f) => f.url,
      (file) =>
        h(
          'li',
          { className: 'tool-item' },
          h('a', { href: file.url, download: `${file.date}.jsonl.gz`, rel: 'noopener noreferrer' }, t().archiveView.messagesOf(file.date)),
          ` (${size(file.bytes)})`,
        ),
      () => undefined,
    );
  }
}
