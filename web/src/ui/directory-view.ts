import { roomHash } from '../address';
import type { DirectoryPage } from '../room-admin';
import type { Room } from '../protocol';
import { h, replaceChildren, setText } from './dom';
import { t } from '../i18n';
import { gameModeTag } from '../room-modes';

/** A game room's mode beside its name in the results. */
function modeTagOf(room: Room): HTMLElement | undefined {
  const tag = gameModeTag(room);
  return tag === undefined ? undefined : h('span', { className: 'room-tag room-mode-tag' }, tag);
}

export interface DirectoryActions {
  search(query: string, cursor?: string): Promise<DirectoryPage | undefined>;
  /** A found room's link was followed. */
  picked(): void;
}

/**
 * The public directory's search: rooms whose name starts with what is
 * typed, a page at a time, each a link to the room (a preview with Join
 * when not a member). The result count is announced politely.
 */
export class DirectoryView {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly results: HTMLUListElement;
  private readonly status: HTMLParagraphElement;
  private readonly more: HTMLButtonElement;
  private query = '';
  private cursor: string | undefined;
  private found: Room[] = [];

  constructor(private readonly actions: DirectoryActions) {
    this.input = h('input', { id: 'directory-query', name: 'query', type: 'search', required: true, maxlength: 100, autocomplete: 'off' });
    this.results = h('ul', { className: 'room-list directory-results' });
    this.status = h('p', { className: 'hint', role: 'status', 'aria-live': 'polite' });
    this.more = h('button', { type: 'button', hidden: true, onclick: () => void this.next() }, t().directory.more);
    const form = h(
      'form',
      { className: 'directory-search', role: 'search' },
      h('label', { for: 'directory-query' }, t().directory.searchLabel),
      this.input,
      h('button', { type: 'submit' }, t().directory.search),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.start(this.input.value.trim());
    });
    this.element = h(
      'section',
      { className: 'directory', 'aria-labelledby': 'directory-title' },
      h('h3', { id: 'directory-title' }, t().directory.title),
      form,
      this.status,
      this.results,
      this.more,
    );
  }

  private async start(query: string): Promise<void> {
    if (query === '') return;
    this.query = query;
    this.cursor = undefined;
    this.found = [];
    await this.next();
  }

  private async next(): Promise<void> {
    const page = await this.actions.search(this.query, this.cursor);
    if (page === undefined) return;
    this.found = [...this.found, ...page.rooms];
    this.cursor = page.nextCursor;
    replaceChildren(
      this.results,
      ...this.found.map((room) =>
        h('li', {}, h('a', { className: 'room-link', href: roomHash(room.roomId), onclick: () => this.actions.picked() }, h('span', { className: 'room-name' }, room.name), modeTagOf(room))),
      ),
    );
    this.more.hidden = this.cursor === undefined;
    setText(this.status, this.found.length === 0 ? t().directory.none : t().directory.found(this.found.length, this.cursor !== undefined));
  }
}
