import type { AuditRecord } from '../room-tools';
import { filterAudit, type RoomTools } from '../room-tools';
import { auditQuery } from '../held-queue';
import { t } from '../i18n';
import { h, reconcile, setText } from './dom';

/** The filter's choices: a family of actions (every `family.*`) or one action. */
const FAMILIES = ['moderation', 'message', 'member', 'invitation', 'room', 'agent', 'retention'] as const;

const familyOptions = (): Array<readonly [string, string]> => {
  const labels = t().auditView.families;
  return [['', labels.all], ...FAMILIES.map((family) => [family, labels[family]] as const)];
};

const detailsText = (entry: AuditRecord): string =>
  Object.entries(entry.details ?? {})
    .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join(' · ');

/**
 * The Audit log tab (owners and moderators): the room's entries newest
 * first, a page at a time (*Load more*), filtered by kind and by who acted.
 * Parley applies the filters (getAuditLog's kinds and actorId): choosing a
 * kind, or committing a user id (Enter, or leaving the field), starts the
 * pages again from the newest; while typing, the entries loaded are
 * narrowed at once. A filtered page may be short, so *Load more* stays
 * while Parley has more to read.
 */
export class AuditView {
  readonly element: HTMLElement;
  private readonly kind: HTMLSelectElement;
  private readonly actor: HTMLInputElement;
  private readonly list: HTMLOListElement;
  private readonly status: HTMLParagraphElement;
  private readonly error: HTMLParagraphElement;
  private readonly more: HTMLButtonElement;
  private entries: AuditRecord[] = [];
  private cursor: string | undefined;
  private roomId: string | undefined;
  private loading = false;
  /** Bumped whenever paging starts again, so an answer to an older request is dropped. */
  private generation = 0;

  constructor(private readonly tools: RoomTools) {
    const strings = t().auditView;
    this.kind = h('select', { id: 'audit-kind', onchange: () => void this.restart() }, ...familyOptions().map(([value, label]) => h('option', { value }, label)));
    this.actor = h('input', { id: 'audit-actor', type: 'search', autocomplete: 'off', oninput: () => this.show(), onchange: () => void this.restart() });
    this.list = h('ol', { className: 'tool-list audit-list', 'aria-labelledby': 'audit-title' });
    this.status = h('p', { className: 'hint', role: 'status' });
    this.error = h('p', { className: 'form-error', role: 'alert' });
    this.more = h('button', { type: 'button', hidden: true, onclick: () => void this.loadPage() }, strings.more);
    this.element = h(
      'section',
      { className: 'audit-log', 'aria-labelledby': 'audit-title' },
      h('h2', { id: 'audit-title' }, strings.title),
      h(
        'div',
        { className: 'tool-filters', role: 'search', 'aria-label': strings.filter },
        h('label', { for: 'audit-kind' }, strings.kind),
        this.kind,
        h('label', { for: 'audit-actor' }, strings.actor),
        this.actor,
      ),
      this.status,
      this.list,
      this.more,
      this.error,
    );
  }

  /** Loads the newest page afresh (when the tab is shown). */
  async load(roomId: string): Promise<void> {
    this.roomId = roomId;
    await this.restart();
  }

  /** Starts the pages again from the newest, with the filters as they are now. */
  private async restart(): Promise<void> {
    this.generation += 1;
    this.loading = false;
    this.entries = [];
    this.cursor = undefined;
    this.show();
    await this.loadPage();
  }

  private async loadPage(): Promise<void> {
    const roomId = this.roomId;
    if (roomId === undefined || this.loading) return;
    const generation = this.generation;
    this.loading = true;
    setText(this.error, '');
    setText(this.status, t().auditView.loading);
    const answer = await this.tools.auditPage(roomId, this.cursor, auditQuery(this.kind.value, this.actor.value));
    if (generation !== this.generation) return;
    this.loading = false;
    if (roomId !== this.roomId) return;
    if (answer.ok) {
      this.entries = [...this.entries, ...answer.value.items];
      this.cursor = answer.value.nextCursor;
    } else {
      setText(this.error, answer.error);
    }
    this.show();
  }

  private show(): void {
    const shown = filterAudit(this.entries, { action: this.kind.value, actor: this.actor.value });
    const filtered = this.kind.value !== '' || this.actor.value.trim() !== '';
    setText(
      this.status,
      this.loading
        ? t().auditView.loading
        : filtered
          ? t().auditView.matching(shown.length, this.entries.length)
          : t().auditView.loaded(this.entries.length, this.cursor === undefined),
    );
    this.more.hidden = this.cursor === undefined;
    reconcile(
      this.list,
      shown,
      (e) => e.entryId,
      (entry) =>
        h(
          'li',
          { className: 'tool-item' },
          h('p', { className: 'tool-meta' }, h('time', { datetime: entry.occurredAt }, new Date(entry.occurredAt).toLocaleString(t().locale)), ` · ${entry.actor.type} ${entry.actor.id}`),
          h('p', { className: 'audit-action' }, entry.action, entry.target ? ` · ${entry.target.type} ${entry.target.id}` : ''),
          detailsText(entry) === '' ? undefined : h('p', { className: 'hint' }, detailsText(entry)),
        ),
      () => undefined,
    );
  }
}
